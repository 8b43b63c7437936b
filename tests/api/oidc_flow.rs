//! Sign-in against a fake OIDC provider: users, identities, sessions, and
//! the callback's 400 cases.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_oidc::FakeUser;
use crate::helpers::{assert_redirects_to, location, spawn_app, spawn_app_with, Options};

#[tokio::test]
async fn a_first_sign_in_creates_one_user_and_one_identity() {
    let app = spawn_app().await;
    let callback = app.sign_in_corp("/").await;
    assert_redirects_to(&callback, "/");
    assert_eq!(app.counts().await, (1, 1, 1));
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["name"], "Ada Lovelace");
    assert_eq!(me["identities"][0]["provider"], "corp");
    assert_eq!(me["identities"][0]["subject"], "fake-user-1");
    assert_eq!(me["identities"][0]["username"], "ada");
    let query = app.corp.last_authorize_query().unwrap();
    assert_eq!(query["code_challenge_method"], "S256");
    assert!(!query["nonce"].is_empty());
    assert!(query["scope"].split(' ').any(|s| s == "openid"));
}

#[tokio::test]
async fn a_second_sign_in_reuses_the_user_updates_the_profile_and_issues_a_new_token() {
    let app = spawn_app().await;
    app.sign_in_corp("/").await;
    let first: Value = app.me().await.json().await.unwrap();
    let first_token = app.session_token().unwrap();
    app.corp.set_user(FakeUser {
        name: "Ada King".into(),
        email: "ada@king.example".into(),
        ..FakeUser::default()
    });
    let callback = app.sign_in_corp("/").await;
    assert_redirects_to(&callback, "/");
    let second: Value = app.me().await.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    assert_eq!(second["name"], "Ada King");
    assert_eq!(second["email"], "ada@king.example");
    let second_token = app.session_token().unwrap();
    assert_ne!(first_token, second_token);
    let (users, identities, _) = app.counts().await;
    assert_eq!((users, identities), (1, 1));
    let old = app
        .client
        .get(format!("{}/api/me", app.address))
        .header("cookie", format!("doorman_session={first_token}"))
        .build()
        .unwrap();
    let old = reqwest::Client::new().execute(old).await.unwrap();
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the replaced session still works"
    );
}

#[tokio::test]
async fn callback_with_forged_state_is_rejected() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    let mut url = url::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                "forged".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let answer = app.get_url(url.as_str()).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
    assert!(app.session_token().is_none());
}

#[tokio::test]
async fn callback_without_the_login_state_cookie_is_rejected() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    let answer = reqwest::Client::new().get(&callback).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_replayed_callback_is_rejected() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    assert_eq!(app.get_url(&callback).await.status(), StatusCode::SEE_OTHER);
    let replay = app.get_url(&callback).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await.2, 1);
}

#[tokio::test]
async fn a_replayed_callback_with_the_old_login_cookie_is_rejected() {
    let app = spawn_app().await;
    let begin = app.get("/auth/corp").await;
    let login_cookie = crate::helpers::set_cookies(begin.headers(), "doorman_login")[0]
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let callback = location(&app.get_url(&location(&begin)).await);
    assert_eq!(app.get_url(&callback).await.status(), StatusCode::SEE_OTHER);
    let replay = reqwest::Client::new()
        .get(&callback)
        .header("cookie", login_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await.2, 1);
}

#[tokio::test]
async fn an_access_denied_callback_is_a_400_page_without_a_session() {
    let app = spawn_app().await;
    app.corp.deny();
    let callback = app.begin_corp("/").await;
    assert!(callback.contains("error=access_denied"));
    let answer = app.get_url(&callback).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = answer.text().await.unwrap();
    assert!(html.contains("denied"), "{html}");
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_callback_of_an_unknown_provider_is_a_400() {
    let app = spawn_app().await;
    let answer = app.get("/auth/nosuch/callback?code=x&state=y").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/auth/nosuch").await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_login_state_of_another_provider_is_rejected() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    let other = callback.replace("/auth/corp/callback", "/auth/dev/callback");
    assert_eq!(app.get_url(&other).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_refused_code_is_a_400() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    let forged = regex_lite::Regex::new("code=[^&]+")
        .unwrap()
        .replace(&callback, "code=not-a-code")
        .into_owned();
    assert_eq!(app.get_url(&forged).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_wrong_rfc9207_iss_is_a_400() {
    let app = spawn_app().await;
    app.corp.advertise_iss_parameter(true);
    let callback = app.begin_corp("/").await;
    let forged = callback.replace(
        &format!("iss={}", crate::helpers::urlencode(&app.corp.issuer())),
        "iss=https%3A%2F%2Fevil.example",
    );
    assert_ne!(forged, callback);
    assert_eq!(app.get_url(&forged).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn an_unreachable_provider_is_a_502_page() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = spawn_app_with(Options {
        extra_toml: format!(
            "[providers.gone]\npreset = \"oidc\"\nclient_id = \"x\"\nissuer = \"http://127.0.0.1:{closed}\"\n"
        ),
        ..Options::default()
    })
    .await;
    let answer = app.get("/auth/gone").await;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert!(answer.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_is_a_502_within_the_timeout() {
    let app = spawn_app_with(Options {
        http_timeout: Some("1s"),
        ..Options::default()
    })
    .await;
    app.corp.token_delay(std::time::Duration::from_secs(60));
    let callback = app.begin_corp("/").await;
    let started = std::time::Instant::now();
    let answer = app.get_url(&callback).await;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_token_endpoint_error_or_nonsense_is_a_502() {
    let app = spawn_app().await;
    app.corp.fail_token(500);
    let callback = app.begin_corp("/").await;
    assert_eq!(
        app.get_url(&callback).await.status(),
        StatusCode::BAD_GATEWAY
    );
    app.corp.reset();
    app.corp.token_body("<html>not json</html>");
    let callback = app.begin_corp("/").await;
    assert_eq!(
        app.get_url(&callback).await.status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn json_clients_get_json_errors() {
    let app = spawn_app().await;
    let answer = app
        .client
        .get(format!("{}/auth/corp/callback?code=x&state=y", app.address))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn a_new_sign_in_replaces_the_login_state_of_an_older_tab() {
    let app = spawn_app().await;
    let older_tab = app.begin_corp("/older").await;
    let newer_tab = app.begin_corp("/newer").await;
    assert_eq!(
        app.get_url(&older_tab).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.counts().await, (0, 0, 0));
    let again = app.begin_corp("/newer").await;
    assert_ne!(again, newer_tab);
    assert_redirects_to(&app.get_url(&again).await, "/newer");
}
