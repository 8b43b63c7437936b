//! Provider tokens (`store_tokens`, `pass_access_token`): sealed per
//! identity, passed on by /auth/verify, refreshed once within a minute of
//! expiry (one refresh at a time, even on several instances), and left out
//! when a refresh fails, without ending the session.

use std::time::{Duration, Instant};

use doorman::store::entities::identities;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::databases::postgres_or_skip;
use crate::fake_oidc::FakeUser;
use crate::helpers::{
    assert_redirects_to, spawn_app_with, spawn_two_instances_with, Options, TestApp,
};

const HEADER: &str = "x-auth-request-access-token";

async fn spawn_passing(http_timeout: Option<&'static str>) -> TestApp {
    spawn_app_with(Options {
        extra_toml: "pass_access_token = true\n".into(),
        http_timeout,
        ..Options::default()
    })
    .await
}

/// GET /auth/verify: its status and access-token header.
async fn verify(app: &TestApp) -> (StatusCode, Option<String>) {
    let r = app.get("/auth/verify").await;
    let token = r
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status(), token)
}

async fn identity(app: &TestApp, subject: &str) -> identities::Model {
    identities::Entity::find()
        .filter(identities::Column::Subject.eq(subject))
        .one(&app.db().await)
        .await
        .unwrap()
        .expect("the identity exists")
}

/// Waits until tokens issued `lifetime` seconds ago are inside the
/// refresh window (less than 60 s left).
async fn until_inside_the_window(issued: Instant, lifetime: u64) {
    let due = issued + Duration::from_secs(lifetime - 60) + Duration::from_millis(1100);
    tokio::time::sleep_until(due.into()).await;
}

#[tokio::test]
async fn stored_tokens_open_only_for_their_identity_and_a_copied_row_fails_closed() {
    let app = spawn_passing(None).await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let (_, ada_token) = verify(&app).await;
    let ada_token = ada_token.expect("Ada's access token is passed on");
    assert!(app.corp.access_tokens().contains(&ada_token));
    let ada = identity(&app, "fake-user-1").await;
    let sealed = ada.provider_tokens.clone().expect("tokens are stored");
    assert!(!sealed.contains(&ada_token), "stored sealed, not in clear");

    app.corp.set_user(FakeUser {
        sub: "fake-user-2".into(),
        ..FakeUser::default()
    });
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let (_, bob_token) = verify(&app).await;
    assert_ne!(bob_token.as_deref(), Some(ada_token.as_str()));
    let bob = identity(&app, "fake-user-2").await;
    let mut copied: identities::ActiveModel = bob.into();
    copied.provider_tokens = Set(Some(sealed));
    copied.update(&app.db().await).await.unwrap();
    let (status, token) = verify(&app).await;
    assert_eq!(status, StatusCode::OK, "the session stays");
    assert_eq!(
        token, None,
        "tokens copied from another identity do not open"
    );
}

#[tokio::test]
async fn without_pass_access_token_no_token_is_sent_and_without_store_tokens_none_is_kept() {
    let app = spawn_app_with(Options {
        extra_toml: "store_tokens = true\n".into(),
        ..Options::default()
    })
    .await;
    app.sign_in_corp("/").await;
    assert_eq!(verify(&app).await, (StatusCode::OK, None));
    assert!(identity(&app, "fake-user-1")
        .await
        .provider_tokens
        .is_some());
    let me = app.me().await.text().await.unwrap();
    for token in app.corp.access_tokens() {
        assert!(!me.contains(&token), "/api/me shows no provider token");
    }

    let plain = crate::helpers::spawn_app().await;
    plain.sign_in_corp("/").await;
    assert!(identity(&plain, "fake-user-1")
        .await
        .provider_tokens
        .is_none());
}

