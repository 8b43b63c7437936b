//! The process's log output (`[log] format` and `level`): plain text or
//! one JSON object per line, each line of a request carrying its request
//! id, method and route (the request's log context, web/observe.rs: text
//! lines end with `request_id=... method=... route=...`, JSON lines hold
//! them under "span"). The level can change later (a config reload)
//! through the returned control.

use std::sync::Arc;

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, reload, EnvFilter, Registry};

use crate::config::{LogConfig, LogFormat};
use crate::reload::LogControl;
use crate::web::observe;

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
            .with(fmt::layer().with_ansi(false).event_format(WithRequest {
                inner: fmt::format().with_ansi(false),
                json: false,
            }))
            .try_init(),
        LogFormat::Json => tracing_subscriber::registry()
            .with(filter)
            .with(
                fmt::layer().json().event_format(WithRequest {
                    inner: fmt::format()
                        .json()
                        .flatten_event(true)
                        .with_current_span(false)
                        .with_span_list(false),
                    json: true,
                }),
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

/// An event format that adds the request's log context to `inner`'s line.
struct WithRequest<F> {
    inner: F,
    json: bool,
}

impl<S, N, F> FormatEvent<S, N> for WithRequest<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let Some(request) = observe::current() else {
            return self.inner.format_event(ctx, writer, event);
        };
        let mut line = String::new();
        self.inner
            .format_event(ctx, Writer::new(&mut line), event)?;
        let line = line.trim_end_matches('\n');
        if !self.json {
            return writeln!(
                writer,
                "{line} request_id={} method={} route={}",
                request.id(),
                request.method,
                request.route()
            );
        }
        let span = serde_json::json!({
            "name": "request",
            "request_id": request.id(),
            "method": request.method.as_str(),
            "route": request.route(),
        });
        match line.strip_suffix('}') {
            Some(head) if head.len() > 1 => writeln!(writer, "{head},\"span\":{span}}}"),
            _ => writeln!(writer, "{line}"),
        }
    }
}
