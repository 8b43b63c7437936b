//! ID token validation (OIDC Core 3.1.3.7) beyond what the verifier does by
//! itself, and the userinfo request whose `sub` must match.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use openidconnect::core::CoreTokenResponse;
use openidconnect::{
    AccessTokenHash, ClaimsVerificationError, Nonce, OAuth2TokenResponse,
    SignatureVerificationError, TokenResponse,
};
use serde_json::Value;

use super::oidc_core::{DiscoveredClient, ALLOWED_ALGS};
use super::oidc_metadata::Metadata;
use super::userinfo_jwt;
use super::{FlowError, ProviderHttp};
use crate::providers::OidcSpec;

/// Allowed clock skew on exp and iat.
const SKEW: chrono::Duration = chrono::Duration::minutes(5);
/// An ID token issued longer ago than this is refused, whatever its exp says.
const MAX_TOKEN_AGE: chrono::Duration = chrono::Duration::hours(24);
/// Claims that describe the token, not the user: userinfo never overrides them.
const PROTOCOL_CLAIMS: &[&str] = &[
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "azp",
    "at_hash",
    "c_hash",
    "auth_time",
    "jti",
];

/// Validates the ID token of `token` (signature on an allowed algorithm,
/// iss, aud, azp, exp, iat, nonce, at_hash) and returns its claims. A
/// templated issuer (`spec.tenant_issuer`) is left to `claim_rules`; a
/// missing nonce is accepted only where the preset says the provider omits it.
pub fn validate(
    client: &DiscoveredClient,
    spec: &OidcSpec,
    token: &CoreTokenResponse,
    nonce: &Nonce,
) -> Result<Value, FlowError> {
    let id_token = token
        .id_token()
        .ok_or_else(|| FlowError::IdToken("the token response has no id_token".into()))?;
    let verifier = client
        .id_token_verifier()
        .require_issuer_match(spec.tenant_issuer.is_none())
        .set_allowed_algs(ALLOWED_ALGS.iter().cloned())
        .set_time_fn(|| Utc::now() - SKEW)
        .set_issue_time_verifier_fn(check_iat);
    let nonce_required = spec.nonce_required;
    let check_nonce = |got: Option<&Nonce>| match got {
        None if !nonce_required => Ok(()),
        _ => openidconnect::NonceVerifier::verify(nonce, got),
    };
    let claims = id_token
        .claims(&verifier, check_nonce)
        .map_err(claims_error)?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| FlowError::IdToken(e.to_string()))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| FlowError::IdToken(e.to_string()))?;
        let actual = AccessTokenHash::from_token(token.access_token(), alg, key)
            .map_err(|e| FlowError::IdToken(e.to_string()))?;
        if actual != *expected {
            return Err(FlowError::IdToken(
                "at_hash does not match the access token".into(),
            ));
        }
    }
    let claims = payload(&id_token.to_string())?;
    // OIDC Core 3.1.3.7 step 5; openidconnect leaves azp to its callers.
    if let Some(azp) = claims.get("azp") {
        if azp.as_str() != Some(client.client_id().as_str()) {
            return Err(FlowError::IdToken("azp is not this client".into()));
        }
    }
    Ok(claims)
}

fn check_iat(iat: DateTime<Utc>) -> Result<(), String> {
    let now = Utc::now();
    if iat > now + SKEW {
        Err(format!("iat {iat} is in the future"))
    } else if iat < now - MAX_TOKEN_AGE {
        Err(format!("iat {iat} is too old"))
    } else {
        Ok(())
    }
}

fn claims_error(e: ClaimsVerificationError) -> FlowError {
    match e {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => FlowError::UnknownKey,
        other => FlowError::IdToken(other.to_string()),
    }
}

/// The claims of an already verified compact JWT, as JSON.
fn payload(compact: &str) -> Result<Value, FlowError> {
    let part = compact
        .split('.')
        .nth(1)
        .ok_or_else(|| FlowError::IdToken("malformed ID token".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| FlowError::IdToken(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| FlowError::IdToken(e.to_string()))
}

/// Reads userinfo with the access token (JSON, or a JWT signed by the
/// provider); its `sub` must be the ID token's. Its user claims are laid
/// over the ID token's.
pub async fn merge_userinfo(
    http: &ProviderHttp,
    meta: &Metadata,
    client_id: &str,
    token: &CoreTokenResponse,
    mut claims: Value,
) -> Result<Value, FlowError> {
    let Some(endpoint) = meta.userinfo_endpoint() else {
        return Ok(claims);
    };
    let response = super::api::get(
        http,
        endpoint.url().as_str(),
        token.access_token().secret(),
        &[],
    )
    .await?;
    let signed = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/jwt"));
    let info = if signed {
        let jwt = std::str::from_utf8(response.body())
            .map_err(|_| FlowError::Profile("userinfo JWT is not text".into()))?;
        userinfo_jwt::verify(jwt.trim(), meta, client_id)?
    } else {
        serde_json::from_slice(response.body())
            .map_err(|_| FlowError::Profile("userinfo is not a JSON object".into()))?
    };
    let Value::Object(info) = info else {
        return Err(FlowError::Profile("userinfo is not a JSON object".into()));
    };
    if info.get("sub") != claims.get("sub") {
        return Err(FlowError::UserinfoMismatch);
    }
    if let Some(target) = claims.as_object_mut() {
        for (key, value) in info {
            if !PROTOCOL_CLAIMS.contains(&key.as_str()) {
                target.insert(key, value);
            }
        }
    }
    Ok(claims)
}
