//! API tokens: POST /api/token from a session and by refresh_token grant,
//! rotation and reuse detection, Bearer access tokens that die with their
//! session, and tokens that are not doorman's left to the cookie.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::databases::postgres_or_skip;
use crate::helpers::{spawn_app_with, Options, TestApp};

pub async fn with_tokens(extra: &str) -> TestApp {
    spawn_app_with(Options {
        extra_toml: format!("[api_tokens]\nenabled = true\n{extra}"),
        ..Options::default()
    })
    .await
}

/// POST /api/token with the session cookie, from the app's own origin.
pub async fn tokens_from_session(app: &TestApp) -> Value {
    let answer = app
        .client
        .post(format!("{}/api/token", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

async fn refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/token", app.address))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap()
}

/// GET `path` with no cookie and `Authorization: Bearer token`.
pub async fn bearer(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn assert_invalid_grant(answer: reqwest::Response) {
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn the_token_endpoint_is_404_when_api_tokens_are_off() {
    let app = spawn_app_with(Options::default()).await;
    app.sign_in_corp("/").await;
    let answer = app
        .client
        .post(format!("{}/api/token", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_session_gets_tokens_and_the_access_token_reads_api_me_and_verify() {
    let app = with_tokens("").await;
    let signed_out = app
        .client
        .post(format!("{}/api/token", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
    app.sign_in_corp("/").await;
    let tokens = tokens_from_session(&app).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(access).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    let me = bearer(&app, "/api/me", access).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
    let verify = bearer(&app, "/auth/verify", access).await;
    assert_eq!(verify.status(), StatusCode::OK);
    assert_eq!(
        verify.headers()["x-auth-request-user"],
        me["id"].as_str().unwrap()
    );
    let cross_site = app
        .client
        .post(format!("{}/api/token", app.address))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn refresh_rotates_and_a_retry_within_reuse_interval_keeps_the_session() {
    let app = with_tokens("").await;
    app.sign_in_corp("/").await;
    let first = tokens_from_session(&app).await;
    let old = first["refresh_token"].as_str().unwrap();
    let rotated = refresh(&app, old).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let second: Value = rotated.json().await.unwrap();
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_invalid_grant(refresh(&app, old).await).await;
    assert_eq!(app.me().await.status(), StatusCode::OK, "the session stays");
    let access = second["access_token"].as_str().unwrap();
    assert_eq!(
        bearer(&app, "/api/me", access).await.status(),
        StatusCode::OK
    );
    let json = reqwest::Client::new()
        .post(format!("{}/api/token", app.address))
        .json(&json!({"grant_type": "refresh_token", "refresh_token": new}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::OK, "JSON is accepted too");
    assert_invalid_grant(refresh(&app, "unknown-token").await).await;
}

#[tokio::test]
async fn a_spent_refresh_token_presented_after_reuse_interval_ends_the_session() {
    let app = with_tokens("reuse_interval = \"1s\"").await;
    app.sign_in_corp("/").await;
    let first = tokens_from_session(&app).await;
    let old = first["refresh_token"].as_str().unwrap();
    let second: Value = refresh(&app, old).await.json().await.unwrap();
    let newest = second["access_token"].as_str().unwrap();
    assert_eq!(
        bearer(&app, "/api/me", newest).await.status(),
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_invalid_grant(refresh(&app, old).await).await;
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        bearer(&app, "/api/me", newest).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let successor = second["refresh_token"].as_str().unwrap();
    assert_invalid_grant(refresh(&app, successor).await).await;
}

#[tokio::test]
async fn logout_and_disable_end_access_tokens_at_once() {
    let app = with_tokens("").await;
    app.sign_in_corp("/").await;
    let access = tokens_from_session(&app).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        bearer(&app, "/api/me", &access).await.status(),
        StatusCode::OK
    );
    let logout = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        bearer(&app, "/api/me", &access).await.status(),
        StatusCode::UNAUTHORIZED
    );

    app.sign_in_corp("/").await;
    let access = tokens_from_session(&app).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = app.me().await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(app.cli(&["users", "disable", &id]).await.status.success());
    assert_eq!(
        bearer(&app, "/api/me", &access).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn on_postgresql_a_token_from_one_instance_dies_on_the_other_at_logout() {
    let Some(server) = postgres_or_skip("api_tokens_two_instances") else {
        return;
    };
    let extra = "[api_tokens]\nenabled = true\n".to_owned();
    let (_db, a, b) = spawn_two_instances_with(&server, &extra).await;
    a.sign_in_corp("/").await;
    let tokens = tokens_from_session(&a).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(bearer(&b, "/api/me", access).await.status(), StatusCode::OK);
    let refreshed = refresh(&b, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let logout = a
        .client
        .post(format!("{}/logout", a.address))
        .header("origin", &a.address)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    // B hears of the logout by NOTIFY, a few milliseconds after A's commit.
    let started = std::time::Instant::now();
    while bearer(&b, "/api/me", access).await.status() != StatusCode::UNAUTHORIZED {
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "B still accepts the token 3 s after the logout on A"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn spawn_two_instances_with(
    server: &str,
    extra: &str,
) -> (crate::databases::TempDatabase, TestApp, TestApp) {
    let db = crate::databases::TempDatabase::postgres(server).await;
    let a = spawn_app_with(Options {
        database_url: Some(db.url.clone()),
        extra_toml: extra.to_owned(),
        ..Options::default()
    })
    .await;
    let b = spawn_app_with(Options {
        database_url: Some(db.url.clone()),
        public_url: Some(a.address.clone()),
        corp: Some(a.corp.clone()),
        extra_toml: extra.to_owned(),
        ..Options::default()
    })
    .await;
    (db, a, b)
}

#[tokio::test]
async fn bad_refresh_requests_are_answered_through_the_error_contract() {
    let app = with_tokens("").await;
    let post = |body: String| {
        reqwest::Client::new()
            .post(format!("{}/api/token", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let no_grant = post("refresh_token=abc".into()).await.unwrap();
    assert_eq!(no_grant.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        no_grant.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    let unknown = post("grant_type=password&username=a".into()).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    let large = post(format!(
        "grant_type=refresh_token&refresh_token={}",
        "a".repeat(70_000)
    ))
    .await
    .unwrap();
    assert_eq!(large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(large.json::<Value>().await.unwrap()["error"].is_string());
}
