//! The per-attempt login state: what a callback needs to finish the attempt
//! the browser began. Single use, expiring after ten minutes; web/ keeps it
//! in an encrypted cookie (web/login_cookie.rs).

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Seconds a sign-in attempt may take.
pub const MAX_AGE_SECS: i64 = 600;

/// What a callback needs to finish the attempt that the browser began.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoginState {
    /// The provider the attempt went to.
    pub provider: String,
    /// The `state` sent to the provider.
    pub state: String,
    /// PKCE code verifier.
    pub pkce_verifier: Option<String>,
    /// OIDC nonce.
    pub nonce: Option<String>,
    /// Where to go after sign-in (already sanitized).
    pub next: String,
    /// OAuth 1.0a temporary credentials secret.
    pub oauth1_token_secret: Option<String>,
    /// Unix time the attempt began.
    pub created_at: i64,
    /// When the attempt links an identity to a signed-in user: the id of
    /// the session that asked (never set by GET /auth/{name}).
    #[serde(default)]
    pub link_session: Option<uuid::Uuid>,
}

impl LoginState {
    /// A fresh attempt at `provider`, begun now.
    pub fn new(
        provider: &crate::providers::Provider,
        state: String,
        pkce_verifier: Option<String>,
        next: String,
    ) -> Self {
        LoginState {
            provider: provider.name.clone(),
            state,
            pkce_verifier,
            nonce: None,
            next,
            oauth1_token_secret: None,
            created_at: super::unix_now(),
            link_session: None,
        }
    }

    /// Whether the attempt is older than [`MAX_AGE_SECS`] (or from the future).
    pub fn is_expired(&self, now: i64) -> bool {
        now < self.created_at - 60 || now - self.created_at > MAX_AGE_SECS
    }

    /// Constant-time comparison of the callback's `state`.
    pub fn state_matches(&self, state: &str) -> bool {
        bool::from(self.state.as_bytes().ct_eq(state.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(created_at: i64) -> LoginState {
        LoginState {
            provider: "dev".into(),
            state: "abc".into(),
            pkce_verifier: None,
            nonce: None,
            next: "/".into(),
            oauth1_token_secret: None,
            created_at,
            link_session: None,
        }
    }

    #[test]
    fn a_state_expires_after_ten_minutes() {
        assert!(!state(1000).is_expired(1000 + 599));
        assert!(state(1000).is_expired(1000 + 601));
        assert!(state(1000).is_expired(1000 - 3600));
    }

    #[test]
    fn states_are_compared_exactly() {
        assert!(state(0).state_matches("abc"));
        assert!(!state(0).state_matches("abd"));
        assert!(!state(0).state_matches("ab"));
        assert!(!state(0).state_matches(""));
    }
}
