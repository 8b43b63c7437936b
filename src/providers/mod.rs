//! WHAT each provider is: presets as data plus pure profile mappings, and the
//! registry of configured providers. No I/O here.

pub mod brand;
#[cfg(test)]
mod catalogue_tests;
pub mod dev;
pub mod fields;
pub mod icons;
mod issuer;
pub mod oidc_spec;
pub mod preset;
mod registry;
mod resolve;
mod urls;

// The presets, one file each.
pub mod amazon;
pub mod apple;
pub mod atlassian;
pub mod auth0;
pub mod authentik;
pub mod bitbucket;
pub mod box_com;
pub mod cognito;
pub mod discord;
pub mod dropbox;
pub mod facebook;
pub mod figma;
pub mod forgejo;
pub mod generic_oauth1;
pub mod generic_oauth2;
pub mod generic_oidc;
pub mod gitea;
pub mod github;
pub mod gitlab;
pub mod google;
pub mod groups;
pub mod heroku;
pub mod kakao;
pub mod keycloak;
pub mod line;
pub mod linkedin;
pub mod microsoft;
pub mod naver;
pub mod notion;
pub mod okta;
pub mod patreon;
pub mod paypal;
pub mod reddit;
pub mod salesforce;
pub mod slack;
pub mod spotify;
pub mod strava;
pub mod tiktok;
pub mod twitch;
pub mod x;
pub mod yahoo;
pub mod yandex;
pub mod zitadel;
pub mod zoom;

use secrecy::SecretString;
use serde_json::Value;

use crate::config::TokenEndpointAuthMethod;
pub use oidc_spec::{OidcSpec, SignedSecret, TenantIssuer};

pub use fields::{joined, listed, Fields, Verified};
pub use groups::GroupsSource;
pub use issuer::matches_format;
pub use preset::{Kind, Map, Preset, Quirks, Request};
pub use registry::{Registry, PRESETS};

/// The social identity a sign-in produced, whatever the protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The configured provider's name.
    pub provider: String,
    /// The provider's stable user id (never a login name or an email).
    pub subject: String,
    /// Login name at the provider.
    pub username: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Whether the provider says it verified the email.
    pub email_verified: bool,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// The provider's document the profile was read from.
    pub raw: Value,
}

/// A provider document that cannot become a [`Profile`].
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProfileError {
    /// No usable subject (user id).
    #[error("the profile has no subject")]
    MissingSubject,
    /// The document is not what the provider documents.
    #[error("unexpected profile document: {0}")]
    Invalid(String),
}

type MapFn = dyn Fn(&str, &Value) -> Result<Profile, ProfileError> + Send + Sync;

/// Maps a provider document (claims, API answers) to a profile: a pure function.
#[derive(Clone)]
pub struct ProfileMapper(std::sync::Arc<MapFn>);

impl ProfileMapper {
    /// Wraps a mapping function (presets pass a plain `fn`; generic presets a closure).
    pub fn new<F>(f: F) -> Self
    where
        F: Fn(&str, &Value) -> Result<Profile, ProfileError> + Send + Sync + 'static,
    {
        Self(std::sync::Arc::new(f))
    }

    /// Maps `doc` for the provider called `provider`.
    pub fn map(&self, provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
        (self.0)(provider, doc)
    }
}

impl std::fmt::Debug for ProfileMapper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProfileMapper")
    }
}

/// How a provider is spoken to.
#[derive(Debug, Clone)]
pub enum Protocol {
    /// OpenID Connect by discovery.
    Oidc(OidcSpec),
    /// OAuth 2.0 authorization code plus API requests for the profile.
    OAuth2(Box<OAuth2Spec>),
    /// OAuth 1.0a (RFC 5849) plus a signed API request for the profile.
    OAuth1(Box<OAuth1Spec>),
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic (client_secret_basic).
    Basic,
    /// client_id and client_secret in the form body (client_secret_post).
    RequestBody,
}

impl From<TokenEndpointAuthMethod> for ClientAuth {
    fn from(method: TokenEndpointAuthMethod) -> Self {
        match method {
            TokenEndpointAuthMethod::ClientSecretBasic => ClientAuth::Basic,
            TokenEndpointAuthMethod::ClientSecretPost => ClientAuth::RequestBody,
        }
    }
}

