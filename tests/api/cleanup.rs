//! Ended sessions (revoked, expired, idle) are deleted 30 days after they
//! ended, not before: a disabled user's cookie keeps its 403 until then.

use std::time::{Duration, Instant};

use doorman::session::hash_token;
use doorman::store::entities::sessions;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use time::OffsetDateTime;

use crate::fake_oidc::FakeUser;
use crate::helpers::{spawn_app, spawn_app_with, Options, TestApp};

/// Sets one timestamp column of the session of `token` to `days` ago.
async fn ended(app: &TestApp, token: &str, column: sessions::Column, days: i64) {
    let at = OffsetDateTime::now_utc() - time::Duration::days(days);
    sessions::Entity::update_many()
        .col_expr(column, Expr::value(at))
        .filter(sessions::Column::TokenHash.eq(hash_token(token)))
        .exec(&app.db().await)
        .await
        .unwrap();
}

async fn exists(app: &TestApp, token: &str) -> bool {
    sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(hash_token(token)))
        .count(&app.db().await)
        .await
        .unwrap()
        == 1
}

#[tokio::test]
async fn ended_sessions_are_deleted_thirty_days_after_they_ended_not_before() {
    let app = spawn_app().await;
    let disabled = app.sign_in_corp_in_new_browser().await;
    let me: Value = app
        .client
        .get(format!("{}/api/me", app.address))
        .header("cookie", format!("doorman_session={disabled}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let out = app
        .cli(&["users", "disable", me["id"].as_str().unwrap()])
        .await;
    assert!(out.status.success());
    app.corp.set_user(FakeUser {
        sub: "grace".into(),
        ..FakeUser::default()
    });
    let mut tokens = Vec::new();
    for _ in 0..4 {
        tokens.push(app.sign_in_corp_in_new_browser().await);
    }
    use sessions::Column::{ExpiresAt, LastSeenAt, RevokedAt};
    // Ended a day ago in every way (the idle timeout is 7 days): kept.
    ended(&app, &disabled, ExpiresAt, 1).await;
    ended(&app, &disabled, LastSeenAt, 8).await;
    ended(&app, &disabled, RevokedAt, 1).await;
    ended(&app, &tokens[0], LastSeenAt, 8).await;
    // Ended 31 days ago: revoked, expired, idle.
    ended(&app, &tokens[1], RevokedAt, 31).await;
    ended(&app, &tokens[2], ExpiresAt, 31).await;
    ended(&app, &tokens[3], LastSeenAt, 38).await;

    // Another instance on the same database runs the cleanup at start.
    let _cleaner = spawn_app_with(Options {
        database_url: Some(app.db_url.clone()),
        ..Options::default()
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    for token in &tokens[1..] {
        while exists(&app, token).await {
            assert!(
                Instant::now() < deadline,
                "a long-ended session was not deleted"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(exists(&app, &tokens[0]).await, "ended a day ago: kept");
    assert!(exists(&app, &disabled).await, "ended a day ago: kept");
    let status = app
        .client
        .get(format!("{}/auth/verify", app.address))
        .header("cookie", format!("doorman_session={disabled}"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the disabled user's cookie keeps its 403"
    );
}
