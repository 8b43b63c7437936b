//! `[log]`: what is logged. The level changes on a reload (SIGHUP).

use serde::Deserialize;

/// `[log]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A level (`info`, `debug`, ...) or tracing filter directives
    /// (`info,doorman=debug`). RUST_LOG, when set, wins.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
        }
    }
}

const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];

impl LogConfig {
    /// The tracing filter: a bare level keeps the database crates at warn.
    pub fn filter(&self) -> String {
        let level = self.level.trim();
        if LEVELS.contains(&level) {
            format!("{level},sqlx=warn,sea_orm=warn")
        } else {
            level.to_owned()
        }
    }

    /// Each directive is a level, or `target=level`.
    pub fn is_valid(&self) -> bool {
        let level = |l: &str| LEVELS.contains(&l.trim());
        let directive = |d: &str| match d.split_once('=') {
            Some((target, l)) => !target.trim().is_empty() && level(l),
            None => level(d),
        };
        !self.level.trim().is_empty() && self.level.split(',').all(directive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_or_directives_are_accepted_and_nonsense_is_not() {
        let log = |level: &str| LogConfig {
            level: level.into(),
        };
        assert!(log("debug").is_valid());
        assert_eq!(log("debug").filter(), "debug,sqlx=warn,sea_orm=warn");
        assert!(log("info,doorman=trace").is_valid());
        assert_eq!(log("info,doorman=trace").filter(), "info,doorman=trace");
        for bad in ["", "verbose", "doorman=loud", "=info"] {
            assert!(!log(bad).is_valid(), "{bad}");
        }
    }
}
