//! The provider's tokens as doorman keeps them (`store_tokens`): access
//! token, refresh token, expiry and scopes, sealed with the identity id as
//! associated data. Never logged: Debug shows no token. And the ID token
//! of a sign-in, whose sub and sid sessions record.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use oauth2::TokenResponse;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::keys::Sealer;

/// A token within this many seconds of its expiry is refreshed before use.
pub const REFRESH_WINDOW_SECS: i64 = 60;

/// What a token endpoint granted.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProviderTokens {
    /// The access token.
    pub access_token: String,
    /// The refresh token, when the provider issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the access token expires (Unix seconds), when the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// The scopes granted, when the provider says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for ProviderTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderTokens")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| ".."))
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ProviderTokens {
    /// Reads an OAuth 2.0 token response received at `now`.
    pub fn from_response<T: TokenResponse>(token: &T, now: i64) -> ProviderTokens {
        ProviderTokens {
            access_token: token.access_token().secret().clone(),
            refresh_token: token.refresh_token().map(|r| r.secret().clone()),
            expires_at: token
                .expires_in()
                .map(|d| now.saturating_add(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
            scopes: token
                .scopes()
                .map(|s| s.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default(),
        }
    }

    /// An answer that carried only an access token.
    pub fn access_only(access_token: String) -> ProviderTokens {
        ProviderTokens {
            access_token,
            refresh_token: None,
            expires_at: None,
            scopes: Vec::new(),
        }
    }

    /// Whether the access token is fine to use without a refresh at `now`.
    pub fn is_fresh(&self, now: i64) -> bool {
        self.expires_at
            .is_none_or(|at| at - now > REFRESH_WINDOW_SECS)
    }

    /// Whether the access token still works at `now` (maybe inside the window).
    pub fn is_valid(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }

    /// A refreshed grant: a provider that does not rotate the refresh token
    /// sends none, and the current one is kept; scopes likewise.
    pub fn refreshed(self, previous: &ProviderTokens) -> ProviderTokens {
        ProviderTokens {
            refresh_token: self.refresh_token.or(previous.refresh_token.clone()),
            scopes: if self.scopes.is_empty() {
                previous.scopes.clone()
            } else {
                self.scopes
            },
            ..self
        }
    }

    /// Sealed for the identity `identity_id`.
    pub fn seal(&self, sealer: &Sealer, identity_id: Uuid) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        sealer.seal(identity_id.as_bytes(), &json)
    }

    /// Opens tokens sealed for `identity_id`; None for a value sealed for
    /// another identity or with another key (fail closed).
    pub fn open(sealer: &Sealer, identity_id: Uuid, sealed: &str) -> Option<ProviderTokens> {
        let json = sealer.open(identity_id.as_bytes(), sealed)?;
        serde_json::from_slice(&json).ok()
    }
}

/// A validated ID token: what sessions record of it.
#[derive(Debug, Clone)]
pub struct IdTokenInfo {
    /// `sub`.
    pub sub: Option<String>,
    /// `sid`, when the provider supports logout by session.
    pub sid: Option<String>,
    /// The compact token (RP-initiated logout's id_token_hint).
    pub compact: SecretString,
}

impl IdTokenInfo {
    /// Reads `sub` and `sid` from an ID token already validated.
    pub fn from_compact(compact: String) -> IdTokenInfo {
        let claims: Value = compact
            .split('.')
            .nth(1)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or(Value::Null);
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        IdTokenInfo {
            sub: text("sub"),
            sid: text("sid"),
            compact: SecretString::from(compact),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_at: Option<i64>) -> ProviderTokens {
        ProviderTokens {
            access_token: "at-secret".into(),
            refresh_token: Some("rt-secret".into()),
            expires_at,
            scopes: vec!["repo".into()],
        }
    }

    #[test]
    fn tokens_open_only_for_the_identity_they_were_sealed_for() {
        let sealer = Sealer::new(&[1u8; 32]);
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let sealed = tokens(Some(10)).seal(&sealer, a);
        assert!(!sealed.contains("at-secret") && !sealed.contains("rt-secret"));
        assert_eq!(
            ProviderTokens::open(&sealer, a, &sealed),
            Some(tokens(Some(10)))
        );
        assert_eq!(ProviderTokens::open(&sealer, b, &sealed), None);
    }

    #[test]
    fn the_refresh_window_is_sixty_seconds_and_debug_shows_no_token() {
        assert!(tokens(None).is_fresh(0));
        assert!(tokens(Some(61)).is_fresh(0));
        assert!(!tokens(Some(60)).is_fresh(0));
        assert!(tokens(Some(1)).is_valid(0) && !tokens(Some(0)).is_valid(0));
        let shown = format!("{:?}", tokens(Some(1)));
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        let fresh = ProviderTokens::access_only("new".into()).refreshed(&tokens(None));
        assert_eq!(fresh.refresh_token.as_deref(), Some("rt-secret"));
        assert_eq!(fresh.scopes, vec!["repo".to_string()]);
        assert_eq!(fresh.access_token, "new");
    }
}
