//! Quirks of the new presets that only a sign-in can show: what goes on the
//! wire to the provider (headers, client authentication, parameter names,
//! methods), against a recording fake.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fake_quirks::FakeQuirks;
use crate::helpers::{spawn_app_with, Options, TestApp};

async fn signed_in_with(preset: &str, profile: Value) -> (TestApp, FakeQuirks) {
    let fake = FakeQuirks::start(profile).await;
    let app = spawn_app_with(Options {
        extra_toml: fake.config(preset),
        ..Options::default()
    })
    .await;
    let done = app.sign_in(preset).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "{preset} signs in");
    (app, fake)
}

fn header<'a>(seen: &'a crate::fake_quirks::Seen, name: &str) -> &'a str {
    seen.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn reddit_gets_basic_client_auth_and_its_descriptive_user_agent_everywhere() {
    let (app, fake) = signed_in_with("reddit", json!({"id": "1w72", "name": "spez"})).await;
    let token = &fake.seen("/token")[0];
    assert!(header(token, "authorization").starts_with("Basic "));
    assert!(
        !token.body.contains("quirk-secret"),
        "the secret is not in the body"
    );
    let ua = "web:quirk-id:1.0 (by doorman sign-in)";
    assert_eq!(header(token, "user-agent"), ua);
    let me = &fake.seen("/api/api/v1/me")[0];
    assert_eq!(header(me, "user-agent"), ua);
    assert!(fake.seen("/authorize")[0]
        .uri
        .query()
        .unwrap()
        .contains("duration=temporary"));
    assert_eq!(app.me().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn twitch_api_calls_carry_the_client_id_header() {
    let user = json!({"data": [{"id": "141981764", "login": "twitchdev"}]});
    let (_app, fake) = signed_in_with("twitch", user).await;
    let users = &fake.seen("/api/users")[0];
    assert_eq!(header(users, "client-id"), "quirk-id");
    assert_eq!(header(users, "authorization"), "Bearer quirk-token");
}

#[tokio::test]
async fn tiktok_names_its_client_id_client_key() {
    let info = json!({"data": {"user": {"open_id": "723f24d7"}}, "error": {"code": "ok"}});
    let (_app, fake) = signed_in_with("tiktok", info).await;
    let authorize = fake.seen("/authorize")[0].uri.query().unwrap().to_owned();
    assert!(authorize.contains("client_key=quirk-id"), "{authorize}");
    assert!(
        !authorize.contains("code_challenge"),
        "no PKCE for web apps"
    );
    let token = &fake.seen("/token")[0];
    assert!(token.body.contains("client_key=quirk-id"), "{}", token.body);
    assert!(token.body.contains("client_secret=quirk-secret"));
}

#[tokio::test]
async fn yandex_sends_its_token_with_the_oauth_scheme() {
    let (_app, fake) = signed_in_with("yandex", json!({"id": "1000034426", "login": "ivan"})).await;
    let info = &fake.seen("/api/info")[0];
    assert_eq!(header(info, "authorization"), "OAuth quirk-token");
}

#[tokio::test]
async fn dropbox_reads_the_account_with_a_bodiless_post() {
    let (_app, fake) = signed_in_with("dropbox", json!({"account_id": "dbid:AAH4f99"})).await;
    let account = &fake.seen("/api/2/users/get_current_account")[0];
    assert_eq!(account.method, axum::http::Method::POST);
}

#[tokio::test]
async fn notion_sends_its_version_header_and_asks_for_a_user_owner() {
    let me = json!({"type": "bot", "bot": {"owner": {"type": "user", "user": {"id": "6794760a"}}}});
    let (_app, fake) = signed_in_with("notion", me).await;
    assert_eq!(
        header(&fake.seen("/api/v1/users/me")[0], "notion-version"),
        "2022-06-28"
    );
    assert!(fake.seen("/authorize")[0]
        .uri
        .query()
        .unwrap()
        .contains("owner=user"));
}
