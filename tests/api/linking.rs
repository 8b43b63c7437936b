//! Linking a second identity to a signed-in user, and unlinking it: the
//! recent-session rule, the session recorded in the login state, 409s, and
//! Apple's form_post callback.

use std::time::Duration;

use reqwest::header::COOKIE;
use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::apple::first_pair;
use crate::browsers::Browser;
use crate::events::event_kinds;
use crate::fake_apple::FakeApple;
use crate::helpers::{
    assert_redirects_to, hidden_fields, location, set_cookies, spawn_app, spawn_app_with, Options,
};

/// POST /auth/{name}/link from this site; returns the answer.
async fn start_link(browser: &Browser, name: &str) -> Response {
    browser
        .post(&format!("/auth/{name}/link"))
        .send()
        .await
        .unwrap()
}

/// A whole link of `corp`: returns the callback's answer.
async fn link_corp(browser: &Browser) -> Response {
    let begun = start_link(browser, "corp").await;
    assert_eq!(begun.status(), StatusCode::SEE_OTHER, "link began");
    let authorize = browser.get_url(&location(&begun)).await;
    browser.get_url(&location(&authorize)).await
}

fn identity_ids(me: &Value) -> Vec<String> {
    me["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_linked_identity_signs_in_to_the_same_user() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    let before = laptop.me().await;
    assert_redirects_to(&link_corp(&laptop).await, "/account");
    let after = laptop.me().await;
    assert_eq!(after["identities"].as_array().unwrap().len(), 2);
    assert_eq!(laptop.sessions().await.len(), 1, "the session stays");
    let fresh = Browser::new(&app, "fresh");
    assert_redirects_to(&fresh.sign_in_corp().await, "/");
    assert_eq!(fresh.me().await["id"], before["id"]);
}

#[tokio::test]
async fn a_session_older_than_link_max_age_must_sign_in_again() {
    let app = spawn_app_with(Options {
        extra_toml: "[accounts]\nlink_max_age = \"2s\"\n".into(),
        ..Options::default()
    })
    .await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let answer = start_link(&laptop, "corp").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(answer.text().await.unwrap().contains("sign in again"));
    assert_eq!(app.counts().await.1, 1, "nothing is linked");
}

#[tokio::test]
async fn linking_another_users_identity_is_a_409_and_nothing_moves() {
    let app = spawn_app().await;
    let owner = Browser::new(&app, "owner");
    owner.sign_in_corp().await;
    let other = Browser::new(&app, "other");
    other.sign_in_dev("Eve", "ada@example.com").await;
    let counts = app.counts().await;
    let answer = link_corp(&other).await;
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    assert!(answer.text().await.unwrap().contains("<html"));
    assert_eq!(app.counts().await, counts, "row counts unchanged");
    assert_eq!(owner.me().await["identities"].as_array().unwrap().len(), 1);
    assert_eq!(other.me().await["identities"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_cross_site_or_signed_out_link_is_refused() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    let signed_out = start_link(&laptop, "corp").await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    let evil = laptop
        .client
        .post(format!("{}/auth/corp/link", app.address))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    let get = laptop.get("/auth/corp/link").await;
    assert_ne!(get.status(), StatusCode::SEE_OTHER, "GET never links");
    assert_eq!(app.counts().await.1, 1);
}

#[tokio::test]
async fn a_link_callback_in_a_browser_whose_session_changed_is_a_400() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    let begun = start_link(&laptop, "corp").await;
    let callback = location(&laptop.get_url(&location(&begun)).await);
    // Another session's cookie replaces this browser's before the callback.
    let other = Browser::new(&app, "other");
    other.sign_in_dev("Bob", "bob@example.com").await;
    let cookie = format!("doorman_session={}", other.session_token().unwrap());
    laptop
        .jar
        .add_cookie_str(&cookie, &app.address.parse().unwrap());
    let answer = laptop.get_url(&callback).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await.1, 2, "no identity was written");
    let replay = laptop.get_url(&callback).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST, "single use");
}

#[tokio::test]
async fn a_link_whose_session_ended_meanwhile_is_a_400() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    let id = laptop.current_session_id().await;
    let begun = start_link(&laptop, "corp").await;
    let callback = location(&laptop.get_url(&location(&begun)).await);
    assert!(app
        .cli(&["sessions", "revoke", "--id", &id])
        .await
        .status
        .success());
    assert_eq!(
        laptop.get_url(&callback).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.counts().await.1, 1);
}

#[tokio::test]
async fn unlinking_follows_the_rules_and_ends_the_identitys_sessions() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_dev("Ada", "ada@example.com").await;
    let dev_only = identity_ids(&laptop.me().await);
    let last = unlink(&laptop, &dev_only[0]).await;
    assert_eq!(last.status(), StatusCode::CONFLICT, "the last identity");
    link_corp(&laptop).await;
    let phone = Browser::new(&app, "phone");
    phone.sign_in_corp().await;
    let ids = identity_ids(&laptop.me().await);
    let (dev, corp) = (&ids[0], &ids[1]);
    let own = unlink(&laptop, dev).await;
    assert_eq!(
        own.status(),
        StatusCode::CONFLICT,
        "this session's identity"
    );
    assert_redirects_to(&unlink(&laptop, corp).await, "/account");
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(identity_ids(&laptop.me().await), std::slice::from_ref(dev));
    let bad = unlink(&laptop, "not-a-uuid").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let user = laptop.me().await["id"].as_str().unwrap().to_owned();
    let kinds = event_kinds(&app, Some(&user)).await;
    assert_eq!(kinds, ["sign_in", "link", "sign_in", "unlink"]);
}

async fn unlink(browser: &Browser, identity: &str) -> Response {
    browser
        .post("/account/unlink")
        .form(&[("identity", identity)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn apple_links_through_its_form_post_callback() {
    let apple = FakeApple::start().await;
    let app = spawn_app_with(Options {
        https: true,
        extra_toml: apple.toml("apple"),
        ..Options::default()
    })
    .await;
    let origin = app.address.replace("http://", "https://");
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let begin = plain
        .get(format!("{}/auth/corp?next=/", app.address))
        .send()
        .await
        .unwrap();
    let login = first_pair(&set_cookies(begin.headers(), "__Host-doorman_login")[0]);
    let authorize = plain.get(location(&begin)).send().await.unwrap();
    let callback = location(&authorize).replacen("https://", "http://", 1);
    let signed_in = plain
        .get(callback)
        .header(COOKIE, login)
        .send()
        .await
        .unwrap();
    let session = first_pair(&set_cookies(signed_in.headers(), "__Host-doorman_session")[0]);
    let begun = plain
        .post(format!("{}/auth/apple/link", app.address))
        .header(COOKIE, &session)
        .header("origin", &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(begun.status(), StatusCode::SEE_OTHER);
    let login = first_pair(&set_cookies(begun.headers(), "__Host-doorman_login")[0]);
    let page = plain.get(location(&begun)).send().await.unwrap();
    let html = page.text().await.unwrap();
    // The cross-site POST carries the SameSite=None login cookie, not the Lax session.
    let linked = plain
        .post(format!("{}/auth/apple/callback", app.address))
        .header(COOKIE, login)
        .form(&hidden_fields(&html))
        .send()
        .await
        .unwrap();
    assert_redirects_to(&linked, "/account");
    let me: Value = plain
        .get(format!("{}/api/me", app.address))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let providers: Vec<&str> = me["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["provider"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["corp", "apple"]);
}