#[tokio::test]
async fn an_expiring_token_is_refreshed_once_rotated_and_a_refused_refresh_omits_the_header() {
    let app = spawn_passing(None).await;
    app.corp.rotate_refresh_tokens();
    app.corp.access_token_lifetime(63);
    let issued = Instant::now();
    app.sign_in_corp("/").await;
    let (_, first) = verify(&app).await;
    let first = first.expect("the first token");
    assert_eq!(
        app.corp.refresh_requests(),
        0,
        "a fresh token is not refreshed"
    );

    until_inside_the_window(issued, 63).await;
    let issued = Instant::now();
    let (_, second) = verify(&app).await;
    let second = second.expect("a refreshed token");
    assert_ne!(second, first);
    assert_eq!(app.corp.refresh_requests(), 1);
    assert_eq!(verify(&app).await.1.as_deref(), Some(second.as_str()));
    assert_eq!(
        app.corp.refresh_requests(),
        1,
        "no second refresh while fresh"
    );

    until_inside_the_window(issued, 63).await;
    let (_, third) = verify(&app).await;
    assert!(third.is_some_and(|t| t != second), "refreshed again");
    let used = app.corp.refresh_tokens_used();
    assert_eq!(used.len(), 2);
    assert_ne!(used[0], used[1], "the rotated refresh token is used next");

    app.corp.access_token_lifetime(30);
    app.corp.rotate_refresh_tokens();
    app.sign_in_corp("/").await;
    app.corp.refuse_refresh();
    let (status, token) = verify(&app).await;
    assert_eq!(
        (status, token),
        (StatusCode::OK, None),
        "refused: header left out"
    );
    assert_eq!(app.me().await.status(), StatusCode::OK, "the session stays");
}

#[tokio::test]
async fn concurrent_verifications_at_expiry_make_exactly_one_refresh() {
    let app = spawn_passing(None).await;
    app.corp.access_token_lifetime(30);
    app.sign_in_corp("/").await;
    let current = app.corp.access_tokens()[0].clone();
    app.corp.refresh_delay(Duration::from_millis(500));
    let calls = (0..8).map(|_| verify(&app));
    let answers = futures_util::future::join_all(calls).await;
    assert_eq!(app.corp.refresh_requests(), 1, "exactly one refresh");
    for (status, token) in &answers {
        assert_eq!(*status, StatusCode::OK);
        assert!(token.is_some(), "every caller gets a usable token");
    }
    let passed_current = answers
        .iter()
        .filter(|(_, t)| t.as_deref() == Some(current.as_str()))
        .count();
    assert_eq!(
        passed_current, 7,
        "callers that found the lease taken get the current token"
    );
}

