//! Bearer tokens that claim to be doorman's and fail verification (401 with
//! the error contract), tokens that are not doorman's (ignored: the cookie
//! decides), and tokens signed with a previous secret key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use doorman::jwt::{AccessClaims, JwtKeys};
use reqwest::StatusCode;
use serde_json::Value;

use crate::api_tokens::{bearer, tokens_from_session, with_tokens};
use crate::helpers::{spawn_app_with, Options, TestApp, SECRET_KEY};

/// Claims as doorman would issue them for `app`, for the session behind `access`.
fn claims_like(app: &TestApp, access: &str) -> AccessClaims {
    let mut claims: AccessClaims = jsonwebtoken::dangerous::insecure_decode_claims(access).unwrap();
    claims.iss = app.address.clone();
    claims
}

async fn assert_refused_as_invalid_token(app: &TestApp, token: &str) {
    let answer = bearer(app, "/api/me", token).await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{token}");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn tokens_that_claim_to_be_doormans_and_fail_verification_are_401() {
    let app = with_tokens("[forward_auth]\njwt_assertion = true\n").await;
    app.sign_in_corp("/").await;
    let access = tokens_from_session(&app).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ours = JwtKeys::derive(SECRET_KEY.as_bytes(), &[]);
    let good = claims_like(&app, &access);

    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&good).unwrap());
    assert_refused_as_invalid_token(&app, &format!("{header}.{payload}.")).await;

    let foreign = JwtKeys::derive(b"a-foreign-key-0123456789abcdef-0123456789", &[]);
    assert_refused_as_invalid_token(&app, &foreign.sign_access(&good).unwrap()).await;

    let mut wrong_aud = good.clone();
    wrong_aud.aud = "https://elsewhere.example".into();
    assert_refused_as_invalid_token(&app, &ours.sign_access(&wrong_aud).unwrap()).await;

    let mut expired = good.clone();
    expired.exp = expired.iat - 10;
    assert_refused_as_invalid_token(&app, &ours.sign_access(&expired).unwrap()).await;

    assert_eq!(
        bearer(&app, "/api/me", &ours.sign_access(&good).unwrap())
            .await
            .status(),
        StatusCode::OK,
        "the same claims, well signed, pass"
    );

    let verify = app.get("/auth/verify").await;
    let assertion = verify.headers()["x-auth-request-jwt"].to_str().unwrap();
    let replayed = bearer(&app, "/api/me", assertion).await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    let body: Value = replayed.json().await.unwrap();
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn a_bearer_token_that_is_not_doormans_is_ignored_and_the_cookie_decides() {
    let app = with_tokens("").await;
    app.sign_in_corp("/").await;
    let access = tokens_from_session(&app).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut foreign = claims_like(&app, &access);
    foreign.iss = "https://other.example".into();
    let other_issuer = JwtKeys::derive(b"some-other-service-0123456789abcdef-01", &[])
        .sign_access(&foreign)
        .unwrap();
    for token in ["an-opaque-token-of-the-app", other_issuer.as_str()] {
        let answer = app
            .client
            .get(format!("{}/auth/verify", app.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{token}");
    }
    let no_cookie = bearer(&app, "/auth/verify", "an-opaque-token-of-the-app").await;
    assert_eq!(no_cookie.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_access_token_signed_with_a_previous_key_is_still_accepted() {
    let app = spawn_app_with(Options {
        extra_toml: "[api_tokens]\nenabled = true\n".into(),
        server_toml: format!("previous_secret_keys = [\"{}\"]", crate::jwt::PREVIOUS_KEY),
        ..Options::default()
    })
    .await;
    app.sign_in_corp("/").await;
    let access = tokens_from_session(&app).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let claims = claims_like(&app, &access);
    let previous = JwtKeys::derive(crate::jwt::PREVIOUS_KEY.as_bytes(), &[]);
    let by_previous = previous.sign_access(&claims).unwrap();
    assert_eq!(
        bearer(&app, "/api/me", &by_previous).await.status(),
        StatusCode::OK
    );
    let unknown = JwtKeys::derive(b"never-configured-key-0123456789abcdef-01", &[]);
    assert_refused_as_invalid_token(&app, &unknown.sign_access(&claims).unwrap()).await;
}
