//! The server itself: idle and slow connections are closed, SIGTERM stops
//! accepting and lets requests in flight finish (up to 10 s), and an
//! untrusted X-Forwarded-For is reported once.

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::binary::{free_port, wait_until_ready, Server};
use crate::databases::TempDatabase;
use crate::fake_oidc::FakeOidc;
use crate::helpers::{config_text, location, spawn_app_with, Options};

/// Reads until the server closes the connection; returns the bytes read.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(seen),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn idle_keep_alive_and_slow_header_connections_are_closed() {
    let app = spawn_app_with(Options {
        limits: Some(doorman::serve::Limits {
            idle: Duration::from_secs(1),
            grace: Duration::from_secs(1),
        }),
        ..Options::default()
    })
    .await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answered = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    let answered = answered.expect("the idle keep-alive connection was closed");
    assert!(answered.starts_with(b"HTTP/1.1 200"), "answered first");

    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    assert!(
        closed.is_some(),
        "a client that never finishes its headers is cut"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(doorman::serve::IDLE_TIMEOUT, Duration::from_secs(75));
}

/// The doorman binary on a test config with `corp`, logging to a file.
async fn spawn_binary(
    corp: &FakeOidc,
    dir: &std::path::Path,
    options: Options,
) -> (Server, String) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let db = TempDatabase::create(dir).await;
    let config = dir.join("doorman.toml");
    std::fs::write(&config, config_text(&options, &base, &db.url, corp)).unwrap();
    std::mem::forget(db);
    let log = std::fs::File::create(dir.join("doorman.log")).unwrap();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_doorman"))
            .arg("--config")
            .arg(&config)
            .env("DOORMAN__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "info")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_until_ready(&base).await;
    (server, base)
}

fn sigterm(server: &Server) {
    let pid = server.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
}

/// Waits (off the runtime) for the process to exit; its exit code.
async fn exit_code(mut server: Server, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = server.0.try_wait().unwrap() {
            return status.code();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// Starts a sign-in whose token request the provider answers after `delay`;
/// returns the callback's pending response.
async fn slow_callback(
    corp: &FakeOidc,
    base: &str,
    delay: Duration,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    corp.token_delay(delay);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let begin = client
        .get(format!("{base}/auth/corp?next=/"))
        .send()
        .await
        .unwrap();
    let authorize = client.get(location(&begin)).send().await.unwrap();
    let callback = location(&authorize);
    let pending = tokio::spawn(async move { client.get(callback).send().await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    pending
}

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_exits_zero() {
    let corp = FakeOidc::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = spawn_binary(&corp, dir.path(), Options::default()).await;
    let pending = slow_callback(&corp, &base, Duration::from_millis(1500)).await;
    sigterm(&server);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "no new connection is accepted"
    );
    let answered = pending
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    assert_eq!(exit_code(server, Duration::from_secs(5)).await, Some(0));
}

#[tokio::test]
async fn sigterm_closes_what_is_still_busy_after_ten_seconds() {
    let corp = FakeOidc::start().await;
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        http_timeout: Some("60s"),
        ..Options::default()
    };
    let (server, base) = spawn_binary(&corp, dir.path(), options).await;
    let _pending = slow_callback(&corp, &base, Duration::from_secs(40)).await;
    let signalled = Instant::now();
    sigterm(&server);
    assert_eq!(exit_code(server, Duration::from_secs(15)).await, Some(0));
    let took = signalled.elapsed();
    assert!(
        took >= Duration::from_secs(9),
        "waited for the request: {took:?}"
    );
}

#[tokio::test]
async fn an_untrusted_forwarded_for_is_reported_once() {
    let corp = FakeOidc::start().await;
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        rate_limit: 100,
        ..Options::default()
    };
    let (server, base) = spawn_binary(&corp, dir.path(), options).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for ip in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        let r = client
            .get(format!("{base}/auth/corp?next=/"))
            .header("x-forwarded-for", ip)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    sigterm(&server);
    assert_eq!(exit_code(server, Duration::from_secs(5)).await, Some(0));
    let log = std::fs::read_to_string(dir.path().join("doorman.log")).unwrap();
    let warnings: Vec<_> = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("X-Forwarded-For"))
        .collect();
    assert_eq!(warnings.len(), 1, "{log}");
}
