//! API access tokens (RFC 9068 shape): `typ` "at+jwt", iss = public_url,
//! aud = "{public_url}/api", sub, sid, jti, iat, exp. A cheap look at an
//! Authorization header decides whether it is doorman's at all; only then
//! is it verified.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::JwtKeys;

/// The header `typ` of an access token.
pub const ACCESS_TYP: &str = "at+jwt";

/// An access token's claims.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// public_url.
    pub iss: String,
    /// "{public_url}/api".
    pub aud: String,
    /// The user id.
    pub sub: Uuid,
    /// The session id.
    pub sid: Uuid,
    /// A unique id.
    pub jti: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Why a token that claims to be doorman's is refused.
#[derive(Debug, thiserror::Error)]
pub enum BearerError {
    /// Bad signature, unknown key, wrong algorithm, audience or issuer, expired.
    #[error("invalid access token: {0}")]
    Invalid(String),
}

#[derive(Deserialize)]
struct PeekHeader {
    typ: Option<String>,
}

#[derive(Deserialize)]
struct PeekClaims {
    iss: Option<String>,
}

/// Whether `token` claims to be a doorman access token from `issuer`: a JWT
/// whose `typ` is at+jwt and whose `iss` is ours. Nothing is verified yet;
/// anything else (another service's bearer token) is not ours to judge.
pub fn claims_to_be_ours(token: &str, issuer: &str) -> bool {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let decode = |segment: &str| URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok();
    let typ_ok = decode(header)
        .and_then(|h| serde_json::from_slice::<PeekHeader>(&h).ok())
        .and_then(|h| h.typ)
        .is_some_and(|t| {
            t.eq_ignore_ascii_case(ACCESS_TYP) || t.eq_ignore_ascii_case("application/at+jwt")
        });
    typ_ok
        && decode(payload)
            .and_then(|p| serde_json::from_slice::<PeekClaims>(&p).ok())
            .and_then(|c| c.iss)
            .is_some_and(|iss| iss == issuer)
}

impl JwtKeys {
    /// Signs an access token.
    pub fn sign_access(&self, claims: &AccessClaims) -> Result<String, super::SignError> {
        self.sign(ACCESS_TYP, claims)
    }

    /// Verifies an access token: ES256 only, a current or previous key,
    /// `typ`, iss, aud and exp.
    pub fn verify_access(
        &self,
        token: &str,
        issuer: &str,
        audience: &str,
    ) -> Result<AccessClaims, BearerError> {
        let invalid = |e: &dyn std::fmt::Display| BearerError::Invalid(e.to_string());
        let header = jsonwebtoken::decode_header(token).map_err(|e| invalid(&e))?;
        if header.alg != Algorithm::ES256 {
            return Err(BearerError::Invalid("algorithm is not ES256".into()));
        }
        if !header.typ.as_deref().is_some_and(|t| {
            t.eq_ignore_ascii_case(ACCESS_TYP) || t.eq_ignore_ascii_case("application/at+jwt")
        }) {
            return Err(BearerError::Invalid("typ is not at+jwt".into()));
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.decoding(kid))
            .ok_or_else(|| BearerError::Invalid("unknown key".into()))?;
        let mut validation = Validation::new(Algorithm::ES256);
        validation.leeway = 0;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<AccessClaims>(token, key, &validation)
            .map(|data| data.claims)
            .map_err(|e| invalid(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(iss: &str, exp: i64) -> AccessClaims {
        AccessClaims {
            iss: iss.into(),
            aud: format!("{iss}/api"),
            sub: Uuid::now_v7(),
            sid: Uuid::now_v7(),
            jti: "j".into(),
            iat: exp - 900,
            exp,
        }
    }

    #[test]
    fn only_tokens_with_our_typ_and_issuer_are_ours() {
        let keys = JwtKeys::derive(b"0123456789abcdef0123456789abcdef", &[]);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let token = keys.sign_access(&claims("http://a", now + 60)).unwrap();
        assert!(claims_to_be_ours(&token, "http://a"));
        assert!(!claims_to_be_ours(&token, "http://b"));
        assert!(!claims_to_be_ours("opaque-token", "http://a"));
        let plain = keys.sign("JWT", &claims("http://a", now + 60)).unwrap();
        assert!(!claims_to_be_ours(&plain, "http://a"));
        assert!(keys
            .verify_access(&token, "http://a", "http://a/api")
            .is_ok());
        assert!(keys.verify_access(&token, "http://a", "http://x").is_err());
        let expired = keys.sign_access(&claims("http://a", now - 5)).unwrap();
        assert!(keys
            .verify_access(&expired, "http://a", "http://a/api")
            .is_err());
        let other = JwtKeys::derive(b"another-secret-another-secret-xx", &[]);
        assert!(other
            .verify_access(&token, "http://a", "http://a/api")
            .is_err());
    }
}
