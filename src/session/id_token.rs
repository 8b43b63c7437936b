//! What a session keeps of the OpenID Connect ID token it signed in with:
//! `sub` and `sid` for back-channel logout, and the token itself, sealed
//! with the session's token hash as associated data, for id_token_hint.

use secrecy::{ExposeSecret, SecretString};

use crate::keys::Sealer;
use crate::store::IdTokenColumns;

/// The ID token of a sign-in, as the session records it.
pub struct SessionIdToken<'a> {
    /// `sub`.
    pub sub: Option<String>,
    /// `sid`.
    pub sid: Option<String>,
    /// The compact token, when it is kept (RP-initiated logout).
    pub token: Option<SecretString>,
    /// Seals the token.
    pub sealer: &'a Sealer,
}

impl SessionIdToken<'_> {
    /// The session row's columns for a session whose token hashes to `token_hash`.
    pub(super) fn columns(self, token_hash: &str) -> IdTokenColumns {
        let sealed = self.token.map(|t| {
            self.sealer
                .seal(&aad(token_hash), t.expose_secret().as_bytes())
        });
        IdTokenColumns {
            sub: self.sub.map(|s| cap(&s)),
            sid: self.sid.map(|s| cap(&s)),
            sealed,
        }
    }
}

/// Opens the ID token sealed for the session whose token hashes to `token_hash`.
pub fn open_id_token(sealer: &Sealer, token_hash: &str, sealed: &str) -> Option<String> {
    let bytes = sealer.open(&aad(token_hash), sealed)?;
    String::from_utf8(bytes).ok()
}

fn aad(token_hash: &str) -> Vec<u8> {
    format!("session:{token_hash}").into_bytes()
}

/// Provider text is capped before it is stored.
fn cap(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(1024).collect()
}