#[tokio::test]
async fn an_oauth2_presets_token_is_refreshed_through_the_oauth2_core() {
    let acme = crate::fake_oauth2::FakeOAuth2::start().await;
    acme.access_token_lifetime(30);
    let app = spawn_app_with(Options {
        extra_toml: acme.config("acme").replacen(
            "preset = \"oauth2\"\n",
            "preset = \"oauth2\"\npass_access_token = true\n",
            1,
        ),
        ..Options::default()
    })
    .await;
    assert_redirects_to(&app.sign_in("acme").await, "/");
    let first = acme.access_tokens()[0].clone();
    acme.access_token_lifetime(3600);
    let (status, token) = verify(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(acme.refreshes(), 1, "inside the window: refreshed");
    let token = token.expect("the refreshed token");
    assert_ne!(token, first);
    assert!(acme.access_tokens().contains(&token));
    assert_eq!(
        verify(&app).await.1,
        Some(token),
        "fresh now: no second refresh"
    );
    assert_eq!(acme.refreshes(), 1);
}

#[tokio::test]
async fn a_refresh_that_hangs_or_answers_garbage_omits_the_header_in_time() {
    let app = spawn_passing(Some("1s")).await;
    app.corp.set_user(FakeUser {
        sub: "someone-else".into(),
        ..FakeUser::default()
    });
    let other = app.sign_in_corp_in_new_browser().await;
    app.corp.reset();
    app.corp.access_token_lifetime(30);
    app.sign_in_corp("/").await;
    app.corp.refresh_delay(Duration::from_secs(5));
    let started = Instant::now();
    let hanging = verify(&app);
    let other_user = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let r = reqwest::Client::new()
            .get(format!("{}/auth/verify", app.address))
            .header("cookie", format!("doorman_session={other}"))
            .send()
            .await
            .unwrap();
        (
            r.status(),
            r.headers().contains_key(HEADER),
            started.elapsed(),
        )
    };
    let (hung, (status, has_token, other_took)) = tokio::join!(hanging, other_user);
    assert_eq!(hung, (StatusCode::OK, None));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded by [http] timeout"
    );
    assert_eq!((status, has_token), (StatusCode::OK, true));
    assert!(
        other_took < Duration::from_millis(900),
        "another user's /auth/verify does not wait: {other_took:?}"
    );

    let app = spawn_passing(None).await;
    app.corp.access_token_lifetime(30);
    app.sign_in_corp("/").await;
    app.corp.refresh_body("<html>not json</html>");
    assert_eq!(verify(&app).await, (StatusCode::OK, None));
    assert_eq!(app.me().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn concurrent_verifications_on_two_instances_make_exactly_one_refresh() {
    let Some(server) = postgres_or_skip("concurrent_verifications_on_two_instances") else {
        return;
    };
    let (_db, a, b) = spawn_two_instances_with(&server, "pass_access_token = true\n").await;
    a.corp.access_token_lifetime(30);
    assert_redirects_to(&a.sign_in_corp("/").await, "/");
    a.corp.refresh_delay(Duration::from_millis(500));
    let on = |base: String| {
        let request = a.client.get(format!("{base}/auth/verify"));
        async move {
            let r = request.send().await.unwrap();
            (r.status(), r.headers().contains_key(HEADER))
        }
    };
    let calls = (0..8).map(|i| {
        on(if i % 2 == 0 {
            a.address.clone()
        } else {
            b.address.clone()
        })
    });
    let answers = futures_util::future::join_all(calls).await;
    assert_eq!(
        a.corp.refresh_requests(),
        1,
        "exactly one refresh across instances"
    );
    assert!(
        answers.iter().all(|a| *a == (StatusCode::OK, true)),
        "{answers:?}"
    );
}

#[tokio::test]
async fn the_library_hands_the_users_provider_token_to_the_host_app() {
    let app = spawn_app_with(Options {
        embed: true,
        extra_toml: "store_tokens = true\n".into(),
        ..Options::default()
    })
    .await;
    app.corp.access_token_lifetime(30);
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let page = app.get("/corp-token").await.text().await.unwrap();
    assert!(page.contains("a corp access token is at hand"), "{page}");
    assert_eq!(
        app.corp.refresh_requests(),
        1,
        "refreshed first, inside the window"
    );

    let plain = spawn_app_with(Options {
        embed: true,
        ..Options::default()
    })
    .await;
    plain.sign_in_corp("/").await;
    let page = plain.get("/corp-token").await.text().await.unwrap();
    assert!(page.contains("no corp access token"), "{page}");
}

#[tokio::test]
async fn stored_tokens_survive_a_secret_key_rotation_only_through_previous_secret_keys() {
    let before = spawn_passing(None).await;
    before.sign_in_corp("/").await;
    let (_, token) = verify(&before).await;
    let token = token.expect("a token under the first key");
    let after = |previous: &str| Options {
        database_url: Some(before.db_url.clone()),
        corp: Some(before.corp.clone()),
        extra_toml: "pass_access_token = true\n".into(),
        secret_key: Some("a-new-secret-key-after-rotation-0123456789abcdef"),
        server_toml: previous.to_owned(),
        ..Options::default()
    };
    let verify_on = |app: TestApp| {
        // The browser's session cookie (cookies ignore ports) on the new instance.
        let request = before.client.get(format!("{}/auth/verify", app.address));
        async move {
            let r = request.send().await.unwrap();
            (
                r.status(),
                r.headers()
                    .get(HEADER)
                    .map(|v| v.to_str().unwrap().to_owned()),
            )
        }
    };
    let rotated = spawn_app_with(after(&format!(
        "previous_secret_keys = [\"{}\"]",
        crate::helpers::SECRET_KEY
    )))
    .await;
    assert_eq!(verify_on(rotated).await, (StatusCode::OK, Some(token)));
    let forgotten = spawn_app_with(after("")).await;
    assert_eq!(
        verify_on(forgotten).await,
        (StatusCode::OK, None),
        "fails closed"
    );
}
