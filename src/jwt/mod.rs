//! doorman's own JWTs: the ES256 signing keys derived from secret_key (and
//! previous_secret_keys) by HKDF "doorman/jwt/v1", the JWKS document, the
//! forward-auth assertion and API access tokens. Signing and verifying go
//! through jsonwebtoken; nothing here is stored.

pub(crate) mod access;
mod assertion;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use access::{AccessClaims, BearerError, ACCESS_TYP};
pub use assertion::{Assertion, AssertionClaims, ASSERTION_LIFETIME};

/// The HKDF info of the JWT signing key.
const INFO: &[u8] = b"doorman/jwt/v1";

/// One ES256 key pair with its kid (the RFC 7638 thumbprint of its JWK).
struct KeyPair {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Value,
}

impl KeyPair {
    /// The key pair derived from a master secret.
    fn derive(master: &[u8]) -> KeyPair {
        let hk = Hkdf::<Sha256>::new(None, master);
        let mut counter = 0u8;
        let secret = loop {
            let mut bytes = [0u8; 32];
            let mut info = INFO.to_vec();
            if counter > 0 {
                info.push(counter);
            }
            // 32 bytes is far below HKDF-SHA256's limit.
            hk.expand(&info, &mut bytes).expect("valid HKDF length");
            // A scalar of zero or above the group order is rare (about 2^-32): retry.
            if let Ok(secret) = p256::SecretKey::from_slice(&bytes) {
                break secret;
            }
            counter = counter.wrapping_add(1);
        };
        let der = secret
            .to_pkcs8_der()
            .expect("a valid P-256 key encodes as PKCS#8");
        let point = secret.public_key().to_encoded_point(false);
        let coordinate = |c: Option<&p256::FieldBytes>| c.map(|c| URL_SAFE_NO_PAD.encode(c));
        // An uncompressed point always has both coordinates.
        let x = coordinate(point.x()).unwrap_or_default();
        let y = coordinate(point.y()).unwrap_or_default();
        let thumbprint = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(thumbprint.as_bytes()));
        let decoding = DecodingKey::from_ec_components(&x, &y).expect("a valid P-256 point");
        let jwk = json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256",
            "kid": kid, "x": x, "y": y,
        });
        KeyPair {
            kid,
            encoding: EncodingKey::from_ec_der(der.as_bytes()),
            decoding,
            jwk,
        }
    }
}

/// The signing key and the keys still accepted.
pub struct JwtKeys {
    current: KeyPair,
    previous: Vec<KeyPair>,
    jwks: String,
}

impl JwtKeys {
    /// Derives the current key from `master` and the accepted ones from `previous`.
    pub fn derive(master: &[u8], previous: &[&[u8]]) -> JwtKeys {
        let current = KeyPair::derive(master);
        let previous: Vec<KeyPair> = previous
            .iter()
            .map(|m| KeyPair::derive(m))
            .filter(|k| k.kid != current.kid)
            .collect();
        let keys: Vec<&Value> = std::iter::once(&current)
            .chain(&previous)
            .map(|k| &k.jwk)
            .collect();
        let jwks = json!({ "keys": keys }).to_string();
        JwtKeys {
            current,
            previous,
            jwks,
        }
    }

    /// The JWKS document: every public key, current first.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// The current key's kid.
    pub fn kid(&self) -> &str {
        &self.current.kid
    }

    /// Signs `claims` with the current key, header `typ` = `typ`.
    pub fn sign<T: Serialize>(&self, typ: &str, claims: &T) -> Result<String, SignError> {
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some(typ.to_owned());
        header.kid = Some(self.current.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.current.encoding).map_err(SignError)
    }

    /// The verification key named `kid`, current or previous.
    fn decoding(&self, kid: &str) -> Option<&DecodingKey> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.kid == kid)
            .map(|k| &k.decoding)
    }
}

/// Signing failed (never expected with a derived key).
#[derive(Debug, thiserror::Error)]
#[error("could not sign a JWT: {0}")]
pub struct SignError(jsonwebtoken::errors::Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_secret_gives_the_same_key_and_previous_keys_stay_published() {
        let a = JwtKeys::derive(b"0123456789abcdef0123456789abcdef", &[]);
        let b = JwtKeys::derive(b"0123456789abcdef0123456789abcdef", &[]);
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.jwks(), b.jwks());
        let rotated = JwtKeys::derive(
            b"another-secret-another-secret-xx",
            &[b"0123456789abcdef0123456789abcdef"],
        );
        assert_ne!(rotated.kid(), a.kid());
        let doc: Value = serde_json::from_str(rotated.jwks()).unwrap();
        assert_eq!(doc["keys"].as_array().unwrap().len(), 2);
        assert_eq!(doc["keys"][1]["kid"], a.kid());
        assert!(rotated.decoding(a.kid()).is_some());
    }
}
