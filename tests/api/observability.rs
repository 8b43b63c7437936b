//! Observability: Prometheus series by matched route, sign-in outcomes,
//! `[metrics] bind`, request ids, and JSON log lines.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app_with, Options};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn metrics_show_sign_in_outcomes_and_routes_by_pattern() {
    let app = spawn_app_with(Options::default()).await;
    app.sign_in_corp("/").await;
    let id = app.me().await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(app.cli(&["users", "disable", &id]).await.status.success());
    let refused = app.sign_in_corp("/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let text = app.get("/metrics").await.text().await.unwrap();
    let sign_ins = |outcome: &str| {
        text.lines().any(|l| {
            l.starts_with("doorman_sign_ins_total{")
                && l.contains("provider=\"corp\"")
                && l.contains(&format!("outcome=\"{outcome}\""))
        })
    };
    assert!(sign_ins("success"), "{text}");
    assert!(
        sign_ins("refused"),
        "a disabled user's sign-in is refused: {text}"
    );
    assert!(text.contains("doorman_http_requests_total{route=\"/auth/{name}/callback\""));
    assert!(text.contains("doorman_http_request_duration_seconds_bucket{route=\"/auth/{name}\""));
    assert!(!text.contains("route=\"/auth/corp\""), "never a raw path");
    assert!(text.contains(
        "doorman_provider_request_duration_seconds_bucket{provider=\"corp\",step=\"complete\""
    ));
}

#[tokio::test]
async fn with_metrics_bind_metrics_move_to_their_own_listener() {
    let port = free_port();
    let app = spawn_app_with(Options {
        extra_toml: format!("[metrics]\nbind = \"127.0.0.1:{port}\"\n"),
        ..Options::default()
    })
    .await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    app.get("/healthz").await;
    let own = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    assert!(own
        .text()
        .await
        .unwrap()
        .contains("doorman_http_requests_total"));
}

#[tokio::test]
async fn a_request_id_is_generated_unless_a_trusted_proxy_sends_one() {
    let untrusted = spawn_app_with(Options::default()).await;
    let answer = untrusted
        .client
        .get(format!("{}/healthz", untrusted.address))
        .header("x-request-id", "from-the-client")
        .send()
        .await
        .unwrap();
    let id = answer.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "from-the-client");
    assert_eq!(id.len(), 32);
    let trusted = spawn_app_with(Options {
        server_toml: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Options::default()
    })
    .await;
    let answer = trusted
        .client
        .get(format!("{}/healthz", trusted.address))
        .header("x-request-id", "from-the-proxy")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["x-request-id"], "from-the-proxy");
}

/// Kills the server when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the binary with `[log] format`, sends a refused sign-in (with the
/// id `req-{format}-1` from a trusted proxy) and a refused logout; returns
/// what the process wrote and the logout's generated request id.
async fn logged_requests(format: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let config = dir.path().join("doorman.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nbind = \"127.0.0.1:{port}\"\npublic_url = \"{base}\"\n\
             secret_key = \"{}\"\ntrusted_proxies = [\"127.0.0.1/32\"]\n\
             [database]\nurl = \"sqlite://{}/d.db?mode=rwc\"\n\
             [log]\nformat = \"{format}\"\nlevel = \"info\"\n",
            crate::helpers::SECRET_KEY,
            dir.path().display()
        ),
    )
    .unwrap();
    let out = std::fs::File::create(dir.path().join("out.log")).unwrap();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_doorman"))
            .arg("--config")
            .arg(&config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let client = reqwest::Client::new();
    let id = format!("req-{format}-1");
    let refused = client
        .get(format!("{base}/auth/nope"))
        .header("x-request-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.headers()["x-request-id"], id.as_str());
    let other = client
        .post(format!("{base}/logout"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let other_id = other.headers()["x-request-id"].to_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(server);
    let text = std::fs::read_to_string(dir.path().join("out.log")).unwrap();
    (text, other_id)
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_with_the_request_id() {
    let (text, other_id) = logged_requests("json").await;
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let in_request: Vec<&Value> = lines.iter().filter(|l| l.get("span").is_some()).collect();
    for line in &in_request {
        assert!(line["span"]["request_id"].is_string(), "{line}");
        assert!(line["span"]["route"].is_string(), "{line}");
    }
    let ids: Vec<&str> = in_request
        .iter()
        .filter_map(|l| l["span"]["request_id"].as_str())
        .collect();
    assert!(ids.contains(&"req-json-1"), "{text}");
    assert!(ids.contains(&other_id.as_str()), "{text}");
    assert!(
        lines.iter().any(|l| l.get("span").is_none()),
        "start-up lines: {text}"
    );
}

#[tokio::test]
async fn text_log_lines_of_a_request_end_with_its_id_method_and_route() {
    let (text, other_id) = logged_requests("text").await;
    assert!(!text.contains('\u{1b}'), "no colour codes: {text}");
    let refused = text
        .lines()
        .find(|l| l.contains("request_id=req-text-1"))
        .unwrap_or_else(|| panic!("no line of the refused sign-in: {text}"));
    assert!(
        refused.ends_with("request_id=req-text-1 method=GET route=/auth/{name}"),
        "{refused}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("request_id={other_id} method=POST"))),
        "{text}"
    );
}
