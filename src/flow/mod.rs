//! HOW sign-in runs: the protocol cores, the per-attempt login state, begin
//! and complete. The only code that talks to providers.

pub mod access;
pub mod access_token;
mod api;
pub mod backchannel;
mod callback;
mod claim_rules;
mod client_secret;
pub mod end_session;
mod error;
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

pub use callback::{check_login_state, CallbackParams};
pub use error::FlowError;
use error::{short, token_endpoint_error};
pub use http::{HttpError, ProviderHttp};
pub use login_state::LoginState;
pub use next::{host_matches, original_uri, sanitize_next, sanitize_next_for};

use crate::providers::{Profile, Protocol, Provider};
use openidconnect::TokenResponse as _;
use provider_tokens::{IdTokenInfo, ProviderTokens};

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

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
