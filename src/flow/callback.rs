//! What a callback brings, and the checks every protocol makes of it
//! against the login state before anything else.

use super::{short, unix_now, FlowError, LoginState};
use crate::providers::{Protocol, Provider};

/// What the callback received.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct CallbackParams {
    /// Authorization code.
    pub code: Option<String>,
    /// state.
    pub state: Option<String>,
    /// RFC 9207 issuer.
    pub iss: Option<String>,
    /// OAuth error code.
    pub error: Option<String>,
    /// OAuth 1.0a denial.
    pub denied: Option<String>,
    /// Sign in with Apple's first-sign-in `user` JSON (form_post only).
    pub user: Option<String>,
    /// OAuth 1.0a temporary token.
    pub oauth_token: Option<String>,
    /// OAuth 1.0a verifier.
    pub oauth_verifier: Option<String>,
}

impl CallbackParams {
    /// What the login state's `state` is compared with: OAuth 1.0a sends the
    /// temporary `oauth_token` back (as `denied` when the user says no).
    fn state_for(&self, protocol: &Protocol) -> Option<&str> {
        match protocol {
            Protocol::OAuth1(_) => self.oauth_token.as_deref().or(self.denied.as_deref()),
            _ => self.state.as_deref(),
        }
    }
}

/// The checks every protocol shares: a login state of this provider, fresh,
/// with the same state; then any error the provider sent.
pub fn check_login_state(
    provider: &Provider,
    login: Option<LoginState>,
    params: &CallbackParams,
) -> Result<LoginState, FlowError> {
    let login = login
        .filter(|l| l.provider == provider.name)
        .ok_or(FlowError::MissingLoginState)?;
    if login.is_expired(unix_now()) {
        return Err(FlowError::Expired);
    }
    let state = params
        .state_for(&provider.protocol)
        .ok_or(FlowError::StateMismatch)?;
    if !login.state_matches(state) {
        return Err(FlowError::StateMismatch);
    }
    if let Some(error) = params
        .error
        .as_deref()
        .or(params.denied.as_deref().map(|_| "denied"))
    {
        return Err(FlowError::ProviderDenied(short(error)));
    }
    Ok(login)
}
