//! The master secret and the per-purpose keys derived from it (HKDF-SHA256).

use std::io::Write;
use std::path::Path;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

mod seal;
pub use seal::Sealer;

/// Where the development secret key is kept when none is configured.
pub const DEV_KEY_FILE: &str = "data/secret_key";

/// The keys doorman uses, one per purpose.
#[derive(Clone)]
pub struct Keys {
    /// Encrypts the login-state cookie.
    pub login_state: tower_cookies::Key,
    /// Makes and checks CSRF tokens.
    csrf: [u8; 32],
    /// Seals provider tokens and ID tokens at rest ("doorman/provider-tokens/v1").
    pub provider_tokens: Sealer,
}

impl Keys {
    /// Derives every per-purpose key from the master secret.
    pub fn derive(master: &[u8]) -> Keys {
        let hk = Hkdf::<Sha256>::new(None, master);
        let mut login = [0u8; 64];
        let mut csrf = [0u8; 32];
        // 64 and 32 bytes are far below HKDF-SHA256's 8160-byte limit.
        hk.expand(b"doorman/login-state/v1", &mut login)
            .expect("valid HKDF length");
        hk.expand(b"doorman/csrf/v1", &mut csrf)
            .expect("valid HKDF length");
        Keys {
            login_state: tower_cookies::Key::from(&login),
            csrf,
            provider_tokens: Sealer::new(&provider_tokens_key(master)),
        }
    }

    /// Lets stored provider and ID tokens sealed under `previous_secret_keys` open.
    pub fn with_previous(mut self, previous: &[&[u8]]) -> Keys {
        for master in previous {
            let sealer = self
                .provider_tokens
                .also_open_with(&provider_tokens_key(master));
            self.provider_tokens = sealer;
        }
        self
    }

    /// The CSRF token bound to a session (hex HMAC of its token hash).
    pub fn csrf_token(&self, session_token_hash: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.csrf).expect("any key length");
        mac.update(session_token_hash.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Checks a CSRF token in constant time.
    pub fn csrf_valid(&self, session_token_hash: &str, token: &str) -> bool {
        let Some(bytes) = unhex(token) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.csrf).expect("any key length");
        mac.update(session_token_hash.as_bytes());
        mac.verify_slice(&bytes).is_ok()
    }
}

/// The configured secret key, or the development key kept in `data/`
/// (created once, mode 0600). The caller warns about the latter.
pub fn master_secret(configured: Option<&SecretString>) -> std::io::Result<(Vec<u8>, bool)> {
    if let Some(key) = configured {
        return Ok((key.expose_secret().as_bytes().to_vec(), false));
    }
    let path = Path::new(DEV_KEY_FILE);
    if let Ok(existing) = std::fs::read_to_string(path) {
        if existing.trim().len() >= 32 {
            return Ok((existing.trim().as_bytes().to_vec(), true));
        }
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let key = hex(&bytes);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(key.as_bytes())?;
    Ok((key.into_bytes(), true))
}

/// The provider-tokens key ("doorman/provider-tokens/v1") of a master secret.
fn provider_tokens_key(master: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    Hkdf::<Sha256>::new(None, master)
        .expand(b"doorman/provider-tokens/v1", &mut key)
        .expect("valid HKDF length");
    key
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_the_session_and_the_key() {
        let keys = Keys::derive(b"0123456789abcdef0123456789abcdef");
        let token = keys.csrf_token("hash-a");
        assert!(keys.csrf_valid("hash-a", &token));
        assert!(!keys.csrf_valid("hash-b", &token));
        assert!(!keys.csrf_valid("hash-a", "00"));
        let other = Keys::derive(b"another-secret-another-secret-xx");
        assert!(!other.csrf_valid("hash-a", &token));
    }
}
