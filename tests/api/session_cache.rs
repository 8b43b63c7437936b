//! Sessions are served from memory, but a logout, a revocation, a disabled
//! user or an expiry takes effect on the very next request, on one instance
//! and across instances.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::databases::postgres_or_skip;
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
