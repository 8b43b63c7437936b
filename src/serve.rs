//! The HTTP server loop: hyper with a timer, so a connection that sends no
//! complete request head within IDLE_TIMEOUT is closed (an idle keep-alive
//! connection, or a client that dribbles its headers); and a graceful stop
//! that refuses new connections, lets requests in flight finish for up to
//! SHUTDOWN_GRACE, then closes what is left.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Idle keep-alive connections are closed after this long: longer than the
/// documented proxies' upstream keepalive_timeout (60 s), so a proxy never
/// reuses a connection doorman is closing. hyper starts the same timer when
/// it waits for a request head, so it also bounds a slow client's headers.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(75);
/// Requests in flight at shutdown get this long to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Connection limits (tests shorten them).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// See [`IDLE_TIMEOUT`].
    pub idle: Duration,
    /// See [`SHUTDOWN_GRACE`].
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            idle: IDLE_TIMEOUT,
            grace: SHUTDOWN_GRACE,
        }
    }
}

/// Serves `router` on `listener` until `stop` completes, then shuts down gracefully.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("stopping: finishing requests in flight");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {
            tracing::warn!(grace = ?limits.grace, "closing connections still busy after the grace period");
        }
    }
    Ok(())
}
