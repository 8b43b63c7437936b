//! Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the
//! provider posts a logout token; the sessions it names end on every
//! instance; anything invalid or replayed is a 400 that ends nothing.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::databases::postgres_or_skip;
use crate::fake_oidc::{FakeOidc, FakeUser, LogoutToken};
use crate::helpers::{spawn_app, spawn_app_with, spawn_two_instances, Options};

/// GET /api/me on `base` with the session `token`: its status.
async fn me_with(base: &str, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{base}/api/me"))
        .header("cookie", format!("doorman_session={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

/// POSTs a logout token to `base`'s back-channel logout route for `corp`.
async fn post_logout(base: &str, logout_token: &str) -> reqwest::Response {
    post_logout_to(base, "corp", logout_token).await
}

/// The status of a back-channel logout of `logout_token` at `base` (`corp`).
async fn logout_status(base: &str, logout_token: &str) -> StatusCode {
    post_logout(base, logout_token).await.status()
}

/// POSTs a logout token to `base`'s back-channel logout route for `provider`.
async fn post_logout_to(base: &str, provider: &str, logout_token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/auth/{provider}/backchannel-logout"))
        .form(&[("logout_token", logout_token)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_logout_token_by_sub_ends_every_session_of_that_user_and_by_sid_only_one() {
    let app = spawn_app().await;
    let first = app.sign_in_corp_in_new_browser().await;
    let second = app.sign_in_corp_in_new_browser().await;
    let third = app.sign_in_corp_in_new_browser().await;
    app.corp.set_user(FakeUser {
        sub: "someone-else".into(),
        ..FakeUser::default()
    });
    let other = app.sign_in_corp_in_new_browser().await;
    let sids = app.corp.sids();

    let by_sid = app.corp.logout_token(&LogoutToken::for_sid(&sids[0]));
    let answer = post_logout(&app.address, &by_sid).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    assert_eq!(
        me_with(&app.address, &first).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me_with(&app.address, &second).await,
        StatusCode::OK,
        "only that sid"
    );

    let by_sub = app.corp.logout_token(&LogoutToken::for_sub("fake-user-1"));
    assert_eq!(logout_status(&app.address, &by_sub).await, StatusCode::OK);
    for token in [&second, &third] {
        assert_eq!(me_with(&app.address, token).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        me_with(&app.address, &other).await,
        StatusCode::OK,
        "another user's stays"
    );

    let nobody = app.corp.logout_token(&LogoutToken::for_sub("nobody"));
    let answer = post_logout(&app.address, &nobody).await;
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "nothing matched is still 200"
    );

    // One sign_out per session ended (three), none for the token that
    // matched nothing.
    let kinds = crate::events::event_kinds(&app, None).await;
    let sign_outs = kinds.iter().filter(|k| *k == "sign_out").count();
    assert_eq!(sign_outs, 3, "{kinds:?}");
}

#[tokio::test]
async fn a_logout_token_by_sub_matches_the_id_token_sub_not_the_stored_subject() {
    let op = FakeOidc::start().await;
    op.client_secret_post_only(true);
    op.user_claims(|u| {
        json!({"sub": u.sub, "https://slack.com/team_id": "T0R7GR", "email": u.email,
               "email_verified": true, "name": u.name})
    });
    op.set_user(FakeUser {
        sub: "U0R7JM".into(),
        ..FakeUser::default()
    });
    let slack = format!(
        "[providers.slack]\npreset = \"slack\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
         issuer = \"{}\"\n",
        FakeOidc::CLIENT_ID,
        FakeOidc::CLIENT_SECRET,
        op.issuer()
    );
    let app = spawn_app_with(Options {
        extra_toml: slack,
        ..Options::default()
    })
    .await;
    crate::helpers::assert_redirects_to(&app.sign_in("slack").await, "/");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["identities"][0]["subject"], "T0R7GR:U0R7JM");
    let by_sub = op.logout_token(&LogoutToken::for_sub("U0R7JM"));
    let answer = post_logout_to(&app.address, "slack", &by_sub).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_invalid_logout_token_is_a_400_invalid_request_and_ends_nothing() {
    let app = spawn_app().await;
    let session = app.sign_in_corp_in_new_browser().await;
    let now = chrono_now();
    let valid = LogoutToken::for_sub("fake-user-1");
    let mut broken: Vec<(&str, String)> = vec![
        ("not a JWT", "not-a-jwt".into()),
        (
            "over 64 KiB",
            app.corp
                .logout_token(&valid.clone().with("pad", json!("x".repeat(70_000)))),
        ),
        ("alg none", app.corp.logout_token(&valid.clone().alg_none())),
        (
            "another key",
            app.corp.logout_token(&valid.clone().foreign_key()),
        ),
        (
            "another audience",
            app.corp
                .logout_token(&valid.clone().with("aud", json!("someone-else"))),
        ),
        (
            "another issuer",
            app.corp
                .logout_token(&valid.clone().with("iss", json!("https://evil.example"))),
        ),
        (
            "no events",
            app.corp.logout_token(&valid.clone().without("events")),
        ),
        (
            "a nonce",
            app.corp
                .logout_token(&valid.clone().with("nonce", json!("n"))),
        ),
        (
            "old",
            app.corp
                .logout_token(&valid.clone().with("iat", json!(now - 600))),
        ),
        (
            "from the future",
            app.corp
                .logout_token(&valid.clone().with("iat", json!(now + 600))),
        ),
        (
            "expired",
            app.corp
                .logout_token(&valid.clone().with("exp", json!(now - 10))),
        ),
        (
            "no jti",
            app.corp.logout_token(&valid.clone().without("jti")),
        ),
        (
            "neither sub nor sid",
            app.corp.logout_token(&valid.clone().without("sub")),
        ),
    ];
    broken.push(("empty", String::new()));
    let unknown = reqwest::Client::new()
        .post(format!("{}/auth/nope/backchannel-logout", app.address))
        .form(&[("logout_token", app.corp.logout_token(&valid))])
        .send()
        .await
        .unwrap();
    assert_eq!(
        unknown.status(),
        StatusCode::BAD_REQUEST,
        "unknown provider"
    );
    for (what, token) in broken {
        let answer = post_logout(&app.address, &token).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{what}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "invalid_request", "{what}");
        assert_eq!(
            me_with(&app.address, &session).await,
            StatusCode::OK,
            "{what} ended a session"
        );
    }
    let replayed = app.corp.logout_token(&LogoutToken::for_sub("nobody"));
    assert_eq!(logout_status(&app.address, &replayed).await, StatusCode::OK);
    assert_eq!(
        logout_status(&app.address, &replayed).await,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_back_channel_logout_ends_sessions_on_every_instance_and_a_replay_is_refused_on_the_other(
) {
    let Some(server) = postgres_or_skip("a_back_channel_logout_on_every_instance") else {
        return;
    };
    let (_db, a, b) = spawn_two_instances(&server).await;
    let first = a.sign_in_corp_in_new_browser().await;
    let second = a.sign_in_corp_in_new_browser().await;
    for base in [&a.address, &b.address] {
        assert_eq!(
            me_with(base, &first).await,
            StatusCode::OK,
            "cached on {base}"
        );
        assert_eq!(me_with(base, &second).await, StatusCode::OK);
    }
    let sid = a.corp.sids()[0].clone();
    let by_sid = a.corp.logout_token(&LogoutToken::for_sid(&sid));
    assert_eq!(logout_status(&b.address, &by_sid).await, StatusCode::OK);
    assert_eq!(
        logout_status(&a.address, &by_sid).await,
        StatusCode::BAD_REQUEST,
        "replay on A"
    );
    eventually_unauthorized(&a.address, &first).await;
    assert_eq!(
        me_with(&a.address, &second).await,
        StatusCode::OK,
        "only that sid"
    );

    let by_sub = a.corp.logout_token(&LogoutToken::for_sub("fake-user-1"));
    assert_eq!(logout_status(&a.address, &by_sub).await, StatusCode::OK);
    assert_eq!(
        logout_status(&b.address, &by_sub).await,
        StatusCode::BAD_REQUEST,
        "replay on B"
    );
    eventually_unauthorized(&b.address, &second).await;
    eventually_unauthorized(&a.address, &second).await;
}

/// The notice travels through PostgreSQL: allow it a moment.
async fn eventually_unauthorized(base: &str, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while me_with(base, token).await != StatusCode::UNAUTHORIZED {
        assert!(
            Instant::now() < deadline,
            "the session still works on {base}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
