//! The real-browser suite: doorman with the dev IdP and a fake second
//! provider, driven through Debian's chromium by tests/e2e/run.mjs
//! (playwright-core, axe-core). Runs when DOORMAN_TEST_BROWSER=1 (set by
//! .ci/run, which installs chromium and runs `npm ci` in tests/e2e);
//! otherwise it says why it is skipped. Screenshots go to target/e2e/.

#[path = "api"]
mod fakes {
    #[allow(unused_imports)]
    pub mod fake_oidc;
}

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use doorman::config::Config;
use doorman::startup::Application;
use fakes::fake_oidc::{FakeOidc, FakeUser};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Why the suite cannot run here, if it cannot.
fn skip_reason(dir: &Path) -> Option<String> {
    if std::env::var("DOORMAN_TEST_BROWSER").as_deref() != Ok("1") {
        return Some("DOORMAN_TEST_BROWSER is not 1".into());
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install chromium)"));
    }
    if !dir.join("node_modules/playwright-core").is_dir() {
        return Some("tests/e2e has no node_modules: run `npm ci` there".into());
    }
    None
}

/// doorman on 127.0.0.1:0 with the dev IdP and `corp`, a fake OIDC
/// provider; returns its address.
async fn spawn_doorman(dir: &Path, corp: &FakeOidc) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let text = format!(
        r#"[server]
bind = "127.0.0.1:0"
public_url = "{address}"
secret_key = "e2e-secret-key-0123456789abcdef-0123456789abcdef"
[database]
url = "sqlite://{db}/doorman.db?mode=rwc"
[rate_limit]
auth_per_ip_per_minute = 0
[dev_idp]
enabled = true
[ui]
title = "Acme"
[providers.corp]
preset = "oidc"
label = "Corp"
client_id = "{client_id}"
client_secret = "{client_secret}"
issuer = "{issuer}"
"#,
        db = dir.display(),
        client_id = FakeOidc::CLIENT_ID,
        client_secret = FakeOidc::CLIENT_SECRET,
        issuer = corp.issuer(),
    );
    let config = Config::from_toml(&text, Path::new("e2e.toml")).expect("valid e2e config");
    let app = Application::build_with_listener(config, listener)
        .await
        .expect("doorman builds");
    tokio::spawn(app.run_until_stopped());
    address
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_signs_in_links_revokes_and_signs_out_in_a_real_browser() {
    let e2e_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    if let Some(reason) = skip_reason(&e2e_dir) {
        eprintln!("skipped the browser suite: {reason}");
        return;
    }
    let corp = FakeOidc::start().await;
    corp.set_user(FakeUser {
        sub: "corp-ada".into(),
        preferred_username: "ada.corp".into(),
        ..FakeUser::default()
    });
    let data = tempfile::tempdir().unwrap();
    let address = spawn_doorman(data.path(), &corp).await;
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&shots).unwrap();
    let mut command = Command::new("node");
    command
        .arg("run.mjs")
        .current_dir(&e2e_dir)
        .env("DOORMAN_URL", &address)
        .env("CHROMIUM", CHROMIUM)
        .env("SCREENSHOTS", &shots);
    let run = tokio::task::spawn_blocking(move || command.output());
    let out = tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the browser suite finishes within 4 minutes")
        .unwrap()
        .expect("`node` runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "the browser suite failed:\n{stdout}\n{stderr}"
    );
    for shot in [
        "login-light.png",
        "account-dark.png",
        "error-light.png",
        "login-320.png",
    ] {
        assert!(shots.join(shot).is_file(), "{shot} was written");
    }
}
