//! Provider endpoints from discovery are https; plain http only when the
//! issuer itself is loopback http, and then only to loopback.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_discovered_plain_http_endpoint_off_loopback_is_refused() {
    for endpoint in ["authorization_endpoint", "token_endpoint", "jwks_uri"] {
        let app = spawn_app().await;
        app.corp.advertise(endpoint, "http://login.example/oauth");
        let begin = app.get("/auth/corp?next=/").await;
        assert_eq!(begin.status(), StatusCode::BAD_GATEWAY, "{endpoint}");
        assert!(begin.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn discovered_https_endpoints_of_a_loopback_issuer_are_accepted() {
    let app = spawn_app().await;
    app.corp
        .advertise("authorization_endpoint", "https://login.example/authorize");
    let begin = app.get("/auth/corp?next=/").await;
    assert_eq!(begin.status(), StatusCode::SEE_OTHER);
    let to = begin.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("https://login.example/authorize?"), "{to}");
}
