//! What a completed protocol run yields besides the profile: the provider's
//! tokens (kept when the provider says store_tokens) and, for OpenID
//! Connect, the ID token (its sub and sid recorded with the session).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use secrecy::SecretString;
use serde_json::Value;

use super::provider_tokens::ProviderTokens;
use crate::providers::Profile;

/// A completed sign-in at the provider.
#[derive(Debug)]
pub struct Completed {
    /// The identity's profile.
    pub profile: Profile,
    /// The tokens the provider granted (OAuth 2.0 and OpenID Connect).
    pub tokens: Option<ProviderTokens>,
    /// The validated ID token (OpenID Connect).
    pub id_token: Option<IdTokenInfo>,
}

/// A validated ID token: what sessions record of it.
#[derive(Debug)]
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
