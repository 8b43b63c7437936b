//! Client secrets doorman signs itself (Sign in with Apple): an ES256 JWT
//! per provider, kept until shortly before it expires and then signed anew.

use std::collections::HashMap;
use std::sync::Mutex;

use jsonwebtoken::{Algorithm, Header};
use serde::Serialize;

use super::FlowError;
use crate::providers::SignedSecret;

/// A cached secret is signed anew when less than this is left of its life.
const RENEW_BEFORE_SECS: i64 = 3600;

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

/// Signed secrets per provider name, with their expiry.
#[derive(Default)]
pub struct SecretCache {
    cache: Mutex<HashMap<String, (i64, String)>>,
}

impl SecretCache {
    /// Forgets every cached secret.
    pub fn forget(&self) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The secret for `provider` at time `now`: the cached one while it has
    /// more than [`RENEW_BEFORE_SECS`] left, else a freshly signed one.
    pub fn get(
        &self,
        provider: &str,
        spec: &SignedSecret,
        client_id: &str,
        audience: &str,
        now: i64,
    ) -> Result<String, FlowError> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((exp, jwt)) = cache.get(provider) {
            if now < exp - RENEW_BEFORE_SECS {
                return Ok(jwt.clone());
            }
        }
        let exp = now + spec.lifetime_secs;
        let claims = Claims {
            iss: &spec.issuer,
            sub: client_id,
            aud: audience,
            iat: now,
            exp,
        };
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(spec.key_id.clone());
        let jwt = jsonwebtoken::encode(&header, &claims, &spec.key)
            .map_err(|e| FlowError::TokenExchange(format!("cannot sign the client secret: {e}")))?;
        cache.insert(provider.to_owned(), (exp, jwt.clone()));
        Ok(jwt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};
    use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

    fn key() -> (SignedSecret, DecodingKey) {
        let secret = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
        let pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        let public = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        let spec = SignedSecret {
            key: jsonwebtoken::EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
            key_id: "ABC123DEFG".into(),
            issuer: "DEF123GHIJ".into(),
            lifetime_secs: 86_400,
        };
        (spec, DecodingKey::from_ec_pem(public.as_bytes()).unwrap())
    }

    #[test]
    fn the_secret_is_an_es256_jwt_with_apples_claims() {
        let (spec, public) = key();
        let now = crate::flow::unix_now();
        let jwt = SecretCache::default()
            .get(
                "apple",
                &spec,
                "com.example.web",
                "https://appleid.apple.com",
                now,
            )
            .unwrap();
        let header = jsonwebtoken::decode_header(&jwt).unwrap();
        assert_eq!(header.kid.as_deref(), Some("ABC123DEFG"));
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_audience(&["https://appleid.apple.com"]);
        let data = jsonwebtoken::decode::<serde_json::Value>(&jwt, &public, &validation).unwrap();
        let c = data.claims;
        assert_eq!(
            (c["iss"].as_str(), c["sub"].as_str()),
            (Some("DEF123GHIJ"), Some("com.example.web"))
        );
        assert_eq!(c["iat"], now);
        assert_eq!(c["exp"], now + 86_400);
    }

    #[test]
    fn the_secret_is_reused_until_an_hour_before_it_expires() {
        let (spec, _) = key();
        let cache = SecretCache::default();
        let get = |now| cache.get("apple", &spec, "c", "a", now).unwrap();
        let first = get(1_000_000);
        assert_eq!(get(1_000_000 + 86_400 - 3601), first);
        let renewed = get(1_000_000 + 86_400 - 3599);
        assert_ne!(renewed, first);
        assert_eq!(get(1_000_000 + 86_400), renewed);
    }
}
