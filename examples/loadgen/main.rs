//! The benchmark load generator used by bench/run.sh: a bench OpenID
//! provider, full sign-ins through doorman many at once, and a single
//! sign-in whose session cookie wrk replays against /auth/verify.
//! Build: `cargo build --release --example loadgen`.

mod provider;
mod signins;

use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "doorman's benchmark load generator (127.0.0.1 only)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the bench OpenID provider on 127.0.0.1:PORT for at most LIFETIME seconds.
    Provider {
        #[arg(long)]
        port: u16,
        #[arg(long, default_value_t = 1800)]
        lifetime: u64,
    },
    /// Signs in once and prints the session cookie (`name=value`).
    Session {
        #[arg(long)]
        doorman_port: u16,
        #[arg(long, default_value = "bench")]
        provider: String,
        /// The subject signed in (its user is created on first use).
        #[arg(long, default_value = "verify-user")]
        subject: String,
        /// doorman's `[server] path_prefix`.
        #[arg(long, default_value = "")]
        path_prefix: String,
    },
    /// Runs COUNT sign-ins of subjects PREFIX-0.. with CONCURRENCY at once.
    SignIns {
        #[arg(long)]
        doorman_port: u16,
        #[arg(long, default_value = "bench")]
        provider: String,
        #[arg(long)]
        prefix: String,
        #[arg(long, default_value_t = 2000)]
        count: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match Cli::parse().command {
        Command::Provider { port, lifetime } => {
            let limit = tokio::time::sleep(Duration::from_secs(lifetime));
            tokio::select! {
                served = provider::serve(port) => {
                    if let Err(e) = served {
                        eprintln!("provider: {e}");
                        return std::process::ExitCode::FAILURE;
                    }
                }
                _ = limit => eprintln!("provider: lifetime over, stopping"),
            }
        }
        Command::Session {
            doorman_port,
            provider,
            subject,
            path_prefix,
        } => {
            let doorman = format!("http://127.0.0.1:{doorman_port}{path_prefix}");
            let client = signins::client();
            match signins::sign_in(&client, &doorman, &provider, &subject).await {
                Ok(cookie) => println!("{cookie}"),
                Err(e) => {
                    eprintln!("sign-in failed: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            }
        }
        Command::SignIns {
            doorman_port,
            provider,
            prefix,
            count,
            concurrency,
        } => {
            let doorman = format!("http://127.0.0.1:{doorman_port}");
            let r = signins::run(&doorman, &provider, &prefix, count, concurrency).await;
            let rate = (r.count - r.failures) as f64 / r.elapsed.as_secs_f64();
            println!(
                "count={} failures={} seconds={:.2} per_second={:.0} p50_ms={:.1} p99_ms={:.1}",
                r.count,
                r.failures,
                r.elapsed.as_secs_f64(),
                rate,
                r.quantile_ms(0.5),
                r.quantile_ms(0.99)
            );
            for e in &r.first_errors {
                eprintln!("failure: {e}");
            }
            if r.failures > 0 {
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
