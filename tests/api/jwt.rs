//! Keys and JWKS, and the forward-auth assertion (X-Auth-Request-Jwt),
//! checked by a verifier that knows nothing but the JWKS document.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_oidc::FakeUser;
use crate::helpers::{spawn_app_with, Options, TestApp};

async fn with_assertions(extra: &str) -> TestApp {
    spawn_app_with(Options {
        extra_toml: format!("[forward_auth]\njwt_assertion = true\n{extra}"),
        ..Options::default()
    })
    .await
}

async fn jwks(app: &TestApp) -> JwkSet {
    let answer = app.get("/.well-known/jwks.json").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "public, max-age=300");
    answer.json().await.unwrap()
}

/// Verifies `jwt` against the app's published JWKS, for audience `aud`.
async fn verify_with_jwks(app: &TestApp, jwt: &str, aud: &str) -> Value {
    let set = jwks(app).await;
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let jwk = set
        .find(header.kid.as_deref().unwrap())
        .expect("kid in JWKS");
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[aud]);
    validation.set_issuer(&[&app.address]);
    jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .expect("the assertion verifies with the JWKS")
        .claims
}

async fn assertion(app: &TestApp, query: &str) -> String {
    let answer = app.get(&format!("/auth/verify{query}")).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.headers()["x-auth-request-jwt"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_assertion_verifies_with_nothing_but_the_jwks_and_has_the_claims() {
    let app = with_assertions("").await;
    app.sign_in_corp("/").await;
    let me: Value = app.me().await.json().await.unwrap();
    let jwt = assertion(&app, "?aud=https://wiki.example").await;
    let claims = verify_with_jwks(&app, &jwt, "https://wiki.example").await;
    assert_eq!(claims["sub"], me["id"]);
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["name"], "Ada Lovelace");
    assert_eq!(claims["preferred_username"], "ada");
    assert_eq!(claims["groups"], serde_json::json!([]));
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!(lifetime > 60 && lifetime <= 300, "{lifetime}");
    assert_eq!(
        assertion(&app, "?aud=https://wiki.example").await,
        jwt,
        "reused from the session's cache entry"
    );
    let default = assertion(&app, "").await;
    verify_with_jwks(&app, &default, &app.address).await;
}

#[tokio::test]
async fn the_assertion_carries_an_email_only_when_verified() {
    let app = with_assertions("").await;
    app.corp.set_user(FakeUser {
        email_verified: false,
        ..FakeUser::default()
    });
    app.sign_in_corp("/").await;
    let jwt = assertion(&app, "").await;
    let claims = verify_with_jwks(&app, &jwt, &app.address).await;
    assert!(claims.get("email").is_none(), "{claims}");
    assert_eq!(claims["email_verified"], false);
}

#[tokio::test]
async fn the_assertion_uses_jwt_audience_and_is_off_by_default() {
    let app = with_assertions("jwt_audience = \"https://apps.example\"\n").await;
    app.sign_in_corp("/").await;
    let jwt = assertion(&app, "").await;
    verify_with_jwks(&app, &jwt, "https://apps.example").await;
    let plain = spawn_app_with(Options::default()).await;
    plain.sign_in_corp("/").await;
    let answer = plain.get("/auth/verify").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get("x-auth-request-jwt").is_none());
}

#[tokio::test]
async fn a_role_change_drops_the_assertion_with_the_session_entry() {
    let app = with_assertions("").await;
    app.sign_in_corp("/").await;
    let id = app.me().await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = assertion(&app, "").await;
    assert!(app
        .cli(&["users", "grant", &id, "admin"])
        .await
        .status
        .success());
    let after = assertion(&app, "").await;
    assert_ne!(before, after);
    let claims = verify_with_jwks(&app, &after, &app.address).await;
    assert_eq!(claims["groups"], serde_json::json!(["admin"]));
}

#[tokio::test]
async fn instances_with_the_same_secret_key_publish_the_same_key() {
    let a = spawn_app_with(Options::default()).await;
    let b = spawn_app_with(Options::default()).await;
    let (ka, kb) = (jwks(&a).await, jwks(&b).await);
    assert_eq!(ka.keys.len(), 1);
    assert_eq!(
        serde_json::to_value(&ka).unwrap(),
        serde_json::to_value(&kb).unwrap()
    );
    let jwk = serde_json::to_value(&ka.keys[0]).unwrap();
    assert_eq!(jwk["kty"], "EC");
    assert_eq!(jwk["crv"], "P-256");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["alg"], "ES256");
    let rotated = spawn_app_with(Options {
        server_toml: format!("previous_secret_keys = [\"{PREVIOUS_KEY}\"]"),
        ..Options::default()
    })
    .await;
    let kr = serde_json::to_value(jwks(&rotated).await).unwrap();
    assert_eq!(kr["keys"].as_array().unwrap().len(), 2);
    assert_eq!(kr["keys"][0], jwk, "the current key comes first");
}

/// An earlier secret key, for rotation tests.
pub const PREVIOUS_KEY: &str = "previous-secret-key-0123456789abcdef-0123456789";
