//! Start-up validation of the configuration: values that parse but make no sense.

use std::net::{IpAddr, SocketAddr};

use secrecy::ExposeSecret;

use super::{Config, ConfigError};

/// Provider names that routes or the dev IdP already use.
const RESERVED_NAMES: &[&str] = &["verify", "dev"];

impl Config {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        self.validate_server(&mut problems);
        self.validate_public(&mut problems);
        self.validate_limits(&mut problems);
        problems.extend(self.ui.problems());
        if self.accounts.link_max_age.is_zero() {
            problems.push("accounts.link_max_age must be positive".into());
        }
        self.validate_tokens(&mut problems);
        self.access.validate(&mut problems);
        for (name, provider) in &self.providers {
            if !is_valid_provider_name(name) {
                problems.push(format!(
                    "provider name `{name}` must match [a-z][a-z0-9_]{{0,31}}"
                ));
            }
            if RESERVED_NAMES.contains(&name.as_str()) {
                problems.push(format!("provider name `{name}` is reserved"));
            }
            if provider.client_id.trim().is_empty() {
                problems.push(format!("providers.{name}.client_id is empty"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems.join("; ")))
        }
    }

    fn validate_server(&self, problems: &mut Vec<String>) {
        let url = &self.server.public_url;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            problems.push(format!("server.public_url `{url}` must be an http(s) URL"));
        }
        if url.path() != "/" || url.query().is_some() {
            problems.push("server.public_url must be an origin (no path or query)".into());
        }
        let bind: Option<SocketAddr> = self.server.bind.parse().ok();
        if bind.is_none() {
            problems.push(format!(
                "server.bind `{}` is not an address:port",
                self.server.bind
            ));
        }
        if let Some(key) = &self.server.secret_key {
            if key.expose_secret().len() < 32 {
                problems.push("server.secret_key must be at least 32 bytes".into());
            }
        } else if !self.public_url_is_loopback_http() {
            problems
                .push("server.secret_key is required unless public_url is loopback http".into());
        }
        for cidr in &self.server.trusted_proxies {
            if cidr.parse::<ipnet::IpNet>().is_err() && cidr.parse::<IpAddr>().is_err() {
                problems.push(format!("server.trusted_proxies: `{cidr}` is not a CIDR"));
            }
        }
        if self.dev_idp.enabled {
            let bind_loopback = bind.is_some_and(|b| b.ip().is_loopback());
            if !bind_loopback || !url.host_str().is_some_and(is_loopback_host) {
                problems.push(
                    "dev_idp is enabled but server.bind or public_url's host is not loopback; \
                     disable [dev_idp] in production"
                        .into(),
                );
            }
        }
    }

    fn validate_limits(&self, problems: &mut Vec<String>) {
        if self.database.max_connections == 0 {
            problems.push("database.max_connections must be at least 1".into());
        }
        if self.http.max_response_bytes == 0 {
            problems.push("http.max_response_bytes must be at least 1".into());
        }
        if self.session.idle_timeout.is_zero() || self.session.absolute_lifetime.is_zero() {
            problems.push("session timeouts must be positive".into());
        }
    }

    /// Whether public_url is http on a loopback host (development).
    pub fn public_url_is_loopback_http(&self) -> bool {
        let url = &self.server.public_url;
        url.scheme() == "http" && url.host_str().is_some_and(is_loopback_host)
    }
}

/// `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_valid_provider_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
