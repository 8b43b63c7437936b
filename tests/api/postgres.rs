//! PostgreSQL: the whole suite again on it, several instances on one
//! database, and a database that goes away and comes back.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::databases::{on_postgres, postgres_or_skip};
use crate::helpers::{assert_redirects_to, spawn_two_instances};
use crate::tcp_proxy::spawn_app_behind_proxy;

#[test]
fn the_whole_suite_passes_on_postgresql() {
    if on_postgres() || postgres_or_skip("the_whole_suite_passes_on_postgresql").is_none() {
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("DOORMAN_TEST_BACKEND", "postgres")
        .args(["--skip", "the_whole_suite_passes_on_postgresql"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .rfind(|l| l.starts_with("test result"))
        .unwrap_or("");
    eprintln!("on PostgreSQL: {summary}");
    assert!(
        out.status.success(),
        "the suite failed on PostgreSQL:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn two_instances_on_one_database_share_sign_ins_and_sessions() {
    let Some(server) = postgres_or_skip("two_instances_on_one_database") else {
        return;
    };
    let (_db, a, b) = spawn_two_instances(&server).await;
    let callback = a.begin_corp("/").await;
    let on_b = callback.replacen(&a.address, &b.address, 1);
    assert_redirects_to(&a.get_url(&on_b).await, "/");
    let me_on_b = a.get_url(&format!("{}/api/me", b.address)).await;
    assert_eq!(me_on_b.status(), StatusCode::OK);
    assert_eq!(
        a.me().await.status(),
        StatusCode::OK,
        "a session started on B works on A"
    );
    let out = a
        .client
        .post(format!("{}/logout", a.address))
        .header("origin", &a.address)
        .send()
        .await
        .unwrap();
    assert_redirects_to(&out, "/login");
    let on_b = a.get_url(&format!("{}/api/me", b.address)).await;
    assert_eq!(on_b.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_database_outage_is_a_quick_503_and_doorman_recovers() {
    let Some(server) = postgres_or_skip("a_database_outage_is_a_quick_503") else {
        return;
    };
    let (_db, proxy, app) = spawn_app_behind_proxy(&server).await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let me: Value = app.me().await.json().await.unwrap();

    proxy.down();
    let started = Instant::now();
    assert_eq!(
        app.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.me().await.status(), StatusCode::SERVICE_UNAVAILABLE);
    app.corp.set_user(crate::fake_oidc::FakeUser {
        sub: "someone-new".into(),
        ..Default::default()
    });
    let cut = app.sign_in_corp("/").await;
    assert_eq!(cut.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "503s come quickly"
    );

    proxy.up();
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.get("/readyz").await.status() != StatusCode::OK {
        assert!(Instant::now() < deadline, "doorman did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let again: Value = app.me().await.json().await.unwrap();
    assert_eq!(again["id"], me["id"], "the session survived the outage");
    let (users, identities, _) = app.counts().await;
    assert_eq!(
        (users, identities),
        (1, 1),
        "the cut sign-in left nothing behind"
    );
}
