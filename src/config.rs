//! The configuration tree: defaults, then config/doorman.toml (with `${VAR}`
//! interpolation), then `DOORMAN__SECTION__KEY` environment overrides; every
//! value is validated at start and unknown keys are refused.

mod access;
mod interpolate;
mod pages;
mod provider;
mod public;
mod sections;
mod tokens;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

pub use access::AccessConfig;
pub use pages::{AccountsConfig, UiConfig};
pub use provider::{ClaimsConfig, EndpointOverrides, ProviderConfig, TokenEndpointAuthMethod};
pub use sections::{DatabaseConfig, DevIdpConfig, HttpConfig, RateLimitConfig, SessionConfig};
pub use tokens::{ApiTokensConfig, ForwardAuthConfig, LogConfig, LogFormat, MetricsConfig};
pub use validate::is_loopback_host;

/// What went wrong while loading or validating the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not valid TOML.
    #[error("config file {path} is not valid TOML: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A `${VAR}` names an environment variable that is not set.
    #[error("environment variable {var} is not set (used by `{key}` in the config)")]
    MissingVar {
        /// The variable.
        var: String,
        /// The key that uses it.
        key: String,
    },
    /// The merged tree does not fit the schema (unknown key, wrong type).
    #[error("invalid configuration: {0}")]
    Schema(String),
    /// A value is out of range or inconsistent.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[server]`
    #[serde(default)]
    pub server: ServerConfig,
    /// `[database]`
    #[serde(default)]
    pub database: DatabaseConfig,
    /// `[session]`
    #[serde(default)]
    pub session: SessionConfig,
    /// `[http]`: calls doorman makes to providers.
    #[serde(default)]
    pub http: HttpConfig,
    /// `[rate_limit]`
    #[serde(default)]
    pub rate_limit: RateLimitConfig,
    /// `[dev_idp]`
    #[serde(default)]
    pub dev_idp: DevIdpConfig,
    /// `[ui]`: how the pages look.
    #[serde(default)]
    pub ui: UiConfig,
    /// `[accounts]`: linking rules.
    #[serde(default)]
    pub accounts: AccountsConfig,
    /// `[forward_auth]`
    #[serde(default)]
    pub forward_auth: ForwardAuthConfig,
    /// `[api_tokens]`
    #[serde(default)]
    pub api_tokens: ApiTokensConfig,
    /// `[log]`
    #[serde(default)]
    pub log: LogConfig,
    /// `[metrics]`
    #[serde(default)]
    pub metrics: MetricsConfig,
    /// `[access]`: who may sign in.
    #[serde(default)]
    pub access: AccessConfig,
    /// `[providers.NAME]`, keyed by the provider's name.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
    /// The file it was loaded from (what a reload reads again).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on.
    pub bind: String,
    /// The public origin; redirect URIs are `{public_url}/auth/{name}/callback`.
    pub public_url: Url,
    /// The master secret (>= 32 bytes); per-purpose keys are derived from it.
    pub secret_key: Option<SecretString>,
    /// CIDRs whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<String>,
    /// Every doorman route lives under this path ("" = at the root).
    pub path_prefix: String,
    /// The session cookie's Domain, for one sign-in across several hosts.
    pub cookie_domain: Option<String>,
    /// Hosts (exact, or `*.` one wildcard label) an absolute https `next` may name.
    pub allowed_redirect_hosts: Vec<String>,
    /// Earlier secret keys: what they signed or sealed is still accepted.
    pub previous_secret_keys: Vec<SecretString>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            public_url: Url::parse("http://127.0.0.1:8080").expect("a valid literal URL"),
            secret_key: None,
            trusted_proxies: Vec::new(),
            path_prefix: String::new(),
            cookie_domain: None,
            allowed_redirect_hosts: Vec::new(),
            previous_secret_keys: Vec::new(),
        }
    }
}

impl Config {
    /// Loads defaults, the file at `path`, and `DOORMAN__*` overrides, then validates.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Self::from_toml(&text, path)?;
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Like [`Config::load`] from TOML text (`origin` names it in messages).
    pub fn from_toml(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let mut table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ConfigError::Syntax {
                    path: origin.to_owned(),
                    message: e.message().to_owned(),
                })?;
        interpolate::expand_table(&mut table, "")?;
        let file = config::Config::try_from(&table).map_err(schema)?;
        let merged = config::Config::builder()
            .add_source(file)
            .add_source(
                config::Environment::with_prefix("DOORMAN")
                    .prefix_separator("__")
                    .separator("__"),
            )
            .build()
            .map_err(schema)?;
        let config: Config = merged.try_deserialize().map_err(schema)?;
        config.validate()?;
        Ok(config)
    }

    /// The redirect URI registered with provider `name`:
    /// `{public_url}{path_prefix}/auth/{name}/callback`.
    pub fn redirect_uri(&self, name: &str) -> String {
        format!("{}/auth/{name}/callback", self.base_url())
    }

    /// public_url without a trailing slash.
    pub fn public_origin(&self) -> String {
        self.server
            .public_url
            .as_str()
            .trim_end_matches('/')
            .to_owned()
    }

    /// Whether cookies must be Secure (public_url is https).
    pub fn is_https(&self) -> bool {
        self.server.public_url.scheme() == "https"
    }
}

fn schema(e: config::ConfigError) -> ConfigError {
    ConfigError::Schema(e.to_string())
}

#[cfg(test)]
mod tests;
