//! Sign-ins at a steady rate in the background of a wrk run (the writes
//! that must not slow /auth/verify down): one every 1/RATE seconds, each
//! on its own task, for DURATION seconds; prints the outcome.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::signins;

/// Runs sign-ins of subjects `{prefix}-{i}` at `per_second` for `seconds`.
pub async fn run(doorman: &str, prefix: &str, per_second: u32, seconds: u64) -> (usize, usize) {
    let client = signins::client();
    let failures = Arc::new(AtomicUsize::new(0));
    let mut every =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(per_second.max(1))));
    let end = tokio::time::Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    let mut i = 0usize;
    while tokio::time::Instant::now() < end {
        every.tick().await;
        let (client, doorman, failures) = (client.clone(), doorman.to_owned(), failures.clone());
        let sub = format!("{prefix}-{}", i % 500);
        i += 1;
        tasks.push(tokio::spawn(async move {
            if let Err(e) = signins::sign_in(&client, &doorman, "bench", &sub).await {
                if failures.fetch_add(1, Ordering::Relaxed) < 3 {
                    eprintln!("paced sign-in failed: {e}");
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    (i, failures.load(Ordering::Relaxed))
}
