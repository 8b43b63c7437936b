//! Provider text is data: it is cleaned before it is stored and escaped
//! when the CLI prints it; and a database that answers with something
//! doorman cannot read is a 500 (a bug), not a 503.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::databases::on_postgres;
use crate::fake_oidc::FakeUser;
use crate::helpers::{assert_redirects_to, spawn_app, TestApp};

async fn signed_in(app: &TestApp) -> Value {
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    app.me().await.json().await.unwrap()
}

#[tokio::test]
async fn profile_strings_lose_control_characters_and_are_capped_before_they_are_stored() {
    let app = spawn_app().await;
    app.corp.set_user(FakeUser {
        name: format!("Ada\u{0}\u{1b}[31m{}", "x".repeat(5000)),
        preferred_username: "ada\nroot".into(),
        picture: Some(format!("https://img.example/{}", "a".repeat(3000))),
        ..FakeUser::default()
    });
    let me = signed_in(&app).await;
    let name = me["name"].as_str().unwrap();
    assert!(name.starts_with("Ada[31mxxx"), "{name:.20}");
    assert_eq!(name.chars().count(), 1024);
    assert_eq!(me["avatar_url"].as_str().unwrap().chars().count(), 2048);
    assert_eq!(me["identities"][0]["username"], "adaroot");
}

#[tokio::test]
async fn the_cli_escapes_control_characters_in_provider_text() {
    let app = spawn_app().await;
    let me = signed_in(&app).await;
    let id = me["id"].as_str().unwrap();
    let esc = if on_postgres() { "chr(27)" } else { "char(27)" };
    let sql = format!("UPDATE users SET name = 'Eve' || {esc} || '[2J' || {esc} || ']0;pwned'");
    app.db().await.execute_unprepared(&sql).await.unwrap();
    for args in [vec!["users", "list"], vec!["users", "show", id]] {
        let out = app.cli(&args).await;
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains('\u{1b}'),
            "a raw escape was printed: {stdout:?}"
        );
        assert!(
            stdout.contains("Eve\\u{1b}[2J\\u{1b}]0;pwned"),
            "{stdout:?}"
        );
    }
}

#[tokio::test]
async fn a_row_doorman_cannot_decode_is_a_500_not_a_503() {
    let app = spawn_app().await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let sql = if on_postgres() {
        "ALTER TABLE sessions ALTER COLUMN user_agent TYPE integer USING 7"
    } else {
        "UPDATE sessions SET expires_at = 'not a time'"
    };
    app.db().await.execute_unprepared(sql).await.unwrap();
    let me = app.me().await;
    assert_eq!(me.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["error"], "internal");
}
