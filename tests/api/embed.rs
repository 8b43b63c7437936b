//! Library mode: examples/embed.rs's host app, served by plain
//! `axum::serve` (no ConnectInfo), with doorman's router merged and its
//! extractors on the host's own routes.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};

async fn embedded() -> TestApp {
    spawn_app_with(Options {
        embed: true,
        ..Options::default()
    })
    .await
}

async fn get_as(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("accept", accept)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_embedded_app_serves_guests_and_sends_them_to_sign_in() {
    let app = embedded().await;
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Hello, guest."));
    let html = get_as(&app, "/me", "text/html").await;
    assert_redirects_to(&html, "/login?next=%2Fme");
    let json = get_as(&app, "/me", "application/json").await;
    assert_eq!(json.status(), StatusCode::UNAUTHORIZED);
    let body: Value = json.json().await.unwrap();
    assert_eq!(body["error"], "unauthenticated");
    assert_eq!(
        get_as(&app, "/admin", "application/json").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/login").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_signed_in_user_sees_its_pages_and_admin_needs_the_role() {
    let app = embedded().await;
    assert_redirects_to(&app.sign_in_corp("/me").await, "/me");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Hello, Ada Lovelace."), "{home}");
    let me = app.get("/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert!(me.text().await.unwrap().contains("ada@example.com"));
    let id = app.me().await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app.get("/admin").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let granted = app.cli(&["users", "grant", &id, "admin"]).await;
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    let admin = app.get("/admin").await;
    assert_eq!(admin.status(), StatusCode::OK);
    assert!(admin.text().await.unwrap().contains("Admin area"));
    let groups = app.get("/me").await.text().await.unwrap();
    assert!(groups.contains("groups: admin"), "{groups}");
}

#[tokio::test]
async fn the_embedded_router_has_no_home_page_of_its_own_and_records_no_peer() {
    let app = embedded().await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    // GET / is the host's page, not doorman's (which would show a sign-out form).
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("csrf_token"), "{home}");
    assert_eq!(app.get("/auth/verify").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_disabled_user_is_a_guest_to_maybe_user_and_403_to_current_user() {
    let app = embedded().await;
    app.sign_in_corp("/").await;
    let id = app.me().await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(app.cli(&["users", "disable", &id]).await.status.success());
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Hello, guest."), "{home}");
    assert_eq!(app.get("/me").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/admin").await.status(), StatusCode::FORBIDDEN);
}
