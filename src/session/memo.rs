//! What a session's cache entry remembers about signed tokens: the
//! forward-auth assertion per audience and the access tokens already
//! verified (by hash, until their exp). It lives inside the entry, so
//! whatever drops the entry (logout, revocation, a role change, disable)
//! drops it too.

use std::collections::HashMap;
use std::sync::Mutex;

use http::HeaderValue;
use sha2::{Digest, Sha256};

use crate::jwt::Assertion;

/// At most this many audiences' assertions or verified tokens per session.
const MAX_ENTRIES: usize = 32;

/// An assertion ready to be sent (a header value clones without copying).
#[derive(Debug)]
struct Kept {
    header: HeaderValue,
    assertion: Assertion,
}

/// Per-session memo of signed tokens.
#[derive(Debug, Default)]
pub struct TokenMemo {
    assertions: Mutex<HashMap<String, Kept>>,
    verified: Mutex<HashMap<[u8; 32], i64>>,
}

impl TokenMemo {
    /// The assertion for `audience` when it may still be handed out at `now`.
    pub fn assertion(&self, audience: &str, now: i64) -> Option<HeaderValue> {
        let map = self.assertions.lock().unwrap_or_else(|e| e.into_inner());
        map.get(audience)
            .filter(|k| k.assertion.usable_at(now))
            .map(|k| k.header.clone())
    }

    /// Keeps an assertion for `audience`; returns it as a header value
    /// (None if it cannot be one, which a compact JWT always can).
    pub fn keep_assertion(
        &self,
        audience: &str,
        assertion: Assertion,
        now: i64,
    ) -> Option<HeaderValue> {
        let header = HeaderValue::from_str(&assertion.jwt).ok()?;
        let mut map = self.assertions.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, k| k.assertion.usable_at(now));
        }
        if map.len() < MAX_ENTRIES {
            let kept = Kept {
                header: header.clone(),
                assertion,
            };
            map.insert(audience.to_owned(), kept);
        }
        Some(header)
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
