//! The command line: check, migrate, users.

use std::process::Command;

use crate::helpers::spawn_app;

fn doorman_with_config(text: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorman.toml");
    std::fs::write(&path, text).unwrap();
    Command::new(env!("CARGO_BIN_EXE_doorman"))
        .current_dir(dir.path())
        .arg("--config")
        .arg(&path)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_names_a_missing_variable() {
    let out = doorman_with_config(
        "[providers.corp]\npreset = \"oidc\"\nclient_id = \"x\"\nclient_secret = \"${DOORMAN_SURELY_MISSING_SECRET}\"\nissuer = \"https://id.example\"\n",
        &["check"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DOORMAN_SURELY_MISSING_SECRET"), "{stderr}");
}

#[test]
fn check_names_an_unknown_preset() {
    let out = doorman_with_config(
        "[providers.corp]\npreset = \"myspace\"\nclient_id = \"x\"\n",
        &["check"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("myspace"), "{stderr}");
}

#[test]
fn an_unknown_key_stops_start_up() {
    let out = doorman_with_config("[server]\nport = 80\n", &["migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("port"));
}

#[tokio::test]
async fn check_reaches_the_providers_discovery() {
    let app = spawn_app().await;
    let out = app.cli(&["check"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("ok: provider corp"), "{stdout}");
}

#[tokio::test]
async fn users_list_shows_signed_in_users() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let out = app.cli(&["users", "list"]).await;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ada@example.com"));
}

#[test]
fn environment_overrides_keep_all_digit_client_ids_as_strings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorman.toml");
    std::fs::write(&path, "[dev_idp]\nenabled = false\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_doorman"))
        .current_dir(dir.path())
        .arg("--config")
        .arg(&path)
        .arg("check")
        .env("DOORMAN__PROVIDERS__FB__PRESET", "facebook")
        .env("DOORMAN__PROVIDERS__FB__CLIENT_ID", "1234567890123456")
        .env("DOORMAN__PROVIDERS__FB__CLIENT_SECRET", "app-secret")
        .env("DOORMAN__DATABASE__MAX_CONNECTIONS", "4")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("ok: provider fb (facebook)"), "{stdout}");
}
