//! Rate limiting of sign-in starts and callbacks per client IP.

use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, Options, TestApp};

async fn begin_from(app: &TestApp, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}/auth/corp", app.address));
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn too_many_sign_in_starts_get_429_with_retry_after() {
    let app = spawn_app_with(Options {
        rate_limit: 3,
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(begin_from(&app, None).await.status(), StatusCode::SEE_OTHER);
    }
    let limited = begin_from(&app, None).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    let callback = app.get("/auth/corp/callback?code=x&state=y").await;
    assert_eq!(
        callback.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "callbacks count too"
    );
    let json = app
        .client
        .get(format!("{}/auth/corp", app.address))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = json.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
}

#[tokio::test]
async fn forward_auth_and_the_api_are_never_rate_limited() {
    let app = spawn_app_with(Options {
        rate_limit: 1,
        ..Options::default()
    })
    .await;
    for _ in 0..20 {
        assert_eq!(
            app.get("/auth/verify").await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_trusted_proxies() {
    let trusting = spawn_app_with(Options {
        rate_limit: 2,
        server_toml: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Options::default()
    })
    .await;
    for _ in 0..2 {
        let r = begin_from(&trusting, Some("198.51.100.1")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let limited = begin_from(&trusting, Some("198.51.100.1")).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = begin_from(&trusting, Some("198.51.100.2")).await;
    assert_eq!(
        other.status(),
        StatusCode::SEE_OTHER,
        "another client has its own budget"
    );

    let untrusting = spawn_app_with(Options {
        rate_limit: 2,
        ..Options::default()
    })
    .await;
    for ip in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(
            begin_from(&untrusting, Some(ip)).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let spoofed = begin_from(&untrusting, Some("198.51.100.3")).await;
    assert_eq!(
        spoofed.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a forged header buys nothing"
    );
}

#[tokio::test]
async fn ipv6_clients_are_limited_per_64() {
    let app = spawn_app_with(Options {
        rate_limit: 2,
        server_toml: "trusted_proxies = [\"127.0.0.1/32\"]".into(),
        ..Options::default()
    })
    .await;
    for ip in ["2001:db8:0:1::1", "2001:db8:0:1::2"] {
        let r = begin_from(&app, Some(ip)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let same_64 = begin_from(&app, Some("2001:db8:0:1:ffff::3")).await;
    assert_eq!(
        same_64.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a fresh address in the same /64 buys nothing"
    );
    let other_64 = begin_from(&app, Some("2001:db8:0:2::1")).await;
    assert_eq!(other_64.status(), StatusCode::SEE_OTHER);
}
