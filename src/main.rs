//! doorman's binary: parse the command line, hand over to cli::run (which
//! starts logging as `[log]` says).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: /auth/verify and the sign-in path allocate many small, short-lived
/// buffers (hyper, headers, JSON); see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    small_pages_only();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("doorman: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(doorman::cli::run(doorman::cli::Cli::parse()))
}

/// Turns transparent huge pages off for this process before it allocates
/// anything of note. mimalloc asks for them by default, and the kernel then
/// backs a sparsely used heap with whole 2 MiB pages: about 25 MiB more
/// resident with 10,000 sessions cached, for no measured gain in speed
/// (docs/decisions.md). `MIMALLOC_ALLOW_THP` set in the environment leaves
/// the choice to mimalloc.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // Refused only by kernels before 3.15: the process just runs with THP.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}
