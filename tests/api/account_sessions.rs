//! The account's sessions: listing them, revoking one or all others, from a
//! page form or a JSON client, and from the command line.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browsers::Browser;
use crate::helpers::{assert_redirects_to, spawn_app, TestApp};

/// Two browsers of the same user, both signed in with `corp`.
pub async fn two_browsers(app: &TestApp) -> (Browser, Browser) {
    let laptop = Browser::new(app, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    let phone = Browser::new(app, "Mozilla/5.0 (iPhone) Mobile Safari/604.1");
    assert_redirects_to(&laptop.sign_in_corp().await, "/");
    assert_redirects_to(&phone.sign_in_corp().await, "/");
    (laptop, phone)
}

#[tokio::test]
async fn the_list_shows_both_browsers_and_marks_the_current_one() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let list = laptop.sessions().await;
    assert_eq!(list.len(), 2, "{list:?}");
    let current: Vec<&Value> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert!(current[0]["user_agent"]
        .as_str()
        .unwrap()
        .contains("Firefox"));
    for s in &list {
        for key in ["id", "created_at", "last_seen_at", "ip", "user_agent"] {
            assert!(s[key].is_string(), "{key} in {s}");
        }
    }
    assert_ne!(
        laptop.current_session_id().await,
        phone.current_session_id().await
    );
}

#[tokio::test]
async fn revoking_the_other_browser_ends_it_on_its_next_request() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let phone_id = phone.current_session_id().await;
    assert_eq!(
        revoke_json(&laptop, &phone_id).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(laptop.get("/api/me").await.status(), StatusCode::OK);
    assert_eq!(laptop.sessions().await.len(), 1);
}

#[tokio::test]
async fn a_page_form_revokes_with_its_csrf_token_and_lands_on_the_account() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let phone_id = phone.current_session_id().await;
    let token = csrf_token(&laptop).await;
    let answer = laptop
        .client
        .post(format!("{}/api/sessions/{phone_id}/revoke", app.address))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert_redirects_to(&answer, "/account");
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_cross_site_revoke_is_forbidden_and_changes_nothing() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let phone_id = phone.current_session_id().await;
    for evil in [
        laptop
            .client
            .post(format!("{}/api/sessions/{phone_id}/revoke", app.address))
            .header("origin", "https://evil.example"),
        laptop
            .client
            .post(format!("{}/api/sessions/revoke-others", app.address)),
    ] {
        let answer = evil.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(phone.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoke_others_keeps_only_this_browser() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let third = Browser::new(&app, "curl/8");
    third.sign_in_corp().await;
    let answer = laptop
        .post("/api/sessions/revoke-others")
        .send()
        .await
        .unwrap();
    assert_redirects_to(&answer, "/account");
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        third.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(laptop.get("/api/me").await.status(), StatusCode::OK);
    let list = laptop.sessions().await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["current"], true);
}

#[tokio::test]
async fn another_users_session_or_a_bad_id_is_a_404_and_nothing_changes() {
    let app = spawn_app().await;
    let mine = Browser::new(&app, "mine");
    let theirs = Browser::new(&app, "theirs");
    mine.sign_in_dev("Me", "me@example.com").await;
    theirs.sign_in_dev("Them", "them@example.com").await;
    let their_id = theirs.current_session_id().await;
    for id in [
        their_id.as_str(),
        "not-a-uuid",
        "0190c3a0-0000-7000-8000-000000000000",
    ] {
        assert_eq!(revoke_json(&mine, id).await, StatusCode::NOT_FOUND, "{id}");
    }
    let html = mine
        .post("/api/sessions/not-a-uuid/revoke")
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::NOT_FOUND);
    assert!(html.text().await.unwrap().contains("<html"));
    assert_eq!(theirs.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn signed_out_the_sessions_api_is_401() {
    let app = spawn_app().await;
    let nobody = Browser::new(&app, "nobody");
    assert_eq!(
        nobody.get("/api/sessions").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let answer = nobody
        .post("/api/sessions/revoke-others")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_ten_kilobyte_user_agent_is_shortened_before_it_is_stored() {
    let app = spawn_app().await;
    let huge = "A".repeat(10 * 1024);
    let browser = Browser::new(&app, &huge);
    assert_redirects_to(&browser.sign_in_corp().await, "/");
    let list = browser.sessions().await;
    let stored = list[0]["user_agent"].as_str().unwrap();
    assert!(stored.len() <= 512, "{} characters kept", stored.len());
    assert!(stored.starts_with("AAAA"));
}

#[tokio::test]
async fn the_cli_lists_and_revokes_one_session_by_id() {
    let app = spawn_app().await;
    let (laptop, phone) = two_browsers(&app).await;
    let user = laptop.me().await["id"].as_str().unwrap().to_owned();
    let out = app.cli(&["sessions", "list", "--user", &user]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    let phone_id = phone.current_session_id().await;
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.contains(&phone_id) && listed.contains("iPhone"),
        "{listed}"
    );
    let out = app.cli(&["sessions", "revoke", "--id", &phone_id]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(laptop.get("/api/me").await.status(), StatusCode::OK);
    let unknown = app
        .cli(&[
            "sessions",
            "revoke",
            "--id",
            "0190c3a0-0000-7000-8000-000000000000",
        ])
        .await;
    assert!(!unknown.status.success());
}

/// The sign-out form's CSRF token on the home page.
pub async fn csrf_token(browser: &Browser) -> String {
    let html = browser.get("/").await.text().await.unwrap();
    crate::helpers::hidden_fields(&html)
        .into_iter()
        .find(|(k, _)| k == "csrf_token")
        .expect("a csrf_token field")
        .1
}

/// POST /api/sessions/{id}/revoke as a JSON client; checks the contract's
/// error body on failure and returns the status.
pub async fn revoke_json(browser: &Browser, id: &str) -> StatusCode {
    let answer = browser
        .post(&format!("/api/sessions/{id}/revoke"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = answer.status();
    if !status.is_success() {
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"].is_string() && body["message"].is_string());
    }
    status
}
