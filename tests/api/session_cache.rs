//! Sessions are served from memory, but a logout, a revocation, a disabled
//! user or an expiry takes effect on the very next request, on one instance
//! and across instances.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::databases::{on_postgres, postgres_or_skip};
use crate::fake_oidc::FakeUser;
use crate::helpers::{spawn_app, spawn_app_with, spawn_two_instances, Options, TestApp};

/// Signs in and makes sure the session is in the cache.
async fn signed_in_and_cached(app: &TestApp) -> String {
    app.sign_in_corp("/").await;
    for _ in 0..3 {
        assert_eq!(app.get("/auth/verify").await.status(), StatusCode::OK);
    }
    let me: Value = app.me().await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

async fn me_with(app: &TestApp, base: &str, token: &str) -> StatusCode {
    app.client
        .get(format!("{base}/api/me"))
        .header("cookie", format!("doorman_session={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_cached_session_ends_at_logout() {
    let app = spawn_app().await;
    signed_in_and_cached(&app).await;
    let token = app.session_token().unwrap();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let out = plain
        .post(format!("{}/logout", app.address))
        .header("origin", &app.address)
        .header("cookie", format!("doorman_session={token}"))
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection());
    assert_eq!(
        me_with(&app, &app.address, &token).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_revocation_from_the_cli_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let id = signed_in_and_cached(&app).await;
    let out = app.cli(&["sessions", "revoke", "--user", &id]).await;
    assert!(out.status.success());
    assert_eq!(
        app.get("/auth/verify").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn disabling_from_the_cli_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let id = signed_in_and_cached(&app).await;
    let out = app.cli(&["users", "disable", &id]).await;
    assert!(out.status.success());
    assert_eq!(
        app.get("/auth/verify").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_expired_session_ends_on_the_next_request() {
    let app = spawn_app_with(Options {
        extra_toml: "[session]\nabsolute_lifetime = \"2s\"\n".into(),
        ..Options::default()
    })
    .await;
    signed_in_and_cached(&app).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        app.get("/auth/verify").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn changes_on_one_instance_reach_the_cache_of_another() {
    let Some(server) = postgres_or_skip("changes_on_one_instance_reach_the_cache_of_another")
    else {
        return;
    };
    let (_db, a, b) = spawn_two_instances(&server).await;
    let id = signed_in_and_cached(&a).await;
    let token = a.session_token().unwrap();
    assert_eq!(
        me_with(&a, &b.address, &token).await,
        StatusCode::OK,
        "cached on B"
    );
    let out = a.cli(&["users", "disable", &id]).await;
    assert!(out.status.success());
    assert_eq!(me_with(&a, &b.address, &token).await, StatusCode::FORBIDDEN);
    let out = a.cli(&["users", "enable", &id]).await;
    assert!(out.status.success());
    assert_eq!(
        me_with(&a, &b.address, &token).await,
        StatusCode::UNAUTHORIZED
    );

    crate::helpers::assert_redirects_to(&a.sign_in_corp("/").await, "/");
    let token = a.session_token().unwrap();
    assert_eq!(me_with(&a, &b.address, &token).await, StatusCode::OK);
    let out = a.cli(&["sessions", "revoke", "--user", &id]).await;
    assert!(out.status.success());
    assert_eq!(
        me_with(&a, &b.address, &token).await,
        StatusCode::UNAUTHORIZED
    );
}

/// /api/me for `token` (Null when it is not a 200).
async fn me_json(app: &TestApp, token: &str) -> Value {
    let r = app
        .client
        .get(format!("{}/api/me", app.address))
        .header("cookie", format!("doorman_session={token}"))
        .send()
        .await
        .unwrap();
    if r.status() != StatusCode::OK {
        return Value::Null;
    }
    r.json().await.unwrap()
}

/// The user's name as /api/me shows it for `token`.
async fn name_with(app: &TestApp, token: &str) -> String {
    let me = me_json(app, token).await;
    me["name"].as_str().unwrap_or_default().to_owned()
}

/// Renames every user with plain SQL that announces nothing: an entry still
/// cached keeps the old name, one read again shows the new one.
async fn rename_users_silently(app: &TestApp, name: &str) {
    use sea_orm::ConnectionTrait;
    let db = app.db().await;
    let sql = format!("UPDATE users SET name = '{name}'");
    db.execute_unprepared(&sql).await.unwrap();
}

/// Signs a second user in through the service (the app's own writes),
/// from another browser; returns its session token.
async fn another_user_signs_in(app: &TestApp, sub: &str) -> String {
    app.corp.set_user(FakeUser {
        sub: sub.into(),
        name: "Grace Hopper".into(),
        email: format!("{sub}@example.com"),
        ..FakeUser::default()
    });
    app.sign_in_corp_in_new_browser().await
}

#[tokio::test]
async fn a_sign_in_by_the_service_itself_does_not_empty_its_cache() {
    let app = spawn_app().await;
    signed_in_and_cached(&app).await;
    let token = app.session_token().unwrap();
    rename_users_silently(&app, "Renamed").await;
    for n in 0..3 {
        another_user_signs_in(&app, &format!("grace-{n}")).await;
    }
    assert_eq!(
        name_with(&app, &token).await,
        "Ada Lovelace",
        "the first user's entry was still served from the cache"
    );
}

#[tokio::test]
async fn a_cli_revocation_of_one_user_leaves_the_others_cached() {
    let app = spawn_app().await;
    signed_in_and_cached(&app).await;
    let ada = app.session_token().unwrap();
    let grace = another_user_signs_in(&app, "grace").await;
    let grace_id = me_json(&app, &grace).await;
    assert_eq!(name_with(&app, &grace).await, "Grace Hopper", "cached");
    assert_eq!(name_with(&app, &ada).await, "Ada Lovelace", "cached");
    rename_users_silently(&app, "Renamed").await;
    let id = grace_id["id"].as_str().unwrap();
    let out = app.cli(&["sessions", "revoke", "--user", id]).await;
    assert!(out.status.success());
    assert_eq!(
        me_with(&app, &app.address, &grace).await,
        StatusCode::UNAUTHORIZED,
        "the revocation is seen on the next request"
    );
    if !on_postgres() {
        assert_eq!(
            name_with(&app, &ada).await,
            "Ada Lovelace",
            "the other user's entry was not dropped"
        );
    }
}