/// An OAuth 2.0 provider without OIDC.
#[derive(Debug, Clone)]
pub struct OAuth2Spec {
    /// Authorization endpoint.
    pub auth_url: url::Url,
    /// Token endpoint.
    pub token_url: url::Url,
    /// Scopes requested.
    pub scopes: Vec<String>,
    /// How scopes are joined (" " per RFC 6749; some providers want ",").
    pub scope_separator: &'static str,
    /// Extra authorization parameters.
    pub auth_params: Vec<(String, String)>,
    /// Send PKCE S256 (harmless where the provider ignores it).
    pub pkce: bool,
    /// Token endpoint client authentication.
    pub client_auth: ClientAuth,
    /// The API requests whose answers make up the profile document.
    pub requests: Vec<ApiRequest>,
    /// The preset's quirks for API calls (User-Agent, headers, token scheme,
    /// the client id's other name).
    pub quirks: Quirks,
    /// Maps `{key: answer, ...}` of [`OAuth2Spec::requests`] to a profile.
    pub map_profile: ProfileMapper,
}

/// One API request made with the access token; its JSON answer is stored
/// under `key` in the profile document.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// Where the answer goes in the profile document.
    pub key: &'static str,
    /// The full URL.
    pub url: String,
    /// A failed optional request leaves `null` instead of failing the sign-in.
    pub optional: bool,
    /// POST with an empty body instead of GET (Dropbox).
    pub post: bool,
    /// Facebook: add appsecret_proof = HMAC-SHA256(client secret, access token).
    pub appsecret_proof: bool,
}

/// An OAuth 1.0a provider (RFC 5849, HMAC-SHA1 signatures).
#[derive(Debug, Clone)]
pub struct OAuth1Spec {
    /// Temporary credentials endpoint (POST, with oauth_callback).
    pub request_token_url: url::Url,
    /// Where the browser goes with the temporary oauth_token (authenticate or authorize).
    pub authenticate_url: url::Url,
    /// Token credentials endpoint (POST, with oauth_verifier).
    pub access_token_url: url::Url,
    /// The profile request (GET, signed with the token credentials).
    pub profile_url: url::Url,
    /// Query parameters added to [`OAuth1Spec::profile_url`].
    pub profile_params: Vec<(String, String)>,
    /// Maps `{"profile": answer}` to a profile.
    pub map_profile: ProfileMapper,
}

/// A configured provider: a preset plus the operator's keys.
#[derive(Debug)]
pub struct Provider {
    /// The name in URLs and tables.
    pub name: String,
    /// The button's brand name.
    pub label: String,
    /// The button's icon URL, if any.
    pub icon: Option<String>,
    /// The button's brand colour (CSS hex).
    pub color: &'static str,
    /// The preset it was built from.
    pub preset: &'static str,
    /// Client id.
    pub client_id: String,
    /// Client secret (none for public clients).
    pub client_secret: Option<SecretString>,
    /// `{public_url}/auth/{name}/callback`.
    pub redirect_uri: String,
    /// The operator's token endpoint client authentication; None: the
    /// preset's (OIDC: client_secret_basic unless discovery lists only post).
    pub client_auth: Option<ClientAuth>,
    /// Protocol and endpoints.
    pub protocol: Protocol,
    /// Where its groups come from, when they are wanted.
    pub groups: Option<GroupsSource>,
    /// Its groups of which a user must share one to sign in (empty: none needed).
    pub allowed_groups: Vec<String>,
    /// What is kept of the provider's tokens and what is passed on.
    pub tokens: TokenPolicy,
    /// OpenID Connect: continue a logout at the provider's end_session_endpoint.
    pub end_session: bool,
}

/// `store_tokens` and `pass_access_token`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Keep the access token, refresh token, expiry and scopes, sealed.
    pub store: bool,
    /// Add X-Auth-Request-Access-Token on /auth/verify (implies `store`).
    pub pass: bool,
}

/// Reads a string at a JSON pointer; numbers become their decimal text.
pub fn string_at(doc: &Value, pointer: &str) -> Option<String> {
    match doc.pointer(pointer)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a boolean at a JSON pointer; the string "true" counts (Apple).
pub fn bool_at(doc: &Value, pointer: &str) -> bool {
    match doc.pointer(pointer) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

impl Provider {
    /// Whether the callback arrives as a cross-site POST (Apple's form_post),
    /// which needs a SameSite=None login-state cookie.
    pub fn cross_site_callback(&self) -> bool {
        matches!(&self.protocol, Protocol::Oidc(spec) if spec.form_post())
    }
}
