//! Config reload: the binary re-reads its file on SIGHUP and swaps providers
//! without ending sessions or sign-ins in flight; an invalid file is refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};

use crate::binary::{free_port, wait_until_ready, Server};
use crate::fake_oidc::FakeOidc;
use crate::helpers::{hidden_fields, location, SECRET_KEY};

/// The binary serving a config file it may be told to reload.
struct Reloadable {
    base: String,
    file: PathBuf,
    log: PathBuf,
    server: Server,
    client: Client,
    _dir: tempfile::TempDir,
}

impl Reloadable {
    async fn start(providers: &str) -> Reloadable {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let file = dir.path().join("doorman.toml");
        let log = dir.path().join("doorman.log");
        write_atomically(&file, &config(port, dir.path(), providers, ""));
        let child = Command::new(env!("CARGO_BIN_EXE_doorman"))
            .arg("--config")
            .arg(&file)
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server(child);
        wait_until_ready(&base).await;
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Reloadable {
            base,
            file,
            log,
            server,
            client,
            _dir: dir,
        }
    }

    /// Rewrites the file (providers and extra tables) and sends SIGHUP.
    fn rewrite_and_hang_up(&self, providers: &str, extra: &str) {
        let port = self.base.rsplit(':').next().unwrap().parse().unwrap();
        let dir = self.file.parent().unwrap();
        write_atomically(&self.file, &config(port, dir, providers, extra));
        self.hang_up();
    }

    fn hang_up(&self) {
        let pid = self.server.0.id().to_string();
        let status = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
        assert!(status.success());
    }

    async fn get(&self, path_or_url: &str) -> reqwest::Response {
        let url = match path_or_url.starts_with('/') {
            true => format!("{}{path_or_url}", self.base),
            false => path_or_url.to_owned(),
        };
        self.client.get(url).send().await.unwrap()
    }

    async fn login_page(&self) -> String {
        self.get("/login").await.text().await.unwrap()
    }

    /// Polls /login until `text` shows, for at most a second.
    async fn login_shows_within_a_second(&self, text: &str) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            if self.login_page().await.contains(text) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    /// Waits for a log line holding every one of `parts`.
    async fn logged(&self, parts: &[&str]) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            if log.lines().any(|l| parts.iter().all(|p| l.contains(p))) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    async fn sign_in_dev(&self) {
        let done = self.try_sign_in_dev().await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
    }

    async fn try_sign_in_dev(&self) -> reqwest::Response {
        let begin = self.get("/auth/dev").await;
        let form = self.get(&location(&begin)).await;
        let mut fields = hidden_fields(&form.text().await.unwrap());
        fields.push(("name".into(), "Grace".into()));
        fields.push(("email".into(), "grace@example.org".into()));
        let url = format!("{}/dev-idp/authorize", self.base);
        let posted = self.client.post(url).form(&fields).send().await.unwrap();
        self.get(&location(&posted)).await
    }
}

fn config(port: u16, dir: &Path, providers: &str, extra: &str) -> String {
    format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\npublic_url = \"http://127.0.0.1:{port}\"\n\
         secret_key = \"{SECRET_KEY}\"\n[database]\nurl = \"sqlite://{}/d.db?mode=rwc\"\n\
         [rate_limit]\nauth_per_ip_per_minute = 0\n[dev_idp]\nenabled = true\n{extra}\n{providers}",
        dir.display()
    )
}

/// Writes through a temporary file and a rename, so a reload never reads half a file.
fn write_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn github(label: &str) -> String {
    format!("[providers.github]\npreset = \"github\"\nlabel = \"{label}\"\nclient_id = \"id\"\nclient_secret = \"s\"\n")
}

