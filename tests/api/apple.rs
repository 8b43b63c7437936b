//! Sign in with Apple end to end: the form_post callback (a cross-site POST)
//! with a SameSite=None login cookie, the signed client secret, and the name
//! that arrives only on the first sign-in.

use std::path::Path;

use doorman::config::Config;
use doorman::providers::Registry;
use reqwest::header::COOKIE;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::fake_apple::FakeApple;
use crate::helpers::{hidden_fields, location, set_cookies, spawn_app_with, Options, TestApp};

async fn app_with(apple: &FakeApple) -> TestApp {
    spawn_app_with(Options {
        https: true,
        extra_toml: apple.toml("apple"),
        ..Options::default()
    })
    .await
}

/// A browser on https would keep Secure cookies; this plain client carries them by hand.
fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `name=value` part of a Set-Cookie header.
pub fn first_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Begins, lets Apple's page post the form back, returns (begin Set-Cookie, callback response).
async fn sign_in_with_apple(app: &TestApp) -> (String, reqwest::Response) {
    let client = browser();
    let begin = client
        .get(format!("{}/auth/apple?next=/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(begin.status(), StatusCode::SEE_OTHER);
    let login = set_cookies(begin.headers(), "__Host-doorman_login")[0].clone();
    let page = client.get(location(&begin)).send().await.unwrap();
    assert_eq!(
        page.status(),
        StatusCode::OK,
        "Apple answers a form_post page"
    );
    let html = page.text().await.unwrap();
    let action = regex_lite::Regex::new(r#"action="([^"]+)""#)
        .unwrap()
        .captures(&html)
        .unwrap()[1]
        .replace("&amp;", "&");
    assert_eq!(
        action,
        app.address.replace("http://", "https://") + "/auth/apple/callback"
    );
    let callback = client
        .post(action.replacen("https://", "http://", 1))
        .header(COOKIE, first_pair(&login))
        .form(&hidden_fields(&html))
        .send()
        .await
        .unwrap();
    (login, callback)
}

async fn me(app: &TestApp, session: &str) -> Value {
    let answer = browser()
        .get(format!("{}/api/me", app.address))
        .header(COOKIE, first_pair(session))
        .send()
        .await
        .unwrap();
    answer.json().await.unwrap()
}

#[tokio::test]
async fn apple_signs_in_through_a_posted_callback_with_the_name_of_the_first_sign_in() {
    let apple = FakeApple::start().await;
    let app = app_with(&apple).await;
    let (_, callback) = sign_in_with_apple(&app).await;
    assert_eq!(callback.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&callback), "/");
    let session = set_cookies(callback.headers(), "__Host-doorman_session")[0].clone();
    let first = me(&app, &session).await;
    assert_eq!(first["name"], "Jane Appleseed");
    assert_eq!(
        first["email"], "ada@example.com",
        "the ID token's email, never the form's"
    );
    assert_eq!(first["email_verified"], true, "Apple's \"true\" string");
    let (_, again) = sign_in_with_apple(&app).await;
    let session = set_cookies(again.headers(), "__Host-doorman_session")[0].clone();
    assert_eq!(
        me(&app, &session).await["name"],
        "Jane Appleseed",
        "kept without `user`"
    );
    assert_eq!(app.counts().await.0, 1);
}

#[tokio::test]
async fn the_apple_login_cookie_is_samesite_none_while_the_session_stays_lax() {
    let apple = FakeApple::start().await;
    let app = app_with(&apple).await;
    let (login, callback) = sign_in_with_apple(&app).await;
    for attr in [
        "SameSite=None",
        "Secure",
        "HttpOnly",
        "Path=/",
        "Max-Age=600",
    ] {
        assert!(login.contains(attr), "{attr} missing: {login}");
    }
    let session = &set_cookies(callback.headers(), "__Host-doorman_session")[0];
    assert!(
        session.contains("SameSite=Lax") && session.contains("Secure"),
        "{session}"
    );
    let corp = browser()
        .get(format!("{}/auth/corp?next=/", app.address))
        .send()
        .await
        .unwrap();
    let corp_login = &set_cookies(corp.headers(), "__Host-doorman_login")[0];
    assert!(
        corp_login.contains("SameSite=Lax"),
        "other providers stay Lax: {corp_login}"
    );
}

#[tokio::test]
async fn a_client_secret_signed_with_another_key_is_refused() {
    let apple = FakeApple::start().await;
    let other = FakeApple::start().await;
    let toml = apple.toml("apple").replace(
        &format!("'{}'", apple.key_file.display()),
        &format!("'{}'", other.key_file.display()),
    );
    let app = spawn_app_with(Options {
        https: true,
        extra_toml: toml,
        ..Options::default()
    })
    .await;
    let (_, callback) = sign_in_with_apple(&app).await;
    assert_eq!(callback.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(apple.op.token_requests(), 1);
}

#[tokio::test]
async fn apple_is_refused_at_start_unless_public_url_is_https() {
    let apple = FakeApple::start().await;
    let text = format!(
        "[server]\npublic_url = \"http://127.0.0.1:8080\"\nsecret_key = \"{}\"\n{}",
        crate::helpers::SECRET_KEY,
        apple.toml("apple")
    );
    let config = Config::from_toml(&text, Path::new("test.toml")).unwrap();
    let err = Registry::from_config(&config).unwrap_err().to_string();
    assert!(
        err.contains("providers.apple") && err.contains("https"),
        "{err}"
    );
    let https = text.replace("http://127.0.0.1:8080", "https://doorman.example");
    let config = Config::from_toml(&https, Path::new("test.toml")).unwrap();
    assert!(Registry::from_config(&config).is_ok());
}

#[tokio::test]
async fn a_cancelled_apple_sign_in_posted_back_is_a_400() {
    let apple = FakeApple::start().await;
    apple.op.deny();
    let app = app_with(&apple).await;
    let (_, callback) = sign_in_with_apple(&app).await;
    assert_eq!(callback.status(), StatusCode::BAD_REQUEST);
    assert_eq!(apple.op.token_requests(), 0);
    assert_eq!(app.counts().await, (0, 0, 0));
}
