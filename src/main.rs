//! doorman's binary: parse the command line, start tracing, hand over to cli::run.
#![forbid(unsafe_code)]

use std::sync::Arc;

use clap::Parser;
use tracing_subscriber::{layer::SubscriberExt, reload, util::SubscriberInitExt, EnvFilter};

/// mimalloc: /auth/verify and the sign-in path allocate many small, short-lived
/// buffers (hyper, headers, JSON); see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let from_env = EnvFilter::try_from_default_env().ok();
    let overridden = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| "info,sqlx=warn,sea_orm=warn".into());
    let (filter, handle) = reload::Layer::new(filter);
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer())
        .init();
    // RUST_LOG, when set, wins over `[log] level`, at start and at reloads.
    let log: doorman::reload::LogControl = Arc::new(move |directives: &str| {
        if overridden {
            return Ok(());
        }
        let filter = EnvFilter::try_new(directives).map_err(|e| e.to_string())?;
        handle.reload(filter).map_err(|e| e.to_string())
    });
    doorman::cli::run_with_log(doorman::cli::Cli::parse(), Some(log)).await
}
