//! `[server] path_prefix`: every doorman route under it, nothing outside it,
//! and everything doorman writes carrying it.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{location, spawn_app_with, Options, TestApp};

const PREFIX: &str = "/_doorman";

/// Every doorman route (method, a concrete path), as DESIGN.md lists them.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("GET", "/auth/dev"),
    ("GET", "/auth/corp"),
    ("GET", "/auth/corp/callback"),
    ("POST", "/auth/corp/callback"),
    ("POST", "/logout"),
    ("GET", "/api/me"),
    ("GET", "/auth/verify"),
    ("GET", "/icons/key.svg"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/dev-idp/.well-known/openid-configuration"),
    ("GET", "/dev-idp/authorize"),
    ("POST", "/dev-idp/authorize"),
    ("POST", "/dev-idp/token"),
    ("GET", "/dev-idp/userinfo"),
    ("GET", "/dev-idp/jwks"),
    ("POST", "/api/token"),
    ("GET", "/.well-known/jwks.json"),
    ("POST", "/auth/corp/backchannel-logout"),
    ("GET", "/account"),
    ("POST", "/auth/corp/link"),
    ("POST", "/account/unlink"),
    ("GET", "/api/sessions"),
    (
        "POST",
        "/api/sessions/0190f7a8-2b3c-7d4e-8f90-a1b2c3d4e5f6/revoke",
    ),
    ("POST", "/api/sessions/revoke-others"),
];

/// API tokens and forward-auth assertions on, so every route exists.
const EXTRA: &str = "[api_tokens]\nenabled = true\n[forward_auth]\njwt_assertion = true\n";

async fn prefixed_app() -> TestApp {
    spawn_app_with(Options {
        path_prefix: Some(PREFIX),
        extra_toml: EXTRA.into(),
        ..Options::default()
    })
    .await
}

