//! doorman's binary: parse the command line, start tracing, hand over to cli::run.
#![forbid(unsafe_code)]

use clap::Parser;

/// mimalloc: /auth/verify and the sign-in path allocate many small, short-lived
/// buffers (hyper, headers, JSON); see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    doorman::cli::run(doorman::cli::Cli::parse()).await
}
