//! OpenID Connect Back-Channel Logout 1.0: validating a logout token
//! (section 2.6). The signature is checked by jsonwebtoken against the
//! provider's JWKS (fetched again once for an unknown kid), on an
//! allow-list of asymmetric algorithms (never `none`, never HMAC); then iss,
//! aud, iat, exp, jti, events, sub or sid, and no nonce.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{DecodingKey, Validation};
use serde_json::Value;

use super::oidc_metadata::Metadata;
use super::userinfo_jwt::ALLOWED;
use super::{Engine, FlowError};
use crate::providers::{Protocol, Provider};

/// The event a logout token must carry.
pub const BACKCHANNEL_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// iat may be this far in the past or the future (seconds).
const IAT_SKEW: i64 = 300;
/// A logout token longer than this is refused unread.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// What a valid logout token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutClaims {
    /// `sub`, if present.
    pub sub: Option<String>,
    /// `sid`, if present.
    pub sid: Option<String>,
    /// `jti`.
    pub jti: String,
    /// `iat` (Unix seconds).
    pub iat: i64,
}

impl Engine {
    /// Validates a back-channel logout token sent for `provider` at `now`.
    /// Err(FlowError::IdToken) says why it is refused.
    pub async fn validate_logout_token(
        &self,
        provider: &Provider,
        token: &str,
        now: i64,
    ) -> Result<LogoutClaims, FlowError> {
        let Protocol::Oidc(spec) = &provider.protocol else {
            return Err(invalid(
                "back-channel logout needs an OpenID Connect provider",
            ));
        };
        if token.len() > MAX_TOKEN_BYTES {
            return Err(invalid("the logout token is too large"));
        }
        let header = jsonwebtoken::decode_header(token).map_err(|e| invalid(&e.to_string()))?;
        if !ALLOWED.contains(&header.alg) {
            return Err(invalid("the logout token's algorithm is not allowed"));
        }
        let meta = self.oidc.metadata(&self.http, provider, spec).await?;
        let claims = match verify(&meta, provider, &header, token) {
            Err(FlowError::UnknownKey) => {
                let meta = self.oidc.refresh_jwks(&self.http, provider, &meta).await?;
                verify(&meta, provider, &header, token)?
            }
            other => other?,
        };
        check_claims(&claims, now)
    }
}

fn invalid(why: &str) -> FlowError {
    FlowError::IdToken(format!("logout token: {why}"))
}

/// Checks the signature with the JWKS key the header names (or, without a
/// kid, each key of a matching type), and iss and aud.
fn verify(
    meta: &Metadata,
    provider: &Provider,
    header: &jsonwebtoken::Header,
    token: &str,
) -> Result<Value, FlowError> {
    let keys = jwks(meta);
    let candidates: Vec<&Jwk> = keys
        .iter()
        .filter(|k| match (&header.kid, &k.common.key_id) {
            (Some(wanted), Some(kid)) => wanted == kid,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .filter(|k| {
            k.common
                .public_key_use
                .as_ref()
                .is_none_or(|u| matches!(u, jsonwebtoken::jwk::PublicKeyUse::Signature))
        })
        .collect();
    if candidates.is_empty() {
        return Err(FlowError::UnknownKey);
    }
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["iss", "aud"]);
    validation.set_issuer(&[meta.issuer().as_str()]);
    validation.set_audience(&[provider.client_id.as_str()]);
    let mut last = invalid("no key verifies the signature");
    for jwk in candidates {
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        match jsonwebtoken::decode::<Value>(token, &key, &validation) {
            Ok(data) => return Ok(data.claims),
            Err(e) => last = invalid(&e.to_string()),
        }
    }
    Err(last)
}

/// The provider's JWKS as jsonwebtoken keys (keys it cannot read are skipped).
fn jwks(meta: &Metadata) -> Vec<Jwk> {
    let set = serde_json::to_value(meta.jwks()).unwrap_or(Value::Null);
    set.get("keys")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(|k| serde_json::from_value(k.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Section 2.6 steps 4-8 on the verified claims.
fn check_claims(claims: &Value, now: i64) -> Result<LogoutClaims, FlowError> {
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("no iat"))?;
    if iat < now - IAT_SKEW || iat > now + IAT_SKEW {
        return Err(invalid("iat is not within five minutes of now"));
    }
    match claims.get("exp") {
        None => {}
        Some(exp) if exp.as_i64().is_some_and(|exp| exp > now) => {}
        Some(_) => return Err(invalid("expired")),
    }
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && s.len() <= 1024)
            .map(str::to_owned)
    };
    let jti = text("jti").ok_or_else(|| invalid("no jti"))?;
    let has_event = claims
        .get("events")
        .and_then(Value::as_object)
        .is_some_and(|events| events.contains_key(BACKCHANNEL_EVENT));
    if !has_event {
        return Err(invalid("events lacks the back-channel logout event"));
    }
    if claims.get("nonce").is_some() {
        return Err(invalid("a logout token must not carry a nonce"));
    }
    let (sub, sid) = (text("sub"), text("sid"));
    if sub.is_none() && sid.is_none() {
        return Err(invalid("neither sub nor sid"));
    }
    Ok(LogoutClaims { sub, sid, jti, iat })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({"iss": "x", "aud": "c", "iat": 1000, "jti": "j1", "sub": "s",
               "events": {BACKCHANNEL_EVENT: {}}})
    }

    #[test]
    fn the_claims_of_a_logout_token_are_checked() {
        assert_eq!(check_claims(&good(), 1000).unwrap().jti, "j1");
        let broken: Vec<(&str, Value)> = vec![
            ("iat", json!(500)),
            ("iat", json!(1400)),
            ("exp", json!(999)),
            ("jti", json!("")),
            ("events", json!({"other": {}})),
            ("nonce", json!("n")),
        ];
        for (name, value) in broken {
            let mut claims = good();
            claims[name] = value;
            assert!(check_claims(&claims, 1000).is_err(), "{name}");
        }
        let mut no_subject = good();
        no_subject.as_object_mut().unwrap().remove("sub");
        assert!(check_claims(&no_subject, 1000).is_err());
        no_subject["sid"] = json!("sid-1");
        assert_eq!(
            check_claims(&no_subject, 1000).unwrap().sid.as_deref(),
            Some("sid-1")
        );
    }
}
