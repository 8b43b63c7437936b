//! HOW sign-in runs: the protocol cores, the per-attempt login state, begin
//! and complete. The only code that talks to providers.

pub mod access;
pub mod access_token;
mod api;
pub mod backchannel;
mod claim_rules;
mod client_secret;
pub mod end_session;
pub mod groups;
mod http;
mod id_token;
mod link;
pub mod login_state;
pub mod logout_token;
mod next;
pub mod oauth1_core;
mod oauth1_sign;
pub mod oauth2_core;
pub mod oidc_core;
mod oidc_metadata;
pub mod provider_tokens;
mod refresh;
pub mod signin;
mod userinfo_jwt;

use std::time::{SystemTime, UNIX_EPOCH};

pub use http::{HttpError, ProviderHttp};
pub use login_state::LoginState;
pub use next::{host_matches, original_uri, sanitize_next, sanitize_next_for};

use crate::providers::{Profile, ProfileError, Protocol, Provider};
use openidconnect::TokenResponse as _;
use provider_tokens::{IdTokenInfo, ProviderTokens};

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
    /// An access rule refuses this identity ([access], allowed_groups) (403).
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
    fn from_discovery<E: std::error::Error + 'static>(
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

/// Records doorman_provider_request_duration_seconds: `begin` (discovery,
/// OAuth 1.0a request token) or `complete` (code exchange, ID token and
/// keys, userinfo, groups), per provider.
fn provider_duration(provider: &Provider, step: &'static str, started: std::time::Instant) {
    metrics::histogram!("doorman_provider_request_duration_seconds",
        "provider" => provider.name.clone(), "step" => step)
    .record(started.elapsed().as_secs_f64());
}

/// The runtime side of the providers: the HTTP client and core caches.
pub struct Engine {
    http: ProviderHttp,
    oidc: oidc_core::OidcCore,
}

impl Engine {
    /// A new engine around the provider HTTP client.
    pub fn new(http: ProviderHttp) -> Self {
        Self {
            http,
            oidc: oidc_core::OidcCore::default(),
        }
    }

    /// Forgets what the cores cached per provider (after a config reload).
    pub fn forget_cached(&self) {
        self.oidc.forget();
    }

    /// Fetches discovery metadata (for `doorman check`).
    pub async fn check(&self, provider: &Provider) -> Result<(), FlowError> {
        match &provider.protocol {
            Protocol::Oidc(spec) => {
                let meta = self.oidc.metadata(&self.http, provider, spec).await?;
                if provider.end_session && meta.additional_metadata().end_session_endpoint.is_none()
                {
                    return Err(FlowError::Discovery(
                        "end_session = true, but the discovery document has no \
                         end_session_endpoint"
                            .into(),
                    ));
                }
                Ok(())
            }
            Protocol::OAuth2(_) => Ok(()),
            Protocol::OAuth1(_) => Ok(()),
        }
    }

    /// Begins a sign-in: the provider URL to redirect to and the login state to keep.
    pub async fn begin(
        &self,
        provider: &Provider,
        next: String,
    ) -> Result<(url::Url, LoginState), FlowError> {
        let started = std::time::Instant::now();
        let begun = self.begin_protocol(provider, next).await;
        // OAuth 2.0 begins without calling the provider.
        if !matches!(provider.protocol, Protocol::OAuth2(_)) {
            provider_duration(provider, "begin", started);
        }
        begun
    }

    async fn begin_protocol(
        &self,
        provider: &Provider,
        next: String,
    ) -> Result<(url::Url, LoginState), FlowError> {
        match &provider.protocol {
            Protocol::Oidc(spec) => {
                let begun = self.oidc.begin(&self.http, provider, spec).await?;
                let state = LoginState {
                    nonce: Some(begun.nonce),
                    ..LoginState::new(provider, begun.state, begun.pkce_verifier, next)
                };
                Ok((begun.url, state))
            }
            Protocol::OAuth2(spec) => {
                let begun = oauth2_core::begin(provider, spec)?;
                let state = LoginState::new(provider, begun.state, begun.pkce_verifier, next);
                Ok((begun.url, state))
            }
            Protocol::OAuth1(spec) => {
                let begun = oauth1_core::begin(&self.http, provider, spec).await?;
                let state = LoginState {
                    oauth1_token_secret: Some(begun.token_secret),
                    ..LoginState::new(provider, begun.token, None, next)
                };
                Ok((begun.url, state))
            }
        }
    }