async fn send(app: &TestApp, method: &str, path: &str) -> StatusCode {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    app.client
        .request(method, format!("{}{path}", app.address))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn with_a_path_prefix_no_route_answers_outside_it() {
    let app = prefixed_app().await;
    app.sign_in_dev("Ada", "ada@example.com").await;
    for (method, path) in ROUTES {
        assert_eq!(
            send(&app, method, path).await,
            StatusCode::NOT_FOUND,
            "{method} {path} answered outside the prefix"
        );
        let inside = format!("{PREFIX}{}", path.trim_end_matches('/'));
        assert_ne!(
            send(&app, method, &inside).await,
            StatusCode::NOT_FOUND,
            "{method} {inside} is missing"
        );
    }
}

#[tokio::test]
async fn without_a_path_prefix_the_routes_stay_at_the_root() {
    let app = spawn_app_with(Options {
        extra_toml: EXTRA.into(),
        ..Options::default()
    })
    .await;
    for (method, path) in ROUTES {
        assert_ne!(
            send(&app, method, path).await,
            StatusCode::NOT_FOUND,
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn the_login_page_links_carry_the_prefix() {
    let app = prefixed_app().await;
    let page = app.get("/_doorman/login?next=/app?a=1%26b=2").await;
    let html = crate::helpers::unescape(&page.text().await.unwrap());
    assert!(
        html.contains("href=\"/_doorman/auth/dev?next=/app%3Fa%3D1%26b%3D2\""),
        "{html}"
    );
    assert!(html.contains("src=\"/_doorman/icons/key.svg\""), "{html}");
    let icon = app.get("/_doorman/icons/key.svg").await;
    assert_eq!(icon.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_in_redirect_uris_and_the_dev_idp_issuer_carry_the_prefix() {
    let app = prefixed_app().await;
    let begin = app.get("/_doorman/auth/dev?next=/app?x=1%26y=2").await;
    let to = location(&begin);
    assert!(
        to.starts_with(&format!("{}/_doorman/dev-idp/authorize?", app.address)),
        "{to}"
    );
    let redirect_uri = format!("{}/_doorman/auth/dev/callback", app.address);
    assert!(
        to.contains(&crate::helpers::urlencode(&redirect_uri)),
        "{to}"
    );
    let discovery: Value = app
        .get("/_doorman/dev-idp/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        discovery["issuer"],
        format!("{}/_doorman/dev-idp", app.address)
    );
    let corp = location(&app.get("/_doorman/auth/corp").await);
    let corp_redirect = format!("{}/_doorman/auth/corp/callback", app.address);
    assert!(
        corp.contains(&crate::helpers::urlencode(&corp_redirect)),
        "{corp}"
    );
}

#[tokio::test]
async fn a_whole_sign_in_and_sign_out_work_under_the_prefix() {
    let app = prefixed_app().await;
    crate::helpers::assert_redirects_to(&app.get("/_doorman").await, "/_doorman/login");
    let callback = app.sign_in_dev("Ada", "ada@example.com").await;
    crate::helpers::assert_redirects_to(&callback, "/");
    assert_eq!(app.get("/_doorman/api/me").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/_doorman/auth/verify").await.status(),
        StatusCode::OK
    );
    let home = app.get("/_doorman").await.text().await.unwrap();
    assert!(home.contains("action=\"/_doorman/logout\""), "{home}");
    let logout = app
        .client
        .post(format!("{}/_doorman/logout", app.address))
        .header("Origin", &app.address)
        .send()
        .await
        .unwrap();
    crate::helpers::assert_redirects_to(&logout, "/_doorman/login");
    let me = app.get("/_doorman/api/me").await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let body: Value = me
        .json()
        .await
        .expect("the API answers JSON under the prefix");
    assert_eq!(body["error"], "unauthenticated");
}

#[tokio::test]
async fn error_pages_link_to_the_prefixed_sign_in_page() {
    let app = prefixed_app().await;
    let page = app.get("/_doorman/auth/nosuch").await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/_doorman/login"), "{html}");
}

#[tokio::test]
async fn forward_auth_query_rules_apply_under_the_prefix() {
    let app = prefixed_app().await;
    app.sign_in_dev("Ada", "ada@example.com").await;
    let denied = app.get("/_doorman/auth/verify?allowed_groups=admin").await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    let allowed = app
        .get("/_doorman/auth/verify?allowed_email_domains=example.com")
        .await;
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(allowed.headers()["x-auth-request-email"], "ada@example.com");
}

/// The claims of a JWT, unverified (the tests only read them).
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn api_tokens_and_assertions_work_under_the_prefix_and_name_it() {
    let app = prefixed_app().await;
    app.sign_in_dev("Ada", "ada@example.com").await;
    let base = format!("{}{PREFIX}", app.address);
    let tokens: Value = app
        .client
        .post(format!("{base}/api/token"))
        .header("Origin", &app.address)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(claims(access)["iss"], base);
    assert_eq!(claims(access)["aud"], format!("{base}/api"));
    let bearer = reqwest::Client::new();
    for path in ["/api/me", "/auth/verify"] {
        let answer = bearer
            .get(format!("{base}{path}"))
            .bearer_auth(access)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
    }
    let verify = app.get("/_doorman/auth/verify").await;
    let assertion = verify.headers()["x-auth-request-jwt"].to_str().unwrap();
    assert_eq!(claims(assertion)["iss"], base);
    let jwks: Value = app
        .get("/_doorman/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(jwks["keys"][0]["kid"].is_string(), "{jwks}");
}

#[tokio::test]
async fn in_library_mode_the_host_keeps_its_paths_and_guests_go_to_the_prefixed_sign_in() {
    let app = spawn_app_with(Options {
        embed: true,
        path_prefix: Some(PREFIX),
        ..Options::default()
    })
    .await;
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::OK, "the host's own home page");
    let me = app
        .client
        .get(format!("{}/me", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    crate::helpers::assert_redirects_to(&me, "/_doorman/login?next=%2Fme");
    assert_eq!(app.get("/login").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/_doorman/login").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_at_the_provider_comes_back_to_the_prefixed_sign_in_page() {
    let app = spawn_app_with(Options {
        path_prefix: Some(PREFIX),
        extra_toml: "end_session = true\n".into(),
        ..Options::default()
    })
    .await;
    crate::helpers::assert_redirects_to(&app.sign_in_corp("/app").await, "/app");
    let out = app
        .client
        .post(format!("{}/_doorman/logout", app.address))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    let to = url::Url::parse(&location(&out)).unwrap();
    let back = to
        .query_pairs()
        .find(|(k, _)| k == "post_logout_redirect_uri")
        .map(|(_, v)| v.into_owned());
    assert_eq!(back, Some(format!("{}/_doorman/login", app.address)));
}

#[tokio::test]
async fn linking_works_under_the_prefix_and_lands_on_the_prefixed_account_page() {
    let app = prefixed_app().await;
    app.sign_in_dev("Ada", "ada@example.com").await;
    let begun = app
        .client
        .post(format!("{}/_doorman/auth/corp/link", app.address))
        .header("Origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(begun.status(), StatusCode::SEE_OTHER);
    let authorize = app.get_url(&location(&begun)).await;
    let callback = location(&authorize);
    assert!(
        callback.starts_with(&format!("{}/_doorman/auth/corp/callback?", app.address)),
        "{callback}"
    );
    let linked = app.get_url(&callback).await;
    crate::helpers::assert_redirects_to(&linked, "/_doorman/account");
    let me: Value = app.get("/_doorman/api/me").await.json().await.unwrap();
    assert_eq!(me["identities"].as_array().unwrap().len(), 2, "{me}");
    let account = app.get("/_doorman/account").await;
    assert_eq!(account.status(), StatusCode::OK);
    let html = account.text().await.unwrap();
    assert!(
        html.contains("action=\"/_doorman/account/unlink\""),
        "{html}"
    );
}
