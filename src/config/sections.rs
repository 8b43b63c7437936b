//! The small sections of the config file: `[database]`, `[session]`,
//! `[http]`, `[rate_limit]` and `[dev_idp]`, with their defaults.

use std::time::Duration;

use serde::Deserialize;

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://...` or `postgres://...`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
    /// How long a request waits for a connection before a 503.
    #[serde(with = "humantime_serde")]
    pub acquire_timeout: Duration,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://data/doorman.db?mode=rwc".into(),
            max_connections: 10,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// `[session]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// A session unused this long ends.
    #[serde(with = "humantime_serde")]
    pub idle_timeout: Duration,
    /// A session ends this long after it started, used or not.
    #[serde(with = "humantime_serde")]
    pub absolute_lifetime: Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(7 * 86_400),
            absolute_lifetime: Duration::from_secs(30 * 86_400),
        }
    }
}

/// `[http]`: every call doorman makes to a provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Total time for one call, body included.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// Time to connect.
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Larger answers are refused.
    pub max_response_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            max_response_bytes: 1_048_576,
        }
    }
}

/// `[rate_limit]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Sign-in starts and callbacks per client IP per minute; 0 = off.
    pub auth_per_ip_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            auth_per_ip_per_minute: 120,
        }
    }
}

/// `[dev_idp]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevIdpConfig {
    /// Serve the built-in OpenID provider and register it as `dev`.
    pub enabled: bool,
}
