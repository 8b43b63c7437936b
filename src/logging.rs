//! The process's log output (`[log] format` and `level`): human-readable
//! text or one JSON object per line, each line of a request carrying its
//! request id (the `request` span's fields). The level can change later (a
//! config reload) through the returned control.

use std::sync::Arc;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, reload, EnvFilter, Registry};

use crate::config::{LogConfig, LogFormat};
use crate::reload::LogControl;

/// The tracing filter of `[log] level` (the database crates stay at warn).
pub fn filter(config: &LogConfig) -> String {
    format!("{},sqlx=warn,sea_orm=warn", config.level)
}

/// Installs the global subscriber once; RUST_LOG, when set, wins over `level`.
/// A second call (tests, a host app with its own subscriber) changes nothing.
/// Returns the control a reload uses to change the level, unless RUST_LOG
/// decides it or the subscriber was installed already.
pub fn init(config: &LogConfig) -> Option<LogControl> {
    let from_env = EnvFilter::try_from_default_env().ok();
    let pinned = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| EnvFilter::new(filter(config)));
    let (filter, handle) = reload::Layer::<EnvFilter, Registry>::new(filter);
    let installed = match config.format {
        LogFormat::Text => tracing_subscriber::registry()
            .with(filter)
            .with(fmt::layer())
            .try_init(),
        LogFormat::Json => tracing_subscriber::registry()
            .with(filter)
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
    };
    if installed.is_err() || pinned {
        return None;
    }
    Some(Arc::new(move |directives: &str| {
        let filter = EnvFilter::try_new(directives).map_err(|e| e.to_string())?;
        handle.reload(filter).map_err(|e| e.to_string())
    }))
}
