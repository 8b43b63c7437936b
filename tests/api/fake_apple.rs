//! A fake "Sign in with Apple": the fake OP with Apple's documented quirks
//! (form_post callback with a first-sign-in `user` field, no userinfo,
//! client_secret_post only, string booleans) and a client-secret check that
//! verifies doorman's ES256 JWT with this file's own code against the
//! public half of a freshly generated .p8 key.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::rand_core::OsRng;
use p256::pkcs8::{EncodePrivateKey, LineEnding};
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::fake_oidc::{FakeOidc, FakeUser};

/// The Apple developer team id the fake expects as `iss`.
pub const TEAM_ID: &str = "DEF123GHIJ";
/// The key id the fake expects as `kid`.
pub const KEY_ID: &str = "ABC123DEFG";
/// Apple's limit on a client secret's lifetime (six months).
const MAX_LIFETIME: i64 = 15_777_000;

/// A running fake Apple and the operator's .p8 key for it.
pub struct FakeApple {
    /// The OP underneath (knobs, counters).
    pub op: FakeOidc,
    /// Where the .p8 key is.
    pub key_file: PathBuf,
    _dir: TempDir,
}

impl FakeApple {
    /// Starts the fake and writes a new P-256 key as a PKCS#8 .p8 file.
    pub async fn start() -> FakeApple {
        let op = FakeOidc::start().await;
        let secret = p256::SecretKey::random(&mut OsRng);
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join(format!("AuthKey_{KEY_ID}.p8"));
        std::fs::write(&key_file, secret.to_pkcs8_pem(LineEnding::LF).unwrap()).unwrap();
        let verifying = VerifyingKey::from(secret.public_key());
        let audience = op.issuer();
        op.client_secret_check(Arc::new(move |jwt| {
            check_secret(&verifying, &audience, jwt)
        }));
        op.client_secret_post_only(true);
        op.no_userinfo();
        op.user_claims(apple_claims);
        op.first_sign_in_user(json!({
            "name": {"firstName": "Jane", "lastName": "Appleseed"},
            "email": "not-the-token-email@evil.example"
        }));
        FakeApple {
            op,
            key_file,
            _dir: dir,
        }
    }

    /// The `[providers.NAME]` table for this fake.
    pub fn toml(&self, name: &str) -> String {
        format!(
            "[providers.{name}]\npreset = \"apple\"\nclient_id = \"{}\"\nissuer = \"{}\"\n\
             team_id = \"{TEAM_ID}\"\nkey_id = \"{KEY_ID}\"\nprivate_key_file = '{}'\n",
            FakeOidc::CLIENT_ID,
            self.op.issuer(),
            self.key_file.display()
        )
    }
}

/// Apple's ID token claims: no name, booleans as strings, a relay address.
fn apple_claims(u: &FakeUser) -> Value {
    json!({"sub": u.sub, "email": u.email, "email_verified": u.email_verified.to_string(),
           "is_private_email": "true", "nonce_supported": true})
}

/// Apple's rules for the client secret JWT, checked without jsonwebtoken.
fn check_secret(key: &VerifyingKey, audience: &str, jwt: &str) -> Result<(), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err("not a compact JWS".into());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|e| e.to_string());
    let raw = decode(signature)?;
    let signature = Signature::from_slice(&raw).map_err(|e| e.to_string())?;
    key.verify(format!("{header}.{claims}").as_bytes(), &signature)
        .map_err(|_| "bad ES256 signature".to_string())?;
    let header: Value = serde_json::from_slice(&decode(header)?).map_err(|e| e.to_string())?;
    let c: Value = serde_json::from_slice(&decode(claims)?).map_err(|e| e.to_string())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (iat, exp) = (
        c["iat"].as_i64().unwrap_or(0),
        c["exp"].as_i64().unwrap_or(0),
    );
    let checks = [
        (header["alg"] == "ES256", "alg is not ES256"),
        (header["kid"] == KEY_ID, "kid is not the key id"),
        (c["iss"] == TEAM_ID, "iss is not the team id"),
        (c["sub"] == FakeOidc::CLIENT_ID, "sub is not the client id"),
        (c["aud"] == audience, "aud is not Apple"),
        (iat <= now + 60 && exp > now, "not valid now"),
        (exp - iat <= MAX_LIFETIME, "lives longer than six months"),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err((*why).into()),
        None => Ok(()),
    }
}
