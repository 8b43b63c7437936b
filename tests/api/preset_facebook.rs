//! The facebook preset against a fake Graph API: the nested picture, an
//! absent email, the API version, appsecret_proof and refused codes.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_facebook::{FacebookUser, FakeFacebook};
use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};

async fn app_with(facebook: &FakeFacebook, version: Option<&str>, extra: &str) -> TestApp {
    let extra_toml = format!("{}{extra}", facebook.config("facebook", version));
    spawn_app_with(Options {
        extra_toml,
        ..Options::default()
    })
    .await
}

async fn signed_in_me(app: &TestApp) -> Value {
    assert_redirects_to(&app.sign_in("facebook").await, "/");
    app.me().await.json().await.unwrap()
}

#[tokio::test]
async fn a_facebook_sign_in_maps_graph_me_to_the_identity() {
    let facebook = FakeFacebook::start().await;
    let app = app_with(&facebook, None, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["identities"][0]["provider"], "facebook");
    assert_eq!(me["identities"][0]["subject"], "10158473617389012");
    assert_eq!(me["identities"][0]["username"], Value::Null);
    assert_eq!(me["name"], "Ada Lovelace");
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["email_verified"], true);
    let avatar = me["avatar_url"].as_str().unwrap();
    assert!(
        avatar.starts_with("https://platform-lookaside.fbsbx.com/"),
        "{avatar}"
    );
    let query = facebook.last_authorize_query().unwrap();
    assert_eq!(query["scope"], "email,public_profile");
    assert_eq!(query["code_challenge_method"], "S256");
    let default = doorman::providers::facebook::DEFAULT_API_VERSION;
    assert_eq!(facebook.versions(), [default, default]);
}

#[tokio::test]
async fn a_facebook_user_without_an_email_signs_in_without_one() {
    let facebook = FakeFacebook::start().await;
    facebook.set_user(FacebookUser {
        email: None,
        ..FacebookUser::default()
    });
    let app = app_with(&facebook, None, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "10158473617389012");
    assert_eq!(me["email"], Value::Null);
    assert_eq!(me["email_verified"], false);
}

#[tokio::test]
async fn an_email_permission_not_asked_for_gives_no_email() {
    let facebook = FakeFacebook::start().await;
    let app = app_with(&facebook, None, "scopes = [\"public_profile\"]\n").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["email"], Value::Null);
    assert_eq!(me["name"], "Ada Lovelace");
}

#[tokio::test]
async fn the_configured_graph_api_version_is_used() {
    let facebook = FakeFacebook::start().await;
    let app = app_with(&facebook, Some("v21.0"), "").await;
    signed_in_me(&app).await;
    assert_eq!(facebook.versions(), ["v21.0", "v21.0"]);
}

#[tokio::test]
async fn graph_refuses_me_without_a_valid_appsecret_proof() {
    let facebook = FakeFacebook::start().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = facebook.base();
    let redirect_uri = "http://127.0.0.1:1/auth/facebook/callback";
    let dialog = client
        .get(format!("{base}/v23.0/dialog/oauth"))
        .query(&[
            ("client_id", FakeFacebook::APP_ID),
            ("redirect_uri", redirect_uri),
        ])
        .query(&[("state", "s"), ("scope", "email")])
        .send()
        .await
        .unwrap();
    let callback = url::Url::parse(&crate::helpers::location(&dialog)).unwrap();
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1;
    let token: Value = client
        .post(format!("{base}/v23.0/oauth/access_token"))
        .form(&[
            ("client_id", FakeFacebook::APP_ID),
            ("client_secret", FakeFacebook::APP_SECRET),
            ("redirect_uri", redirect_uri),
            ("code", &code),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap();
    for proof in [None, Some("0123abcd")] {
        let mut me = client
            .get(format!("{base}/v23.0/me?fields=id,name"))
            .bearer_auth(token);
        if let Some(proof) = proof {
            me = me.query(&[("appsecret_proof", proof)]);
        }
        let answer = me.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], 100, "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("appsecret_proof"));
    }
}

#[tokio::test]
async fn a_used_facebook_code_is_a_400() {
    let facebook = FakeFacebook::start().await;
    let app = app_with(&facebook, None, "").await;
    let first = app.begin_sign_in("facebook").await;
    assert_redirects_to(&app.get_url(&first).await, "/");
    let code = |url: &str| {
        let url = url::Url::parse(url).unwrap();
        url.query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned()
    };
    let second = app.begin_sign_in("facebook").await;
    let replayed = second.replace(&code(&second), &code(&first));
    assert_eq!(
        app.get_url(&replayed).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_denied_facebook_dialog_is_a_400_without_a_session() {
    let facebook = FakeFacebook::start().await;
    facebook.deny();
    let app = app_with(&facebook, None, "").await;
    assert_eq!(
        app.sign_in("facebook").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}
