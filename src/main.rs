//! doorman's binary: parse the command line, hand over to cli::run (which
//! starts logging as `[log]` says).
#![forbid(unsafe_code)]

use clap::Parser;

/// mimalloc: /auth/verify and the sign-in path allocate many small, short-lived
/// buffers (hyper, headers, JSON); see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    doorman::cli::run(doorman::cli::Cli::parse()).await
}
