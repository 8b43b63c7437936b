//! What the journey runs: doorman (in process, dev IdP on), the echoing
//! upstream app, and nginx or Caddy as child processes with their own
//! temporary config and state directories.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::Json;
use serde_json::{json, Map, Value};
use tempfile::TempDir;

use crate::snippets::{rewrite, Ports};

/// Which proxy runs the snippet.
#[derive(Clone, Copy, Debug)]
pub enum ProxyKind {
    /// Debian's nginx-light.
    Nginx,
    /// Debian's caddy.
    Caddy,
}

/// A free port on 127.0.0.1 (for a process that binds it itself).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The upstream app: every request answers 200 with its URI and headers.
pub async fn start_echo_app() -> u16 {
    async fn echo(request: Request) -> Json<Value> {
        let mut headers = Map::new();
        for (name, value) in request.headers() {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let entry = headers.entry(name.as_str()).or_insert(json!([]));
            entry.as_array_mut().unwrap().push(value.into());
        }
        Json(json!({ "uri": request.uri().to_string(), "headers": headers }))
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new().fallback(echo);
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// A TCP relay to 127.0.0.1:`target` counting the connections it accepts
/// (to see whether the proxy keeps its connections to doorman open).
pub async fn start_counting_relay(target: u16) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let target = SocketAddr::from(([127, 0, 0, 1], target));
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (port, accepted)
}

/// doorman with the dev IdP, public at the proxy's address, under `prefix`;
/// returns its port and database URL. Its config is `dir/doorman.toml`.
pub async fn start_doorman(dir: &Path, proxy_port: u16, prefix: &str) -> (u16, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let db_url = format!("sqlite://{}/doorman.db?mode=rwc", dir.display());
    let text = format!(
        r#"[server]
bind = "127.0.0.1:0"
public_url = "http://127.0.0.1:{proxy_port}"
secret_key = "proxy-test-secret-key-0123456789abcdef-0123456789"
path_prefix = "{prefix}"
trusted_proxies = ["127.0.0.1/32"]
[database]
url = "{db_url}"
[rate_limit]
auth_per_ip_per_minute = 0
[dev_idp]
enabled = true
"#
    );
    std::fs::write(dir.join("doorman.toml"), &text).unwrap();
    let config = doorman::config::Config::from_toml(&text, Path::new("proxy-test.toml"))
        .expect("valid test config");
    let app = doorman::startup::Application::build_with_listener(config, listener)
        .await
        .expect("doorman builds");
    tokio::spawn(app.run_until_stopped());
    (port, db_url)
}

/// A proxy process, stopped when dropped.
pub struct Proxy {
    child: Child,
    dir: TempDir,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proxy {
    /// Starts `kind` with `snippet` (ports rewritten) and waits for its port.
    pub async fn start(kind: ProxyKind, snippet: &str, ports: &Ports) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let site = rewrite(snippet, ports);
        let child = match kind {
            ProxyKind::Nginx => nginx(dir.path(), &site),
            ProxyKind::Caddy => caddy(dir.path(), &site),
        };
        let proxy = Proxy { child, dir };
        proxy.wait_for(ports.proxy).await;
        proxy
    }

    async fn wait_for(&self, port: u16) {
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(address).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the proxy did not listen on {port}: {}", self.log());
    }

    /// The proxy's own log (its errors), for failure messages.
    pub fn log(&self) -> String {
        ["error.log", "caddy.log"]
            .iter()
            .filter_map(|f| std::fs::read_to_string(self.dir.path().join(f)).ok())
            .collect()
    }
}

fn nginx(dir: &Path, site: &str) -> Child {
    let d = dir.display();
    let conf = format!(
        // One process: killing it at the end leaves no orphaned workers.
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n    access_log off;\n    client_body_temp_path {d}/body;\n\
         proxy_temp_path {d}/proxy;\n    fastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n{site}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let binary = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|b| Path::new(b).exists())
        .unwrap_or("nginx");
    Command::new(binary)
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx runs (apt-get install nginx-light)")
}

fn caddy(dir: &Path, site: &str) -> Child {
    let conf = format!("{{\n\tadmin off\n\tauto_https off\n}}\n{site}");
    std::fs::write(dir.join("Caddyfile"), conf).unwrap();
    let log = std::fs::File::create(dir.join("caddy.log")).unwrap();
    Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(dir.join("Caddyfile"))
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("caddy runs (apt-get install caddy)")
}

/// Runs `doorman users grant {user} {role}` against doorman's config in `dir`.
pub async fn grant(dir: &Path, user: &str, role: &str) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_doorman"));
    command
        .arg("--config")
        .arg(dir.join("doorman.toml"))
        .args(["users", "grant", user, role]);
    let output = tokio::task::spawn_blocking(move || command.output().expect("doorman runs"))
        .await
        .unwrap();
    assert!(output.status.success(), "grant: {output:?}");
}
