//! Sealing secrets at rest (provider tokens, ID tokens) with AES-256-GCM:
//! a random 96-bit nonce per value, and associated data naming the row the
//! value belongs to, so a value copied to another row does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// The version prefix of sealed values.
const PREFIX: &str = "v1.";
/// AES-GCM's nonce length.
const NONCE_LEN: usize = 12;

/// Seals with one AES-256-GCM key; opens with it or a previous one
/// (`previous_secret_keys`), so values sealed before a key rotation still
/// open until they are sealed again.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
    previous: Vec<Aes256Gcm>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// A sealer with this 256-bit key.
    pub fn new(key: &[u8; 32]) -> Sealer {
        Sealer {
            cipher: Aes256Gcm::new(key.into()),
            previous: Vec::new(),
        }
    }

    /// Also opens values sealed with `key` (never seals with it).
    pub fn also_open_with(mut self, key: &[u8; 32]) -> Sealer {
        self.previous.push(Aes256Gcm::new(key.into()));
        self
    }

    /// Encrypts `plaintext` bound to `aad`: `v1.` + base64url(nonce || ciphertext).
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        // Encryption fails only for inputs beyond AES-GCM's 64 GiB limit.
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Decrypts a value sealed with this key and the same `aad`; None when
    /// it was sealed for another row, with another key, or altered.
    pub fn open(&self, aad: &[u8], sealed: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN + 16 {
            return None;
        }
        let (nonce, msg) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::from(<[u8; NONCE_LEN]>::try_from(nonce).ok()?);
        std::iter::once(&self.cipher)
            .chain(&self.previous)
            .find_map(|cipher| cipher.decrypt(&nonce, Payload { msg, aad }).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_associated_data() {
        let sealer = Sealer::new(&[7u8; 32]);
        let sealed = sealer.seal(b"identity-a", b"gho_secret");
        assert!(!sealed.contains("gho_secret"));
        assert_eq!(
            sealer.open(b"identity-a", &sealed).as_deref(),
            Some(&b"gho_secret"[..])
        );
        assert_eq!(sealer.open(b"identity-b", &sealed), None);
        assert_eq!(Sealer::new(&[8u8; 32]).open(b"identity-a", &sealed), None);
        // A character well inside the value (the last one may carry unused
        // bits), changed for certain.
        let mut chars: Vec<char> = sealed.chars().collect();
        let i = chars.len() - 6;
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        let altered: String = chars.into_iter().collect();
        assert_eq!(sealer.open(b"identity-a", &altered), None);
        assert_eq!(sealer.open(b"identity-a", "v1.AAAA"), None);
        assert_eq!(sealer.open(b"identity-a", "garbage"), None);
        assert_ne!(
            sealer.seal(b"a", b"x"),
            sealer.seal(b"a", b"x"),
            "fresh nonces"
        );
    }
}
