//! PostgreSQL: the session cache trusts its change feed only while the feed
//! proves it is alive. A frozen network path or a killed listener never lets
//! a revoked session through for long, and doorman recovers by itself.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

use crate::databases::{postgres_or_skip, TempDatabase};
use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};
use crate::tcp_proxy::spawn_app_behind_proxy;

/// Signs in with `corp` and makes sure the session is cached; returns the user id.
async fn signed_in_and_cached(app: &TestApp) -> String {
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    for _ in 0..3 {
        assert_eq!(app.get("/auth/verify").await.status(), StatusCode::OK);
    }
    let me: Value = app.me().await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

/// A connection that bypasses whatever sits between doorman and the database.
async fn direct(url: &str) -> DatabaseConnection {
    let config = doorman::config::DatabaseConfig {
        url: url.to_owned(),
        ..Default::default()
    };
    doorman::store::connect(&config).await.unwrap()
}

/// Ends every session of `user` from another process's point of view.
async fn revoke_directly(url: &str, user: &str) {
    let db = direct(url).await;
    let ended = doorman::store::revoke_user_sessions(&db, user.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(ended, 1);
}

/// /auth/verify's status, or None when doorman did not answer within 10 s.
async fn verify(app: &TestApp) -> Option<StatusCode> {
    let sent = app
        .client
        .get(format!("{}/auth/verify", app.address))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    sent.ok().map(|r| r.status())
}

/// Polls until `done` holds for /auth/verify's status; panics after `limit`.
async fn verify_until(app: &TestApp, limit: Duration, done: impl Fn(Option<StatusCode>) -> bool) {
    let started = Instant::now();
    loop {
        let status = verify(app).await;
        if done(status) {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "still {status:?} after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_frozen_listener_stops_the_cache_and_doorman_recovers_after_thaw() {
    let Some(server) = postgres_or_skip("a_frozen_listener_stops_the_cache") else {
        return;
    };
    let (db, proxy, app) = spawn_app_behind_proxy(&server).await;
    let user = signed_in_and_cached(&app).await;

    proxy.freeze();
    revoke_directly(&db.url, &user).await;
    let revoked = Instant::now();
    verify_until(&app, Duration::from_secs(15), |s| s != Some(StatusCode::OK)).await;
    assert!(revoked.elapsed() < Duration::from_secs(15));
    for _ in 0..2 {
        assert_ne!(
            verify(&app).await,
            Some(StatusCode::OK),
            "refused from then on"
        );
    }

    proxy.thaw();
    verify_until(&app, Duration::from_secs(20), |s| {
        s == Some(StatusCode::UNAUTHORIZED)
    })
    .await;
    signed_in_and_cached(&app).await;
}

#[tokio::test]
async fn a_killed_listener_never_lets_a_session_revoked_meanwhile_through() {
    let Some(server) = postgres_or_skip("a_killed_listener_never_lets") else {
        return;
    };
    let db = TempDatabase::postgres(&server).await;
    let name = format!("doorman_{}", uuid::Uuid::new_v4().simple());
    let mut url = url::Url::parse(&db.url).unwrap();
    url.query_pairs_mut().append_pair("application_name", &name);
    let app = spawn_app_with(Options {
        database_url: Some(url.to_string()),
        ..Options::default()
    })
    .await;
    let user = signed_in_and_cached(&app).await;

    let admin = direct(&db.url).await;
    let killed = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = '{name}' AND query ILIKE 'LISTEN%'"
            ),
        ))
        .await
        .unwrap();
    assert_eq!(killed.len(), 1, "the listener's backend was found");
    revoke_directly(&db.url, &user).await;
    let until = Instant::now() + Duration::from_secs(4);
    while Instant::now() < until {
        assert_ne!(verify(&app).await, Some(StatusCode::OK));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(verify(&app).await, Some(StatusCode::UNAUTHORIZED));
    signed_in_and_cached(&app).await;
}
