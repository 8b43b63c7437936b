//! The binary on the shipped config: what a newcomer runs first.

use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{hidden_fields, location};

/// Kills the server when the test ends, pass or fail.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nobody listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the server at `base` answers /readyz.
pub async fn wait_until_ready(base: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status() == StatusCode::OK {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("doorman did not become ready");
}

/// A folder holding the shipped config as config/doorman.toml, where the
/// binary started without --config finds it.
fn shipped_config_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/config/doorman.toml"),
        dir.path().join("config/doorman.toml"),
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn the_binary_serves_the_shipped_config_and_a_newcomer_signs_in() {
    let dir = shipped_config_dir();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_doorman"))
            .current_dir(dir.path())
            .env("DOORMAN__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("DOORMAN__SERVER__PUBLIC_URL", &base)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until_ready(&base).await;

    let key = dir.path().join("data/secret_key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the development key is private");
    assert!(dir.path().join("data/doorman.db").exists());

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client.get(format!("{base}/login")).send().await.unwrap();
    assert!(login.text().await.unwrap().contains("Sign in with Dev"));
    let begin = client.get(format!("{base}/auth/dev")).send().await.unwrap();
    let form = client.get(location(&begin)).send().await.unwrap();
    let mut fields = hidden_fields(&form.text().await.unwrap());
    fields.push(("name".into(), "Linus".into()));
    fields.push(("email".into(), "linus@example.org".into()));
    let posted = client
        .post(format!("{base}/dev-idp/authorize"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let done = client.get(location(&posted)).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let me: Value = client
        .get(format!("{base}/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "Linus");
    assert_eq!(me["email"], "linus@example.org");
}

/// What /proc says of a process's transparent huge pages (Linux 5.0+).
fn thp_enabled(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("THP_enabled:"))
        .map(|v| v.trim().to_owned())
}

/// The binary turns transparent huge pages off for itself (mimalloc's heap
/// would otherwise sit in 2 MiB pages), unless MIMALLOC_ALLOW_THP decides.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_binary_keeps_its_heap_in_small_pages_unless_told_otherwise() {
    if thp_enabled(std::process::id()).is_none() {
        eprintln!("skipped: this kernel's /proc/PID/status has no THP_enabled line");
        return;
    }
    let dir = shipped_config_dir();
    for (allow, expected) in [(None, "0"), (Some("1"), "1")] {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut command = Command::new(env!("CARGO_BIN_EXE_doorman"));
        command
            .current_dir(dir.path())
            .env("DOORMAN__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("DOORMAN__SERVER__PUBLIC_URL", &base)
            .env_remove("MIMALLOC_ALLOW_THP")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(allow) = allow {
            command.env("MIMALLOC_ALLOW_THP", allow);
        }
        let server = Server(command.spawn().unwrap());
        wait_until_ready(&base).await;
        assert_eq!(
            thp_enabled(server.0.id()).as_deref(),
            Some(expected),
            "MIMALLOC_ALLOW_THP={allow:?}"
        );
    }
}
