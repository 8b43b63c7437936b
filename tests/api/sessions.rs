//! The session cookie, logout, and disabled users.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    assert_redirects_to, location, set_cookies, spawn_app, spawn_app_with, Options,
};

#[tokio::test]
async fn the_session_cookie_is_httponly_lax_and_path_root() {
    let app = spawn_app().await;
    let answer = app.sign_in_corp("/").await;
    let cookie = &set_cookies(answer.headers(), "doorman_session")[0];
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    let removal = &set_cookies(answer.headers(), "doorman_login")[0];
    assert!(
        removal.contains("Max-Age=0"),
        "the login state is deleted: {removal}"
    );
}

#[tokio::test]
async fn on_https_the_cookies_are_secure_and_host_prefixed() {
    let app = spawn_app_with(Options {
        https: true,
        ..Options::default()
    })
    .await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let begin = plain
        .get(format!("{}/auth/corp?next=/x", app.address))
        .send()
        .await
        .unwrap();
    let login = &set_cookies(begin.headers(), "__Host-doorman_login")[0];
    for attr in [
        "HttpOnly",
        "Secure",
        "Path=/",
        "SameSite=Lax",
        "Max-Age=600",
    ] {
        assert!(login.contains(attr), "{attr} missing: {login}");
    }
    let authorize = plain.get(location(&begin)).send().await.unwrap();
    let callback = location(&authorize).replacen("https://", "http://", 1);
    let answer = plain
        .get(callback)
        .header("cookie", login.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_redirects_to(&answer, "/x");
    let session = &set_cookies(answer.headers(), "__Host-doorman_session")[0];
    for attr in ["HttpOnly", "Secure", "Path=/", "SameSite=Lax"] {
        assert!(session.contains(attr), "{attr} missing: {session}");
    }
}

#[tokio::test]
async fn logout_ends_the_session_server_side() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let token = app.session_token().unwrap();
    let out = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_redirects_to(&out, "/login");
    let old = reqwest::Client::new()
        .get(format!("{}/api/me", app.address))
        .header("cookie", format!("doorman_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let body: Value = old.json().await.unwrap();
    assert_eq!(body["error"], "unauthenticated");
    assert_redirects_to(&app.get("/").await, "/login");
}

#[tokio::test]
async fn logout_with_the_pages_csrf_token_works_without_origin() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let html = app.get("/").await.text().await.unwrap();
    let token = crate::helpers::hidden_fields(&html)
        .into_iter()
        .find(|(k, _)| k == "csrf_token")
        .unwrap()
        .1;
    let out = app
        .client
        .post(format!("{}/logout", app.address))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert_redirects_to(&out, "/login");
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_cross_site_logout_is_forbidden() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let evil = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", "https://evil.example")
        .form(&[("csrf_token", "00")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    let no_proof = app
        .client
        .post(format!("{}/logout", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(no_proof.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.me().await.status(), StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn a_disabled_user_gets_403_everywhere_and_loses_their_sessions() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let me: Value = app.me().await.json().await.unwrap();
    let id = me["id"].as_str().unwrap().to_owned();
    let out = app.cli(&["users", "disable", &id]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.me().await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/auth/verify").await.status(),
        StatusCode::FORBIDDEN
    );
    let again = app.sign_in_corp("/").await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert!(again.text().await.unwrap().contains("disabled"));
    let out = app.cli(&["users", "enable", &id]).await;
    assert!(out.status.success());
    assert_eq!(
        app.me().await.status(),
        StatusCode::UNAUTHORIZED,
        "enable revives no session"
    );
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    assert_eq!(app.me().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn sessions_revoke_ends_every_session_of_a_user() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let me: Value = app.me().await.json().await.unwrap();
    let out = app
        .cli(&["sessions", "revoke", "--user", me["id"].as_str().unwrap()])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
}
