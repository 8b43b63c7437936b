//! RP-initiated logout (`end_session = true`): the local session ends, then
//! the browser goes to the provider's end_session_endpoint with
//! id_token_hint, client_id and post_logout_redirect_uri.

use reqwest::StatusCode;

use crate::fake_oidc::FakeOidc;
use crate::helpers::{location, spawn_app, spawn_app_with, Options};

#[tokio::test]
async fn logout_with_end_session_ends_the_session_then_sends_the_browser_to_the_provider() {
    let app = spawn_app_with(Options {
        extra_toml: "end_session = true\n".into(),
        ..Options::default()
    })
    .await;
    app.sign_in_corp("/").await;
    let out = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let to = url::Url::parse(&location(&out)).unwrap();
    assert!(to
        .as_str()
        .starts_with(&format!("{}/end-session?", app.corp.issuer())));
    let query: std::collections::HashMap<_, _> = to.query_pairs().into_owned().collect();
    assert_eq!(
        query["id_token_hint"],
        app.corp.id_tokens()[0],
        "this sign-in's ID token"
    );
    assert_eq!(query["client_id"], FakeOidc::CLIENT_ID);
    assert_eq!(
        query["post_logout_redirect_uri"],
        format!("{}/login", app.address)
    );
    assert_eq!(
        app.me().await.status(),
        StatusCode::UNAUTHORIZED,
        "the local session ended before the browser reaches the provider"
    );
}

#[tokio::test]
async fn logout_without_end_session_stays_on_this_site() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let out = app
        .client
        .post(format!("{}/logout", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    crate::helpers::assert_redirects_to(&out, "/login");
    assert!(app.corp.end_session_queries().is_empty());
}

#[tokio::test]
async fn check_refuses_end_session_when_the_provider_publishes_no_end_session_endpoint() {
    let app = spawn_app_with(Options {
        extra_toml: "end_session = true\n".into(),
        ..Options::default()
    })
    .await;
    assert!(app.cli(&["check"]).await.status.success());
    app.corp.no_end_session();
    let out = app.cli(&["check"]).await;
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("end_session_endpoint"), "{said}");
}
