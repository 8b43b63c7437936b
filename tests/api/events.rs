//! Events: written with the change they record, read with `doorman events`.

use reqwest::StatusCode;

use crate::browsers::Browser;
use crate::helpers::{assert_redirects_to, spawn_app, TestApp};

/// The kinds `doorman events [--user ID]` prints, oldest first.
pub async fn event_kinds(app: &TestApp, user: Option<&str>) -> Vec<String> {
    let mut args = vec!["events"];
    if let Some(id) = user {
        args.extend(["--user", id]);
    }
    let out = app.cli(&args).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn revocations_sign_outs_and_disables_are_recorded_in_order() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "laptop");
    let phone = Browser::new(&app, "phone");
    laptop.sign_in_corp().await;
    phone.sign_in_corp().await;
    let user = laptop.me().await["id"].as_str().unwrap().to_owned();
    let phone_id = phone.current_session_id().await;
    let revoked = laptop
        .post(&format!("/api/sessions/{phone_id}/revoke"))
        .send()
        .await
        .unwrap();
    assert_redirects_to(&revoked, "/account");
    assert_redirects_to(&laptop.post("/logout").send().await.unwrap(), "/login");
    assert!(app.cli(&["users", "disable", &user]).await.status.success());
    assert!(app.cli(&["users", "enable", &user]).await.status.success());
    let kinds = event_kinds(&app, Some(&user)).await;
    let tail: Vec<&str> = kinds
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "sign_in")
        .collect();
    assert_eq!(
        tail,
        [
            "session_revoked",
            "sign_out",
            "user_disabled",
            "user_enabled"
        ]
    );
    assert_eq!(
        event_kinds(&app, Some("0190c3a0-0000-7000-8000-000000000000"))
            .await
            .len(),
        0
    );
}

#[tokio::test]
async fn an_event_keeps_the_client_ip_and_user_agent() {
    let app = spawn_app().await;
    let laptop = Browser::new(&app, "Laptop-Agent/1.0");
    laptop.sign_in_corp().await;
    assert_redirects_to(&laptop.post("/logout").send().await.unwrap(), "/login");
    let out = app.cli(&["events", "--limit", "1"]).await;
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        line.contains("sign_out") && line.contains("127.0.0.1"),
        "{line}"
    );
    assert_eq!(
        laptop.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_refused_sign_in_is_recorded_without_a_user_and_role_changes_with_theirs() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        extra_toml: "\n[access]\nallowed_email_domains = [\"corp.example\"]\n".into(),
        ..Default::default()
    })
    .await;
    let refused = Browser::new(&app, "refused").sign_in_corp().await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(event_kinds(&app, None).await, ["sign_in_refused"]);
    assert_eq!(app.counts().await, (0, 0, 0), "nothing else is written");
    let admin = Browser::new(&app, "admin");
    admin.sign_in_dev("Root", "root@corp.example").await;
    let user = admin.me().await["id"].as_str().unwrap().to_owned();
    assert!(app
        .cli(&["users", "grant", &user, "admin"])
        .await
        .status
        .success());
    assert!(app
        .cli(&["users", "revoke", &user, "admin"])
        .await
        .status
        .success());
    let kinds = event_kinds(&app, Some(&user)).await;
    assert_eq!(kinds, ["sign_in", "role_granted", "role_revoked"]);
}

#[tokio::test]
async fn a_reused_refresh_token_is_recorded_with_the_session_it_ends() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        extra_toml: "[api_tokens]\nenabled = true\nreuse_interval = \"1s\"\n".into(),
        ..Default::default()
    })
    .await;
    let laptop = Browser::new(&app, "laptop");
    laptop.sign_in_corp().await;
    let user = laptop.me().await["id"].as_str().unwrap().to_owned();
    let tokens = laptop.api_tokens().await;
    let refresh = |token: String| {
        let address = app.address.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{address}/api/token"))
                .form(&[("grant_type", "refresh_token"), ("refresh_token", &token)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let old = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(refresh(old.clone()).await, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    assert_eq!(refresh(old).await, StatusCode::BAD_REQUEST);
    assert_eq!(
        laptop.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let kinds = event_kinds(&app, Some(&user)).await;
    assert_eq!(kinds, ["sign_in", "refresh_token_reuse"]);
}
