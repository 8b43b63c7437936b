//! `[providers.NAME]`: a preset, the operator's keys, endpoint overrides,
//! and the keys that shape groups, tokens and logout.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

/// `[providers.NAME]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Which preset this provider is built from.
    pub preset: String,
    /// The client id (OAuth 1.0a: the consumer key).
    pub client_id: String,
    /// The client secret (OAuth 1.0a: the consumer secret).
    pub client_secret: Option<SecretString>,
    /// The button's text ("Sign in with {label}").
    pub label: Option<String>,
    /// The button's icon URL.
    pub icon: Option<String>,
    /// Scopes to request instead of the preset's.
    pub scopes: Option<Vec<String>>,
    /// How the client authenticates at the token endpoint, as registered with
    /// the provider; unset, the preset's choice.
    pub token_endpoint_auth_method: Option<TokenEndpointAuthMethod>,
    /// Endpoint overrides.
    #[serde(flatten)]
    pub endpoints: EndpointOverrides,
    /// Facebook Graph API version.
    pub api_version: Option<String>,
    /// Google: the only hosted domain accepted.
    pub hosted_domain: Option<String>,
    /// Microsoft: tenant (common, organizations, consumers or an id).
    pub tenant: Option<String>,
    /// Microsoft: tenants accepted with a multi-tenant issuer.
    pub allowed_tenants: Option<Vec<String>>,
    /// Apple: team id.
    pub team_id: Option<String>,
    /// Apple: key id.
    pub key_id: Option<String>,
    /// Apple: the .p8 private key file.
    pub private_key_file: Option<PathBuf>,
    /// Generic oauth2 / oauth1: JSON pointers into the profile.
    pub claims: Option<ClaimsConfig>,
    /// Keep the provider's access and refresh tokens on the identity, sealed.
    #[serde(default)]
    pub store_tokens: bool,
    /// Send the identity's access token as X-Auth-Request-Access-Token
    /// (implies store_tokens).
    #[serde(default)]
    pub pass_access_token: bool,
    /// OpenID Connect: POST /logout continues to the provider's end_session_endpoint.
    #[serde(default)]
    pub end_session: bool,
    /// This provider's groups of which a user must share one to sign in.
    pub allowed_groups: Option<Vec<String>>,
    /// Fetch groups even without allowed_groups.
    pub groups: Option<bool>,
    /// OIDC: the claim that holds groups (default `groups`).
    pub groups_claim: Option<String>,
}

impl ProviderConfig {
    /// Whether this provider's groups are fetched at sign-in.
    pub fn wants_groups(&self) -> bool {
        self.groups == Some(true) || self.allowed_groups.as_ref().is_some_and(|g| !g.is_empty())
    }
}

/// Token endpoint client authentication, by its OAuth 2.0 registration name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenEndpointAuthMethod {
    /// HTTP Basic.
    ClientSecretBasic,
    /// client_id and client_secret in the form body.
    ClientSecretPost,
}

/// Endpoint overrides (enterprise installs, tests); from config only.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndpointOverrides {
    /// Authorization (OAuth 1.0a: authenticate) URL.
    pub auth_url: Option<Url>,
    /// Token (OAuth 1.0a: access-token) URL.
    pub token_url: Option<Url>,
    /// Userinfo / profile URL.
    pub userinfo_url: Option<Url>,
    /// API base URL; paths are appended as strings.
    pub api_url: Option<String>,
    /// OIDC issuer, exactly as the provider spells it (no slash is added).
    pub issuer: Option<String>,
    /// OAuth 1.0a request-token URL.
    pub request_token_url: Option<Url>,
}

/// JSON pointers into a profile document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsConfig {
    /// The stable user id.
    pub subject: String,
    /// Login name.
    pub username: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Whether the email is verified (a boolean or "true").
    pub email_verified: Option<String>,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// Groups (a string or an array of strings).
    pub groups: Option<String>,
}
