//! GET /auth/verify for nginx auth_request, Traefik and Caddy; health routes.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_oidc::FakeUser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn verify_answers_200_with_the_users_headers_when_signed_in() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let me: Value = app.me().await.json().await.unwrap();
    let answer = app.get("/auth/verify").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let h = answer.headers();
    assert_eq!(h["x-auth-request-user"], me["id"].as_str().unwrap());
    assert_eq!(h["x-auth-request-email"], "ada@example.com");
    assert_eq!(h["x-auth-request-preferred-username"], "ada");
}

#[tokio::test]
async fn verify_answers_401_when_not_signed_in() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/auth/verify").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let forged = reqwest::Client::new()
        .get(format!("{}/auth/verify", app.address))
        .header("cookie", "doorman_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn verify_omits_an_unverified_email_and_encodes_non_ascii() {
    let app = spawn_app().await;
    app.corp.set_user(FakeUser {
        email_verified: false,
        preferred_username: "zoë".into(),
        ..FakeUser::default()
    });
    app.sign_in_corp("/").await;
    let answer = app.get("/auth/verify").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get("x-auth-request-email").is_none());
    assert_eq!(
        answer.headers()["x-auth-request-preferred-username"],
        "zo%C3%AB"
    );
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    app.sign_in_corp("/").await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("doorman_sign_ins_total"), "{metrics}");
}
