//! Userinfo answered as a signed JWT (OIDC Core 5.3.2): the signature on an
//! allowed algorithm with a key of the provider's JWKS, iss and aud when
//! present.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::oidc_metadata::Metadata;
use super::FlowError;

/// Algorithms accepted on JWTs a provider signs (signed userinfo, logout
/// tokens): asymmetric only, as for ID tokens; never `none`, never HMAC.
pub(super) const ALLOWED: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Verifies a signed userinfo response and returns its claims.
pub fn verify(jwt: &str, meta: &Metadata, client_id: &str) -> Result<Value, FlowError> {
    let bad = |why: &str| FlowError::Profile(format!("signed userinfo: {why}"));
    let header = jsonwebtoken::decode_header(jwt).map_err(|_| bad("malformed JWT"))?;
    if !ALLOWED.contains(&header.alg) {
        return Err(bad("algorithm not allowed"));
    }
    let jwks: JwkSet = serde_json::to_value(meta.jwks())
        .and_then(serde_json::from_value)
        .map_err(|_| bad("unreadable JWKS"))?;
    let jwk = match &header.kid {
        Some(kid) => jwks.find(kid),
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    }
    .ok_or_else(|| bad("no matching key"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| bad("unusable key"))?;
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .map_err(|_| bad("bad signature"))?
        .claims;
    if claims
        .get("iss")
        .is_some_and(|iss| iss.as_str() != Some(meta.issuer().as_str()))
    {
        return Err(bad("iss is not the provider"));
    }
    let audience_ok = match claims.get("aud") {
        None => true,
        Some(Value::String(aud)) => aud == client_id,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(client_id)),
        Some(_) => false,
    };
    if !audience_ok {
        return Err(bad("aud is not this client"));
    }
    Ok(claims)
}
