//! Why a sign-in failed, split by what the caller does about it, and the
//! one reading of a token endpoint's OAuth error codes every core shares.

use crate::providers::ProfileError;

use super::HttpError;

/// Why a sign-in failed, split by what the caller does about it.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// No login state, or not for this provider: the browser's fault (400).
    #[error("no sign-in is in progress for this provider in this browser")]
    MissingLoginState,
    /// The attempt is older than ten minutes (400).
    #[error("the sign-in attempt expired")]
    Expired,
    /// `state` does not match the login state (400).
    #[error("the state parameter does not match")]
    StateMismatch,
    /// The callback lacks a parameter it needs (400).
    #[error("the callback lacks `{0}`")]
    MissingParameter(&'static str),
    /// The provider (or the user) said no (400).
    #[error("the provider denied the sign-in ({0})")]
    ProviderDenied(String),
    /// RFC 9207 `iss` is not the provider's issuer (400).
    #[error("the callback's iss is not the provider's issuer")]
    IssuerMismatch,
    /// The provider refused the authorization code (400).
    #[error("the provider refused the authorization code")]
    CodeRejected,
    /// OAuth 1.0a: no usable temporary credentials (502).
    #[error("request token: {0}")]
    RequestToken(String),
    /// The token endpoint failed (502).
    #[error("token exchange failed: {0}")]
    TokenExchange(String),
    /// The ID token is invalid (502).
    #[error("invalid ID token: {0}")]
    IdToken(String),
    /// The ID token is signed with a key not in the JWKS (retried once).
    #[error("the ID token's signing key is unknown")]
    UnknownKey,
    /// userinfo's sub is not the ID token's (502).
    #[error("userinfo sub differs from the ID token's")]
    UserinfoMismatch,
    /// Profile request or document unusable (502).
    #[error("profile: {0}")]
    Profile(String),
    /// The provider vouches for the user, but a configured rule refuses
    /// them (Google's hosted_domain, Microsoft's allowed_tenants) (403).
    #[error("sign-in not allowed: {0}")]
    NotAllowed(String),
    /// An access rule refuses this identity (`[access]`, `allowed_groups`) (403).
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// A link callback whose session ended, or in a browser whose session
    /// is no longer the one that asked to link (400).
    #[error("the session that asked to link this account has changed")]
    LinkSessionChanged,
    /// Discovery or metadata unusable (502).
    #[error("provider metadata: {0}")]
    Discovery(String),
    /// Provider unreachable, too slow or too large (502).
    #[error(transparent)]
    Http(#[from] HttpError),
}

impl From<ProfileError> for FlowError {
    fn from(e: ProfileError) -> Self {
        FlowError::Profile(e.to_string())
    }
}

impl FlowError {
    pub(super) fn from_discovery<E: std::error::Error + 'static>(
        e: &openidconnect::DiscoveryError<E>,
    ) -> FlowError {
        use openidconnect::DiscoveryError as D;
        if let D::Request(inner) = e {
            let any: &dyn std::error::Error = inner;
            if let Some(http) = any.downcast_ref::<HttpError>() {
                return FlowError::Discovery(http.to_string());
            }
        }
        FlowError::Discovery(e.to_string())
    }
}

/// What a token endpoint's OAuth error code means, the same for every
/// protocol core: a refused authorization code is the browser's problem
/// (400), anything else the provider's (502).
pub(super) fn token_endpoint_error(code: &str) -> FlowError {
    match code {
        "invalid_grant" | "invalid_code" | "code_already_used" | "bad_verification_code" => {
            FlowError::CodeRejected
        }
        other => FlowError::TokenExchange(format!("the token endpoint answered {}", short(other))),
    }
}

/// A provider-supplied code, cut short and reduced to safe characters.
pub(super) fn short(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_reads_token_endpoint_errors_alike() {
        for refused in [
            "invalid_grant",
            "invalid_code",
            "code_already_used",
            "bad_verification_code",
        ] {
            assert!(matches!(
                token_endpoint_error(refused),
                FlowError::CodeRejected
            ));
        }
        assert!(matches!(
            token_endpoint_error("invalid_client"),
            FlowError::TokenExchange(_)
        ));
    }
}
