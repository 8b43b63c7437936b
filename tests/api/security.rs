//! Hardening: signed userinfo, ambiguous keys, RFC 9207, oversized answers,
//! page headers, escaped provider errors, and secrets kept out of logs.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_oidc::FakeOidc;
use crate::helpers::{
    assert_redirects_to, assert_sign_in_is_refused, location, set_cookies, spawn_app, urlencode,
};

#[tokio::test]
async fn a_userinfo_answered_as_a_signed_jwt_is_verified_and_used() {
    let app = spawn_app().await;
    app.corp.userinfo_signed();
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
}

#[tokio::test]
async fn a_signed_userinfo_for_another_subject_is_refused() {
    assert_sign_in_is_refused(|op| {
        op.userinfo_signed();
        op.userinfo_sub("mallory");
    })
    .await;
}

#[tokio::test]
async fn an_id_token_without_kid_is_refused_when_the_jwks_has_several_keys() {
    assert_sign_in_is_refused(|op| {
        op.extra_jwks_key();
        op.no_kid();
    })
    .await;
}

#[tokio::test]
async fn a_missing_iss_is_refused_when_the_provider_advertises_rfc9207() {
    let app = spawn_app().await;
    app.corp.advertise_iss_parameter(true);
    let callback = app.begin_corp("/").await;
    let mut url = url::Url::parse(&callback).unwrap();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "iss")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept);
    assert_eq!(
        app.get_url(url.as_str()).await.status(),
        StatusCode::BAD_REQUEST
    );
    app.corp.reset();
    app.corp.advertise_iss_parameter(true);
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
}

#[tokio::test]
async fn a_twenty_megabyte_userinfo_is_a_502_and_the_service_keeps_serving() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"sub\":\"fake-user-1\",\"pad\":\"{}\"}}",
        "x".repeat(20 << 20)
    );
    app.corp.userinfo_body(huge, "application/json");
    assert_eq!(
        app.sign_in_corp("/").await.status(),
        StatusCode::BAD_GATEWAY
    );
    app.corp.reset();
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
}

#[tokio::test]
async fn a_provider_redirect_is_never_followed() {
    assert_sign_in_is_refused(|op| {
        op.userinfo_redirect();
    })
    .await;
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_and_no_referrer() {
    let app = spawn_app().await;
    let login = app.get("/login").await;
    let csp = login.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let callback = app.get("/auth/corp/callback?code=x&state=y").await;
    assert_eq!(callback.headers()["referrer-policy"], "no-referrer");
    assert!(callback.headers().contains_key("content-security-policy"));
    assert_eq!(callback.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn bodiless_answers_keep_no_referrer_and_no_store_without_a_page_policy() {
    let app = spawn_app().await;
    // A redirect: the referrer policy still governs the request it leads to.
    let redirect = app.sign_in_corp("/").await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    assert_eq!(redirect.headers()["referrer-policy"], "no-referrer");
    // /auth/verify's 200, read by a proxy on every request: no body, no CSP.
    let verify = app.get("/auth/verify").await;
    assert_eq!(verify.status(), StatusCode::OK);
    let h = verify.headers();
    assert!(!h.contains_key("content-type"));
    assert!(!h.contains_key("content-security-policy"));
    assert!(!h.contains_key("x-content-type-options"));
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    // Its 401 has a body, and the page headers with it.
    let signed_out = reqwest::get(format!("{}/auth/verify", app.address))
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
    assert!(signed_out.headers().contains_key("content-security-policy"));
}

#[tokio::test]
async fn provider_error_text_is_escaped_and_shortened() {
    let app = spawn_app().await;
    let callback = app.begin_corp("/").await;
    let evil = format!("<script>alert(1)</script>{}", "A".repeat(500));
    let forged = regex_lite::Regex::new("code=[^&]+")
        .unwrap()
        .replace(&callback, format!("error={}", urlencode(&evil)).as_str())
        .into_owned();
    let answer = app.get_url(&forged).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = answer.text().await.unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        !html.contains(&"A".repeat(100)),
        "the provider's text is shortened"
    );
}

#[tokio::test]
async fn no_log_line_or_page_holds_a_secret_a_token_or_a_code() {
    let corp = FakeOidc::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    std::fs::write(
        dir.path().join("doorman.toml"),
        format!(
            "[server]\nbind = \"127.0.0.1:{port}\"\npublic_url = \"{base}\"\nsecret_key = \"{key}\"\n\
             [database]\nurl = \"sqlite://{db}/d.db?mode=rwc\"\n\
             [providers.corp]\npreset = \"oidc\"\nclient_id = \"{id}\"\nclient_secret = \"${{CORP_SECRET}}\"\nissuer = \"{iss}\"\n\
             pass_access_token = true\nend_session = true\n",
            key = crate::helpers::SECRET_KEY,
            db = dir.path().display(),
            id = FakeOidc::CLIENT_ID,
            iss = corp.issuer(),
        ),
    )
    .unwrap();
    let log = dir.path().join("log.txt");
    let child = Command::new(env!("CARGO_BIN_EXE_doorman"))
        .arg("--config")
        .arg(dir.path().join("doorman.toml"))
        .env("CORP_SECRET", "test-secret")
        .env("RUST_LOG", "trace,hyper=debug,h2=debug,rustls=debug")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut server = Guard(child);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut up = false;
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "doorman started");
    // Inside the refresh window: /auth/verify refreshes, rotating the refresh token.
    corp.access_token_lifetime(30);
    corp.rotate_refresh_tokens();
    let begin = client
        .get(format!("{base}/auth/corp"))
        .send()
        .await
        .unwrap();
    let authorize = client.get(location(&begin)).send().await.unwrap();
    let callback = location(&authorize);
    let done = client.get(&callback).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let session = set_cookies(done.headers(), "doorman_session")[0]
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("doorman_session=")
        .to_owned();
    let page = |path: &'static str| {
        let request = client.get(format!("{base}{path}"));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let home = page("/").await;
    let me = page("/api/me").await;
    let verify = client
        .get(format!("{base}/auth/verify"))
        .send()
        .await
        .unwrap();
    assert!(verify.headers().contains_key("x-auth-request-access-token"));
    assert_eq!(corp.refresh_requests(), 1, "the token was refreshed");
    let code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    server.0.kill().ok();
    server.0.wait().ok();
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("signed in"), "logging was on");
    let mut secrets = vec![
        ("client secret", FakeOidc::CLIENT_SECRET.to_owned()),
        ("authorization code", code),
        ("session token", session),
    ];
    secrets.extend(
        corp.access_tokens()
            .into_iter()
            .map(|t| ("access token", t)),
    );
    let refresh_tokens = corp.refresh_tokens_used().into_iter();
    secrets.extend(
        refresh_tokens
            .chain(corp.live_refresh_tokens())
            .map(|t| ("refresh token", t)),
    );
    for (what, secret) in secrets {
        assert!(!logs.contains(&secret), "the log holds the {what}");
        assert!(
            !home.contains(&secret) && !me.contains(&secret),
            "a page holds the {what}"
        );
    }
}

/// Kills the child process when dropped.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
