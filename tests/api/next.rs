//! `next` is honoured only as a path on this site.

use crate::helpers::{assert_redirects_to, spawn_app};

#[tokio::test]
async fn a_local_next_is_honoured() {
    let app = spawn_app().await;
    let answer = app.sign_in_corp("/dashboard?tab=1").await;
    assert_redirects_to(&answer, "/dashboard?tab=1");
}

#[tokio::test]
async fn an_off_site_next_falls_back_to_root() {
    let app = spawn_app().await;
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/\t/evil.example",
    ] {
        let answer = app.sign_in_corp(next).await;
        assert_redirects_to(&answer, "/");
    }
}

/// GET /login with `headers`; returns the `next` its first button carries.
async fn login_page_next(app: &crate::helpers::TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(format!("{}/login", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let html = request.send().await.unwrap().text().await.unwrap();
    let html = crate::helpers::unescape(&html);
    let start = html.find("/auth/dev?next=").expect("a dev button") + "/auth/dev?next=".len();
    let end = start + html[start..].find('"').unwrap();
    url::form_urlencoded::parse(format!("n={}", &html[start..end]).as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned()
}

#[tokio::test]
async fn the_login_page_takes_the_original_uri_from_x_auth_request_redirect() {
    let app = spawn_app().await;
    let redirect = [("X-Auth-Request-Redirect", "/dashboard?x=1&y=2")];
    assert_eq!(login_page_next(&app, &redirect).await, "/dashboard?x=1&y=2");
    let both = [("X-Auth-Request-Redirect", "/b")];
    let mut request = app.client.get(format!("{}/login?next=/a", app.address));
    request = request.header(both[0].0, both[0].1);
    let html = crate::helpers::unescape(&request.send().await.unwrap().text().await.unwrap());
    assert!(
        html.contains("/auth/dev?next=/a\""),
        "the next parameter comes first: {html}"
    );
}

#[tokio::test]
async fn a_bad_x_auth_request_redirect_falls_back_to_root() {
    let app = spawn_app().await;
    for bad in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/a\tb",
        "/a b",
    ] {
        assert_eq!(
            login_page_next(&app, &[("X-Auth-Request-Redirect", bad)]).await,
            "/",
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn sign_in_returns_to_the_whole_original_uri_from_the_header() {
    let app = spawn_app().await;
    let begin = app
        .client
        .get(format!("{}/auth/corp", app.address))
        .header("X-Auth-Request-Redirect", "/dashboard?x=1&y=2")
        .send()
        .await
        .unwrap();
    let callback = app.get_url(&crate::helpers::location(&begin)).await;
    let callback = app.get_url(&crate::helpers::location(&callback)).await;
    assert_redirects_to(&callback, "/dashboard?x=1&y=2");
}

#[tokio::test]
async fn x_forwarded_uri_counts_only_from_a_trusted_proxy() {
    let untrusted = spawn_app().await;
    let forwarded = [("X-Forwarded-Uri", "/from-traefik?a=1&b=2")];
    assert_eq!(login_page_next(&untrusted, &forwarded).await, "/");
    let trusted = crate::helpers::spawn_app_with(crate::helpers::Options {
        server_toml: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        login_page_next(&trusted, &forwarded).await,
        "/from-traefik?a=1&b=2"
    );
    let bad = [("X-Forwarded-Uri", "https://evil.example/")];
    assert_eq!(login_page_next(&trusted, &bad).await, "/");
}

#[tokio::test]
async fn the_login_page_answers_json_clients_with_401_and_the_login_url() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        path_prefix: Some("/_doorman"),
        ..Default::default()
    })
    .await;
    let answer = app
        .client
        .get(format!("{}/_doorman/login", app.address))
        .header("Accept", "application/json")
        .header("X-Auth-Request-Redirect", "/api/items?x=1&y=2")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "unauthenticated");
    assert!(body["message"].is_string(), "{body}");
    assert_eq!(
        body["login_url"],
        format!(
            "{}/_doorman/login?next=%2Fapi%2Fitems%3Fx%3D1%26y%3D2",
            app.address
        )
    );
}
