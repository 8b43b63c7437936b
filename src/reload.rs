//! Config reload (SIGHUP): the file is read and validated again, and the
//! providers, access rules, `[log]` level and every section read per request
//! are swapped whole. Sessions live in the database and sign-ins in flight
//! in their login-state cookie, so neither ends. A file that fails
//! validation is refused with a log line and the running config stays; keys
//! that need a restart are logged and keep their running values.

use std::path::Path;
use std::sync::Arc;

use secrecy::ExposeSecret;

use crate::config::{Config, ConfigError};
use crate::live::Live;
use crate::state::AppState;

/// Applies a new log filter (the binary's tracing reload handle).
pub type LogControl = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// What a successful reload changed.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// Keys that changed but need a restart (their running values stay).
    pub needs_restart: Vec<&'static str>,
}

/// Reads `path` again and swaps the reloadable state of `state`.
pub fn reload(
    state: &AppState,
    path: &Path,
    log: Option<&LogControl>,
) -> Result<Reloaded, ConfigError> {
    let mut config = Config::load(path)?;
    let running = state.live();
    let needs_restart = keep_running_values(&running.config, &mut config);
    let level_changed = config.log.level != running.config.log.level;
    let live = Live::build(config)?;
    if level_changed {
        if let Some(apply) = log {
            if let Err(e) = apply(&crate::logging::filter(&live.config.log)) {
                tracing::warn!(error = %e, "the new log level could not be applied");
            }
        }
    }
    state.live.store(Arc::new(live));
    state.engine.forget_cached();
    Ok(Reloaded { needs_restart })
}

/// Reloads and logs the outcome (the SIGHUP handler).
pub fn reload_and_log(state: &AppState, path: &Path, log: Option<&LogControl>) {
    match reload(state, path, log) {
        Ok(done) => {
            for key in &done.needs_restart {
                tracing::warn!(key, "changed in the config file, but takes effect only after a restart: the running value stays");
            }
            tracing::info!(file = %path.display(), "configuration reloaded");
        }
        Err(e) => tracing::error!(file = %path.display(), error = %e,
            "configuration reload refused: the running configuration stays"),
    }
}

/// Gives `new` the running values of every key a reload cannot change, and
/// names those that differed.
fn keep_running_values(running: &Config, new: &mut Config) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let differs =
        |a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| format!("{a:?}") != format!("{b:?}");
    let (r, n) = (&running.server, &new.server);
    let secret =
        |s: &Option<secrecy::SecretString>| s.as_ref().map(|k| k.expose_secret().to_owned());
    for (key, differ) in [
        ("server.bind", r.bind != n.bind),
        ("server.public_url", r.public_url != n.public_url),
        (
            "server.secret_key",
            secret(&r.secret_key) != secret(&n.secret_key),
        ),
        (
            "server.trusted_proxies",
            r.trusted_proxies != n.trusted_proxies,
        ),
        ("[database]", differs(&running.database, &new.database)),
        ("[session]", differs(&running.session, &new.session)),
        ("[http]", differs(&running.http, &new.http)),
        (
            "[rate_limit]",
            differs(&running.rate_limit, &new.rate_limit),
        ),
        ("[dev_idp]", differs(&running.dev_idp, &new.dev_idp)),
        ("log.format", running.log.format != new.log.format),
        (
            "access.groups_max_age",
            running.access.groups_max_age != new.access.groups_max_age,
        ),
    ] {
        if differ {
            changed.push(key);
        }
    }
    let named = changed.iter().any(|k| k.starts_with("server."));
    if !named && differs(&running.server, &new.server) {
        changed.push("[server]");
    }
    new.server = running.server.clone();
    new.database = running.database.clone();
    new.session = running.session.clone();
    new.http = running.http.clone();
    new.rate_limit = running.rate_limit.clone();
    new.dev_idp = running.dev_idp.clone();
    new.log.format = running.log.format;
    new.api_tokens = running.api_tokens.clone();
    new.metrics = running.metrics.clone();
    new.access.groups_max_age = running.access.groups_max_age;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        let text = format!(
            "[server]\nbind = \"127.0.0.1:8080\"\npublic_url = \"http://127.0.0.1:8080\"\n{extra}"
        );
        Config::from_toml(&text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn keys_that_need_a_restart_are_named_and_keep_their_running_values() {
        let running = config("[session]\nidle_timeout = \"7d\"\n[access]\nallowed_emails = []\n");
        let mut new = config(
            "trusted_proxies = [\"10.0.0.0/8\"]\n[session]\nidle_timeout = \"1h\"\n\
             [access]\nallowed_emails = [\"ada@example.com\"]\n",
        );
        let changed = keep_running_values(&running, &mut new);
        assert_eq!(changed, ["server.trusted_proxies", "[session]"]);
        assert!(new.server.trusted_proxies.is_empty());
        assert_eq!(new.session.idle_timeout, running.session.idle_timeout);
        assert_eq!(new.access.allowed_emails, ["ada@example.com"], "reloadable");
        assert!(keep_running_values(&running, &mut config("")).is_empty());
    }
}
