//! Sign-in with OAuth 1.0a against the fake X: the `x` preset end to end,
//! the generic `oauth1` preset, and the callback's 400 and 502 cases.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_x::{FakeX, FakeXUser};
use crate::helpers::{assert_redirects_to, location, spawn_app_with, Options, TestApp};

/// doorman with the fake X configured as the provider `x`, signing with `secret`.
async fn spawn_with_x(secret: &str) -> (TestApp, FakeX) {
    let x = FakeX::start().await;
    let app = spawn_app_with(Options {
        extra_toml: x.provider_toml("x", "x", secret),
        ..Options::default()
    })
    .await;
    (app, x)
}

/// GET /auth/{name}, then the fake's authenticate: the callback URL it sends the browser to.
async fn begin(app: &TestApp, name: &str) -> String {
    let begin = app.get(&format!("/auth/{name}?next=/")).await;
    assert_eq!(
        begin.status(),
        StatusCode::SEE_OTHER,
        "begin answered {}",
        begin.status()
    );
    let authenticate = app.get_url(&location(&begin)).await;
    assert_eq!(authenticate.status(), StatusCode::SEE_OTHER);
    location(&authenticate)
}

/// The callback URL with one query parameter's value replaced (None: removed).
fn set_param(url: &str, name: &str, value: Option<&str>) -> String {
    let mut url = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter_map(|(k, v)| match (k == name, value) {
            (false, _) => Some((k.into_owned(), v.into_owned())),
            (true, Some(value)) => Some((k.into_owned(), value.to_owned())),
            (true, None) => None,
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

#[tokio::test]
async fn an_x_sign_in_creates_a_user_with_the_x_identity() {
    let (app, x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    let callback = app.get_url(&begin(&app, "x").await).await;
    assert_redirects_to(&callback, "/");
    assert_eq!(app.counts().await, (1, 1, 1));
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["name"], "Twitter Dev");
    assert_eq!(me["email"], "dev@x.example");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        me["avatar_url"],
        "https://pbs.twimg.com/profile_images/2244994945/photo_normal.jpg"
    );
    let identity = &me["identities"][0];
    assert_eq!(identity["provider"], "x");
    assert_eq!(identity["subject"], "2244994945");
    assert_eq!(identity["username"], "TwitterDev");
    let query = x.last_profile_query();
    assert_eq!(query["include_email"], "true");
    assert_eq!(query["skip_status"], "true");
    assert_eq!(x.bad_signatures(), 0);
}

#[tokio::test]
async fn a_second_x_sign_in_reuses_the_user_even_after_a_new_screen_name() {
    let (app, x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    app.get_url(&begin(&app, "x").await).await;
    let first: Value = app.me().await.json().await.unwrap();
    x.set_user(FakeXUser {
        screen_name: "XDevelopers".into(),
        ..FakeXUser::default()
    });
    let callback = app.get_url(&begin(&app, "x").await).await;
    assert_redirects_to(&callback, "/");
    let second: Value = app.me().await.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    assert_eq!(second["identities"][0]["username"], "XDevelopers");
    let (users, identities, _) = app.counts().await;
    assert_eq!((users, identities), (1, 1));
}

#[tokio::test]
async fn a_denied_x_sign_in_is_a_400_page_without_a_session() {
    let (app, x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    x.deny();
    let callback = begin(&app, "x").await;
    assert!(callback.contains("denied="), "{callback}");
    let answer = app.get_url(&callback).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(answer.text().await.unwrap().contains("denied"));
    assert_eq!(app.counts().await, (0, 0, 0));
    assert!(app.session_token().is_none());
}

#[tokio::test]
async fn a_callback_whose_oauth_token_differs_from_the_issued_one_is_a_400() {
    let (app, _x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    let callback = begin(&app, "x").await;
    let forged = set_param(&callback, "oauth_token", Some("forged"));
    assert_eq!(app.get_url(&forged).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
    assert!(app.session_token().is_none());
}

#[tokio::test]
async fn a_refused_or_missing_verifier_is_a_400() {
    let (app, _x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    let callback = begin(&app, "x").await;
    let forged = set_param(&callback, "oauth_verifier", Some("guessed"));
    assert_eq!(app.get_url(&forged).await.status(), StatusCode::BAD_REQUEST);
    let callback = begin(&app, "x").await;
    let missing = set_param(&callback, "oauth_verifier", None);
    assert_eq!(
        app.get_url(&missing).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_refused_request_token_is_a_502_page() {
    let (app, x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    x.refuse_request_token();
    let answer = app.get("/auth/x").await;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert!(answer.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn a_wrong_consumer_secret_fails_the_providers_signature_check_with_a_502() {
    let (app, x) = spawn_with_x("not-the-secret").await;
    let answer = app.get("/auth/x").await;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(x.bad_signatures(), 1);
}

#[tokio::test]
async fn a_nonsense_or_unconfirmed_request_token_answer_is_a_502() {
    let (app, x) = spawn_with_x(FakeX::CONSUMER_SECRET).await;
    x.request_token_body("<html>maintenance</html>");
    assert_eq!(app.get("/auth/x").await.status(), StatusCode::BAD_GATEWAY);
    x.request_token_body("oauth_token=t&oauth_token_secret=s");
    assert_eq!(app.get("/auth/x").await.status(), StatusCode::BAD_GATEWAY);
}

#[tokio::test]
async fn a_generic_oauth1_provider_signs_in_through_its_claims_mapping() {
    let claims = "[providers.legacy.claims]\nsubject = \"/id_str\"\n\
                  username = \"/screen_name\"\nname = \"/name\"\nemail = \"/email\"\n";
    let x = FakeX::start().await;
    let app = spawn_app_with(Options {
        extra_toml: format!(
            "{}{claims}",
            x.provider_toml("legacy", "oauth1", FakeX::CONSUMER_SECRET)
        ),
        ..Options::default()
    })
    .await;
    let callback = app.get_url(&begin(&app, "legacy").await).await;
    assert_redirects_to(&callback, "/");
    let me: Value = app.me().await.json().await.unwrap();
    let identity = &me["identities"][0];
    assert_eq!(identity["provider"], "legacy");
    assert_eq!(identity["subject"], "2244994945");
    assert_eq!(identity["username"], "TwitterDev");
    assert_eq!(me["name"], "Twitter Dev");
    // No email_verified pointer was given, so the email is not trusted.
    assert_eq!(me["email_verified"], false);
    assert!(x.last_profile_query().is_empty());
}