#[tokio::test]
async fn a_provider_added_then_sighup_is_on_login_within_a_second_and_sessions_stay() {
    let app = Reloadable::start("").await;
    app.sign_in_dev().await;
    assert!(!app.login_page().await.contains("Sign in with Acme GitHub"));

    app.rewrite_and_hang_up(&github("Acme GitHub"), "");
    assert!(
        app.login_shows_within_a_second("Sign in with Acme GitHub")
            .await
    );
    let me = app.get("/api/me").await;
    assert_eq!(
        me.status(),
        StatusCode::OK,
        "the session from before still works"
    );
    assert!(app.logged(&["configuration reloaded"]).await);

    // The log level follows [log] level.
    let log = || std::fs::read_to_string(&app.log).unwrap();
    assert!(!log().contains("DEBUG"), "info by default");
    app.rewrite_and_hang_up(&github("Debug GitHub"), "[log]\nlevel = \"debug\"\n");
    assert!(
        app.login_shows_within_a_second("Sign in with Debug GitHub")
            .await
    );
    app.sign_in_dev().await; // the HTTP client logs its connections at debug
    assert!(app.logged(&["DEBUG"]).await, "debug lines after the reload");

    // [ui] follows too: the page's title.
    assert!(!app.login_page().await.contains("Sign in to Acme"));
    app.rewrite_and_hang_up(&github("Debug GitHub"), "[ui]\ntitle = \"Acme\"\n");
    assert!(app.login_shows_within_a_second("Sign in to Acme").await);
}

#[tokio::test]
async fn an_invalid_file_is_refused_with_a_log_line_and_the_running_config_stays() {
    let app = Reloadable::start(&github("First")).await;
    let broken = "[providers.github]\npreset = \"nosuch\"\nclient_id = \"id\"\n";
    app.rewrite_and_hang_up(broken, "");
    assert!(
        app.logged(&["reload refused", "providers.github.preset"])
            .await
    );
    assert!(app.login_page().await.contains("Sign in with First"));
    let no_issuer = "[providers.kc]\npreset = \"keycloak\"\nclient_id = \"id\"\n";
    app.rewrite_and_hang_up(no_issuer, "");
    assert!(
        app.logged(&["reload refused", "providers.kc", "`issuer`"])
            .await
    );
    assert!(app.login_page().await.contains("Sign in with First"));

    // Keys that need a restart are logged and keep their running values.
    let session = "[session]\nidle_timeout = \"1h\"\n";
    app.rewrite_and_hang_up(&github("Second"), session);
    assert!(app.login_shows_within_a_second("Sign in with Second").await);
    assert!(app.logged(&["[session]", "restart"]).await);
}

#[tokio::test]
async fn a_sign_in_begun_before_a_reload_completes_after_it() {
    let corp = FakeOidc::start().await;
    let corp_table = |label: &str| {
        format!(
            "[providers.corp]\npreset = \"oidc\"\nlabel = \"{label}\"\nclient_id = \"{}\"\n\
             client_secret = \"{}\"\nissuer = \"{}\"\n",
            FakeOidc::CLIENT_ID,
            FakeOidc::CLIENT_SECRET,
            corp.issuer()
        )
    };
    let app = Reloadable::start(&corp_table("Corp")).await;
    let begin = app.get("/auth/corp?next=/api/me").await;
    assert_eq!(begin.status(), StatusCode::SEE_OTHER);
    let callback = location(&app.get(&location(&begin)).await);

    let both = format!("{}{}", corp_table("Corp SSO"), github("GitHub"));
    app.rewrite_and_hang_up(&both, "");
    assert!(
        app.login_shows_within_a_second("Sign in with Corp SSO")
            .await
    );

    let done = app.get(&callback).await;
    assert_eq!(
        done.status(),
        StatusCode::SEE_OTHER,
        "the callback completes"
    );
    assert_eq!(location(&done), "/api/me");
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn tightened_access_rules_apply_at_the_next_sign_in_and_sessions_stay() {
    let app = Reloadable::start("").await;
    app.sign_in_dev().await;
    let access = "[access]\nallowed_email_domains = [\"corp.example\"]\n";
    app.rewrite_and_hang_up(&github("Access"), access);
    assert!(app.login_shows_within_a_second("Sign in with Access").await);
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
    let refused = app.try_sign_in_dev().await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "grace@example.org is outside corp.example"
    );
}

#[tokio::test]
async fn forward_auth_settings_change_on_reload_for_sessions_already_open() {
    let app = Reloadable::start("").await;
    app.sign_in_dev().await;
    let verify = app.get("/auth/verify").await;
    assert_eq!(verify.status(), StatusCode::OK);
    assert!(verify.headers().get("x-auth-request-jwt").is_none());
    let on = "[forward_auth]\njwt_assertion = true\n";
    app.rewrite_and_hang_up(&github("Assert"), on);
    assert!(app.login_shows_within_a_second("Sign in with Assert").await);
    let verify = app.get("/auth/verify").await;
    assert_eq!(verify.status(), StatusCode::OK);
    assert!(verify.headers().get("x-auth-request-jwt").is_some());
}