    /// Completes a sign-in from the callback and the (already taken) login
    /// state: the profile, and the provider's groups when they are wanted.
    pub async fn complete(
        &self,
        provider: &Provider,
        login: Option<LoginState>,
        params: &CallbackParams,
    ) -> Result<Authenticated, FlowError> {
        let login = check_login_state(provider, login, params)?;
        let started = std::time::Instant::now();
        let completed = self.complete_protocol(provider, login, params).await;
        provider_duration(provider, "complete", started);
        completed
    }

    async fn complete_protocol(
        &self,
        provider: &Provider,
        login: LoginState,
        params: &CallbackParams,
    ) -> Result<Authenticated, FlowError> {
        let code = || {
            params
                .code
                .as_deref()
                .ok_or(FlowError::MissingParameter("code"))
        };
        match &provider.protocol {
            Protocol::Oidc(spec) => {
                let code = code()?;
                let callback = oidc_core::Callback {
                    code,
                    iss: params.iss.as_deref(),
                    pkce_verifier: login.pkce_verifier.as_deref(),
                    nonce: login.nonce.as_deref().unwrap_or_default(),
                    user: params.user.as_deref(),
                };
                let (claims, token) = self
                    .oidc
                    .complete(&self.http, provider, spec, callback)
                    .await?;
                let profile = spec.map_profile.map(&provider.name, &claims)?;
                let mut who = self.authenticated(provider, profile, &claims, None).await?;
                who.tokens = Some(ProviderTokens::from_response(&token, unix_now()));
                who.id_token = token
                    .id_token()
                    .map(|t| IdTokenInfo::from_compact(t.to_string()));
                Ok(who)
            }
            Protocol::OAuth2(spec) => {
                let verifier = login.pkce_verifier.as_deref();
                let (doc, tokens) =
                    oauth2_core::complete(&self.http, provider, spec, code()?, verifier).await?;
                let profile = spec.map_profile.map(&provider.name, &doc)?;
                let access_token = Some(tokens.access_token.as_str());
                let mut who = self
                    .authenticated(provider, profile, &doc, access_token)
                    .await?;
                who.tokens = Some(tokens);
                Ok(who)
            }
            Protocol::OAuth1(spec) => {
                let callback = oauth1_core::Callback::new(&login, params)?;
                let doc = oauth1_core::complete(&self.http, provider, spec, callback).await?;
                let profile = spec.map_profile.map(&provider.name, &doc)?;
                self.authenticated(provider, profile, &doc, None).await
            }
        }
    }
}

impl Engine {
    async fn authenticated(
        &self,
        provider: &Provider,
        profile: Profile,
        doc: &serde_json::Value,
        access_token: Option<&str>,
    ) -> Result<Authenticated, FlowError> {
        let groups = groups::fetch(&self.http, provider, doc, access_token).await?;
        Ok(Authenticated {
            profile,
            groups,
            tokens: None,
            id_token: None,
        })
    }
}

/// Who the provider vouched for.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The identity's profile.
    pub profile: Profile,
    /// The provider's groups, when they are wanted (None: not fetched).
    pub groups: Option<Vec<String>>,
    /// The tokens the provider granted (OAuth 2.0 and OpenID Connect).
    pub tokens: Option<ProviderTokens>,
    /// The validated ID token (OpenID Connect).
    pub id_token: Option<IdTokenInfo>,
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

/// What a token endpoint's OAuth error code means, the same for every
/// protocol core: a refused authorization code is the browser's problem
/// (400), anything else the provider's (502).
fn token_endpoint_error(code: &str) -> FlowError {
    match code {
        "invalid_grant" | "invalid_code" | "code_already_used" | "bad_verification_code" => {
            FlowError::CodeRejected
        }
        other => FlowError::TokenExchange(format!("the token endpoint answered {}", short(other))),
    }
}

/// A provider-supplied code, cut short and reduced to safe characters.
fn short(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect()
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
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
