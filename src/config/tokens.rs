//! Config sections for signed identities and observability: `[forward_auth]`,
//! `[api_tokens]`, `[log]` and `[metrics]`.

use std::time::Duration;

use serde::Deserialize;

/// `[forward_auth]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ForwardAuthConfig {
    /// Add X-Auth-Request-Jwt, a signed assertion, to /auth/verify answers.
    pub jwt_assertion: bool,
    /// The assertion's audience when the call has no `aud` parameter
    /// (default: public_url).
    pub jwt_audience: Option<String>,
}

/// `[api_tokens]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiTokensConfig {
    /// Serve POST /api/token and accept Bearer access tokens.
    pub enabled: bool,
    /// How long an access token is valid.
    #[serde(with = "humantime_serde")]
    pub access_lifetime: Duration,
    /// A spent refresh token presented again within this long is a retry.
    #[serde(with = "humantime_serde")]
    pub reuse_interval: Duration,
}

impl Default for ApiTokensConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            access_lifetime: Duration::from_secs(15 * 60),
            reuse_interval: Duration::from_secs(10),
        }
    }
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` (default) or `json` (one JSON object per line).
    pub format: LogFormat,
    /// A tracing filter (`info`, `doorman=debug,info`); RUST_LOG wins when set.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[metrics]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Serve /metrics on this address alone (then not on the main port).
    pub bind: Option<String>,
}

impl super::Config {
    /// Checks the keys of these sections (called by `validate`).
    pub(super) fn validate_tokens(&self, problems: &mut Vec<String>) {
        use secrecy::ExposeSecret;
        if self
            .server
            .previous_secret_keys
            .iter()
            .any(|k| k.expose_secret().len() < 32)
        {
            problems
                .push("server.previous_secret_keys: every key must be at least 32 bytes".into());
        }
        let lifetime = self.api_tokens.access_lifetime;
        if lifetime.is_zero() || lifetime > Duration::from_secs(86_400) {
            problems.push("api_tokens.access_lifetime must be between 1s and 24h".into());
        }
        if let Some(bind) = &self.metrics.bind {
            if bind.parse::<std::net::SocketAddr>().is_err() {
                problems.push(format!("metrics.bind `{bind}` is not an address:port"));
            }
        }
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&self.log.level) {
            problems.push(format!("log.level `{}`: {e}", self.log.level));
        }
    }
}
