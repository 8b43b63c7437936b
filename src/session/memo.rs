//! What a session's cache entry remembers about signed tokens: the
//! forward-auth assertion per audience and the access tokens already
//! verified (by hash, until their exp). It lives inside the entry, so
//! whatever drops the entry (logout, revocation, a role change, disable)
//! drops it too.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::jwt::Assertion;

/// At most this many audiences' assertions or verified tokens per session.
const MAX_ENTRIES: usize = 32;

/// Per-session memo of signed tokens.
#[derive(Debug, Default)]
pub struct TokenMemo {
    assertions: Mutex<HashMap<String, Assertion>>,
    verified: Mutex<HashMap<[u8; 32], i64>>,
}

impl TokenMemo {
    /// The assertion for `audience` when it may still be handed out at `now`.
    pub fn assertion(&self, audience: &str, now: i64) -> Option<String> {
        let map = self.assertions.lock().unwrap_or_else(|e| e.into_inner());
        map.get(audience)
            .filter(|a| a.usable_at(now))
            .map(|a| a.jwt.clone())
    }

    /// Keeps an assertion for `audience`.
    pub fn keep_assertion(&self, audience: &str, assertion: Assertion, now: i64) {
        let mut map = self.assertions.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, a| a.usable_at(now));
        }
        if map.len() < MAX_ENTRIES {
            map.insert(audience.to_owned(), assertion);
        }
    }

    /// Whether this access token was verified before and has not expired.
    pub fn verified(&self, token: &str, now: i64) -> bool {
        let map = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&digest(token)).is_some_and(|exp| now < *exp)
    }

    /// Remembers a verified access token until `exp`.
    pub fn keep_verified(&self, token: &str, exp: i64, now: i64) {
        let mut map = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, e| now < *e);
        }
        if map.len() < MAX_ENTRIES {
            map.insert(digest(token), exp);
        }
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
