//! The framework's own ceiling for bench/run.sh: a bare axum handler of
//! /auth/verify's shape (read the session cookie, answer 200 with one
//! header), mimalloc, no session, no middleware. Whatever doorman shows
//! against nginx, no axum service can beat this on the same machine.
//! `cargo run --release --example bare -- PORT`

use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn verify(headers: HeaderMap) -> (StatusCode, [(&'static str, String); 1]) {
    let token = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| {
            c.split("; ")
                .find_map(|kv| kv.strip_prefix("doorman_session="))
        })
        .unwrap_or_default();
    (
        StatusCode::OK,
        [("x-auth-request-user", token.len().to_string())],
    )
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18083);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let app = axum::Router::new().route("/auth/verify", get(verify));
    axum::serve(listener, app).await
}
