//! The built-in development OpenID provider under /dev-idp: discovery, an
//! authorize form (name and email), token, userinfo and JWKS, with an ES256
//! key made at start. doorman signs in with it through its ordinary OIDC
//! core. As a provider of its own it answers OAuth errors itself.

mod grants;
mod handlers;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::rand_core::OsRng;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde_json::{json, Value};

use crate::templates::Templates;
pub use grants::Grants;

/// The dev IdP: its issuer, redirect URI, signing key and grants.
pub struct DevIdp {
    issuer: String,
    redirect_uri: String,
    kid: String,
    key: EncodingKey,
    jwk: Value,
    grants: Grants,
    templates: Templates,
}

impl DevIdp {
    /// A dev IdP for a doorman served at `base_url` (`{public_url}{path_prefix}`),
    /// with a fresh key.
    pub fn new(base_url: &str, templates: Templates) -> Result<Arc<DevIdp>, String> {
        let secret = p256::SecretKey::random(&mut OsRng);
        let der = secret.to_pkcs8_der().map_err(|e| e.to_string())?;
        let point = secret.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err("could not encode the dev IdP key".into());
        };
        let kid = format!("dev-{}", &URL_SAFE_NO_PAD.encode(&x[..6]));
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
            "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
        });
        Ok(Arc::new(DevIdp {
            issuer: format!("{base_url}/dev-idp"),
            redirect_uri: format!("{base_url}/auth/dev/callback"),
            kid,
            key: EncodingKey::from_ec_der(der.as_bytes()),
            jwk,
            grants: Grants::default(),
            templates,
        }))
    }

    /// Signs claims as an ES256 JWT with the current key.
    fn sign(&self, claims: &Value) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key)
    }

    /// The dev IdP's routes, to be nested under /dev-idp.
    pub fn router<S: Clone + Send + Sync + 'static>(self: Arc<Self>) -> Router<S> {
        Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(handlers::discovery),
            )
            .route(
                "/authorize",
                get(handlers::authorize_form).post(handlers::authorize_submit),
            )
            .route("/token", post(handlers::token))
            .route("/userinfo", get(handlers::userinfo))
            .route("/jwks", get(handlers::jwks))
            .with_state(self)
    }
}
