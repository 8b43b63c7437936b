//! The zero-key demo: signing in through the built-in dev IdP.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_redirects_to, spawn_app};

#[tokio::test]
async fn login_page_offers_the_dev_provider() {
    let app = spawn_app().await;
    let page = app.get("/login").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Sign in with Dev"), "{html}");
    assert!(html.contains("href=\"/auth/dev?next="), "{html}");
    assert!(html.contains("Sign in with Corp"), "{html}");
}

#[tokio::test]
async fn a_newcomer_signs_in_with_the_dev_idp_and_sees_their_name() {
    let app = spawn_app().await;
    let callback = app.sign_in_dev("Grace Hopper", "Grace@Example.com").await;
    assert_redirects_to(&callback, "/");
    let me = app.me().await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["name"], "Grace Hopper");
    assert_eq!(me["email"], "Grace@Example.com");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["identities"][0]["provider"], "dev");
    assert_eq!(me["identities"][0]["subject"], "dev:grace@example.com");
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(html.contains("Grace Hopper"), "{html}");
    assert!(html.contains("name=\"csrf_token\""), "{html}");
}

#[tokio::test]
async fn the_dev_idp_form_requires_a_name_and_an_email() {
    let app = spawn_app().await;
    let begin = app.get("/auth/dev").await;
    let form = app.get_url(&crate::helpers::location(&begin)).await;
    let mut fields = crate::helpers::hidden_fields(&form.text().await.unwrap());
    fields.push(("name".into(), "".into()));
    fields.push(("email".into(), "x@example.com".into()));
    let answer = app
        .client
        .post(format!("{}/dev-idp/authorize", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await.0, 0);
}

#[tokio::test]
async fn the_dev_idp_refuses_other_redirect_uris_and_missing_pkce() {
    let app = spawn_app().await;
    let bad = app
        .get("/dev-idp/authorize?client_id=dev&redirect_uri=https://evil.example/cb&response_type=code&scope=openid&state=s&nonce=n&code_challenge=c&code_challenge_method=S256")
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let redirect = format!("{}/auth/dev/callback", app.address);
    let no_pkce = app
        .get(&format!(
            "/dev-idp/authorize?client_id=dev&redirect_uri={}&response_type=code&scope=openid&state=s&nonce=n",
            crate::helpers::urlencode(&redirect)
        ))
        .await;
    assert_eq!(no_pkce.status(), StatusCode::BAD_REQUEST);
}
