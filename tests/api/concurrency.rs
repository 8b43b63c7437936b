//! Concurrent sign-ins: the unique (provider, subject) decides, never an error.

use std::collections::HashSet;

use doorman::store::entities::sessions;
use futures_util::future::join_all;
use reqwest::StatusCode;
use sea_orm::EntityTrait;

use crate::helpers::{location, spawn_app, spawn_app_with, Options, TestApp};

/// One browser with its own cookie jar signs in with `corp`.
async fn sign_in_in_a_new_browser(app: &TestApp) -> StatusCode {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let begin = client
        .get(format!("{}/auth/corp", app.address))
        .send()
        .await
        .unwrap();
    if begin.status() != StatusCode::SEE_OTHER {
        return begin.status();
    }
    let authorize = client.get(location(&begin)).send().await.unwrap();
    let callback = client.get(location(&authorize)).send().await.unwrap();
    callback.status()
}

#[tokio::test]
async fn a_hundred_concurrent_first_sign_ins_make_one_user() {
    // A generous provider timeout: a hundred sign-ins on a loaded test
    // machine are slow, and this test is about the database, not timeouts.
    let app = spawn_app_with(Options {
        http_timeout: Some("60s"),
        ..Options::default()
    })
    .await;
    let statuses = join_all((0..100).map(|_| sign_in_in_a_new_browser(&app))).await;
    let failures: Vec<_> = statuses
        .iter()
        .filter(|s| **s != StatusCode::SEE_OTHER)
        .collect();
    assert!(failures.is_empty(), "failed sign-ins: {failures:?}");
    let (users, identities, sessions_count) = app.counts().await;
    assert_eq!((users, identities, sessions_count), (1, 1, 100));
    let owners: HashSet<_> = sessions::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    assert_eq!(owners.len(), 1, "every session belongs to the one user");
}

#[tokio::test]
async fn ended_sessions_are_deleted_by_the_cleanup() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let db = app.db().await;
    let idle = time::Duration::days(7);
    let keep = time::Duration::days(30);
    assert_eq!(
        doorman::store::delete_ended_sessions(&db, idle, keep)
            .await
            .unwrap(),
        0
    );
    let deleted = doorman::store::delete_ended_sessions(
        &db,
        time::Duration::seconds(-60),
        time::Duration::ZERO,
    )
    .await
    .unwrap();
    assert_eq!(
        deleted, 1,
        "a session idle longer than the idle timeout, kept for no time, is deleted"
    );
    assert_eq!(app.counts().await.2, 0);
}
