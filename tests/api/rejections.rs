//! The framework's own rejections answer through the error contract: an
//! HTML page, or {"error", "message"} for clients that accept JSON; never
//! axum's plain text.

use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};

async fn error_json(response: Response, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error");
    assert_eq!(body["error"], code);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

async fn error_page(response: Response, status: StatusCode) {
    assert_eq!(response.status(), status);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(response.text().await.unwrap().contains("<html"));
}

fn post(app: &TestApp, path: &str) -> reqwest::RequestBuilder {
    app.client.post(format!("{}{path}", app.address))
}

#[tokio::test]
async fn a_callback_post_with_the_wrong_content_type_is_a_contract_error() {
    let app = spawn_app().await;
    let sent = post(&app, "/auth/corp/callback")
        .header("content-type", "text/plain")
        .header("accept", "application/json")
        .body("code=x&state=y")
        .send()
        .await
        .unwrap();
    error_json(
        sent,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn duplicated_parameters_in_a_query_or_a_form_are_a_400() {
    let app = spawn_app().await;
    let query = app
        .client
        .get(format!(
            "{}/auth/corp/callback?code=a&code=b&state=s",
            app.address
        ))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    error_json(query, StatusCode::BAD_REQUEST, "bad_request").await;
    let form = post(&app, "/auth/corp/callback")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("code=a&code=b")
        .send()
        .await
        .unwrap();
    error_page(form, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413() {
    let app = spawn_app().await;
    let big = format!("code={}", "a".repeat(70 * 1024));
    let sent = post(&app, "/auth/corp/callback")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    error_page(sent, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn a_wrong_method_is_a_405_with_allow() {
    let app = spawn_app().await;
    let sent = app
        .client
        .put(format!("{}/api/me", app.address))
        .send()
        .await
        .unwrap();
    let allow = sent.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "{allow}");
    error_json(sent, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let page = post(&app, "/login").send().await.unwrap();
    error_page(page, StatusCode::METHOD_NOT_ALLOWED).await;
}
