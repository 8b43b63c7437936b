//! One person's way through a protected app behind a proxy: signed out,
//! the sign-in page and its assets, the dev IdP, back to the whole original
//! URI, the identity headers (never a client's forged ones), the app's own
//! /api/, a JSON client's 401, a group-protected location, logout.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use reqwest::header::ACCEPT;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::page::{attribute, header, hidden_fields, location, unescape};
use crate::servers::{
    free_port, grant, start_counting_relay, start_doorman, start_echo_app, Proxy, ProxyKind,
};
use crate::snippets::Ports;

const ORIGINAL: &str = "/dashboard?x=1&y=2";
const HTML: &str = "text/html,application/xhtml+xml";
const FORGED: &[(&str, &str)] = &[
    ("X-Auth-Request-User", "forged-user"),
    ("X-Auth-Request-Email", "forged@evil.test"),
    ("X-Auth-Request-Preferred-Username", "forged"),
    ("X-Auth-Request-Groups", "forged-group"),
    ("X-Auth-Request-Access-Token", "forged-token"),
    ("X-Auth-Request-Jwt", "forged.jwt.value"),
];

/// The whole journey through `kind` running `snippet`, doorman under `prefix`.
pub async fn run(kind: ProxyKind, snippet: &str, prefix: &str) {
    let dir = tempfile::tempdir().unwrap();
    let app = start_echo_app().await;
    let proxy_port = free_port();
    let (doorman, db_url) = start_doorman(dir.path(), proxy_port, prefix).await;
    let (relay, connections) = start_counting_relay(doorman).await;
    let ports = Ports {
        proxy: proxy_port,
        doorman: relay,
        app,
    };
    let proxy = Proxy::start(kind, snippet, &ports).await;
    let ada = Browser::new(proxy_port, prefix, &proxy);
    let user = ada_signs_in_and_the_app_sees_her(&ada).await;
    ada_gets_admin_with_the_role(&ada, dir.path(), &user).await;
    let bob = Browser::new(proxy_port, prefix, &proxy);
    bob_without_a_verified_email_gets_no_email_header(&bob, &db_url).await;
    let before = connections.load(Ordering::SeqCst);
    for _ in 0..40 {
        ada.app_sees("/dashboard").await;
    }
    let opened = connections.load(Ordering::SeqCst) - before;
    assert!(
        opened <= 4,
        "{opened} new connections to doorman for 40 checks"
    );
    ada.log_out().await;
    ada.sign_in_page(ORIGINAL).await;
}

/// Signed out: 401 for scripts, the sign-in page and its assets for a
/// browser; then the dev IdP, back to the whole original URI. Her user id.
async fn ada_signs_in_and_the_app_sees_her(ada: &Browser<'_>) -> String {
    ada.json_clients_get_401().await;
    ada.sign_in_page("/admin/panel?a=1&b=2").await;
    let page = ada.sign_in_page(ORIGINAL).await;
    ada.assets_load_signed_out(&page).await;
    ada.private_routes_are_hidden().await;
    let landed = ada.sign_in(&page, "Ada", "ada@example.com").await;
    assert_eq!(landed, ORIGINAL, "the whole original URI, & included");
    let seen = ada.app_sees(&landed).await;
    assert_eq!(seen["uri"], ORIGINAL);
    let email = header(&seen, "x-auth-request-email");
    assert_eq!(email.as_deref(), Some("ada@example.com"));
    let groups = header(&seen, "x-auth-request-groups");
    assert_eq!(groups, None, "Ada has no group");
    let api = ada.app_sees("/api/items?a=1").await;
    assert_eq!(api["uri"], "/api/items?a=1", "the app's own /api/");
    let me = ada.status(&format!("{}/api/me", ada.prefix)).await;
    assert_eq!(me, StatusCode::OK);
    let user = header(&seen, "x-auth-request-user").expect("the user's id");
    assert_eq!(user.len(), 36, "a UUID: {user}");
    user
}

/// `?allowed_groups=` says 403 until the role is granted, then the app sees it.
async fn ada_gets_admin_with_the_role(ada: &Browser<'_>, dir: &std::path::Path, user: &str) {
    assert_eq!(ada.status("/admin/panel").await, StatusCode::FORBIDDEN);
    grant(dir, user, "admin").await;
    let seen = ada.app_sees("/admin/panel").await;
    assert_eq!(seen["uri"], "/admin/panel");
    let groups = header(&seen, "x-auth-request-groups");
    assert_eq!(groups.as_deref(), Some("admin"));
}

/// Forged headers never pass, also when doorman sends no email and no groups.
async fn bob_without_a_verified_email_gets_no_email_header(bob: &Browser<'_>, db_url: &str) {
    bob.sign_in(&bob.sign_in_page("/").await, "Bob", "bob@example.com")
        .await;
    unverify_email(db_url, "bob@example.com").await;
    let seen = bob.app_sees("/").await;
    assert!(header(&seen, "x-auth-request-user").is_some(), "{seen}");
    assert_eq!(header(&seen, "x-auth-request-email"), None, "{seen}");
    assert_eq!(header(&seen, "x-auth-request-groups"), None, "{seen}");
}

/// A browser: a cookie jar, redirects not followed.
struct Browser<'a> {
    base: String,
    prefix: String,
    client: Client,
    proxy: &'a Proxy,
}

impl<'a> Browser<'a> {
    fn new(port: u16, prefix: &str, proxy: &'a Proxy) -> Self {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
            .build()
            .unwrap();
        Browser {
            base: format!("http://127.0.0.1:{port}"),
            prefix: prefix.to_owned(),
            client,
            proxy,
        }
    }

    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    async fn get(&self, path: &str, accept: &str) -> Response {
        let request = self.client.get(self.url(path)).header(ACCEPT, accept);
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Response {
        let response = request.send().await.expect("the proxy answers");
        if response.status().is_server_error() {
            panic!("{} from the proxy: {}", response.status(), self.proxy.log());
        }
        response
    }

    async fn status(&self, path: &str) -> StatusCode {
        self.get(path, HTML).await.status()
    }

    /// A script's signed-out request: 401 JSON with where to sign in.
    async fn json_clients_get_401(&self) {
        let answer = self.get("/api/items?x=1&y=2", "application/json").await;
        assert_eq!(
            answer.status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            self.proxy.log()
        );
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated", "{body}");
        let login_url = body["login_url"].as_str().unwrap_or_default();
        let expected = format!("{}/login?next=%2Fapi%2Fitems%3Fx%3D1%26y%3D2", self.prefix);
        assert!(login_url.ends_with(&expected), "{body}");
    }

    /// Signed out, `original` shows the sign-in page.
    async fn sign_in_page(&self, original: &str) -> String {
        let page = self.get(original, HTML).await;
        let status = page.status();
        let html = unescape(&page.text().await.unwrap());
        assert!(
            status.is_success() && html.contains("Sign in with Dev"),
            "{status}: {html}\n{}",
            self.proxy.log()
        );
        html
    }

    async fn assets_load_signed_out(&self, page: &str) {
        let icon = attribute(page, "src=\"").expect("an icon on the page");
        assert!(
            icon.starts_with(&format!("{}/icons/", self.prefix)),
            "{icon}"
        );
        let answer = self.get(&icon, "image/*").await;
        assert_eq!(answer.status(), StatusCode::OK, "{icon}");
        assert_eq!(answer.headers()["content-type"], "image/svg+xml");
    }

    async fn private_routes_are_hidden(&self) {
        for route in ["/metrics", "/healthz", "/readyz"] {
            let path = format!("{}{route}", self.prefix);
            let answer = self.get(&path, "text/plain").await;
            let body = answer.text().await.unwrap_or_default();
            assert!(!body.contains("doorman_"), "{path} is public: {body}");
            assert!(!body.starts_with("ok"), "{path} is public: {body}");
        }
    }

    /// Clicks "Sign in with Dev", fills the dev IdP's form: where it lands.
    async fn sign_in(&self, page: &str, name: &str, email: &str) -> String {
        let href = attribute(page, &format!("href=\"{}/auth/dev?next=", self.prefix))
            .expect("a dev button");
        let begin = self.get(&href, HTML).await;
        assert_eq!(begin.status(), StatusCode::SEE_OTHER, "{href}");
        let form = self.get(&location(&begin), HTML).await;
        let form = unescape(&form.text().await.unwrap());
        let action = attribute(&form, "action=\"").expect("a form");
        let mut fields = hidden_fields(&form);
        fields.push(("name".into(), name.into()));
        fields.push(("email".into(), email.into()));
        let submitted = self
            .send(self.client.post(self.url(&action)).form(&fields))
            .await;
        assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
        let callback = self.get(&location(&submitted), HTML).await;
        assert_eq!(
            callback.status(),
            StatusCode::SEE_OTHER,
            "{}",
            self.proxy.log()
        );
        location(&callback)
    }

    /// What the app receives for `path`, sent with forged identity headers.
    async fn app_sees(&self, path: &str) -> Value {
        let mut request = self.client.get(self.url(path)).header(ACCEPT, HTML);
        for (name, value) in FORGED {
            request = request.header(*name, *value);
        }
        let answer = self.send(request).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        let seen: Value = answer.json().await.expect("the app's echo");
        for (name, forged) in FORGED {
            let value = header(&seen, &name.to_ascii_lowercase()).unwrap_or_default();
            assert!(
                !value.contains(forged),
                "forged {name} reached the app: {seen}"
            );
            assert!(
                !value.contains('{'),
                "a placeholder reached the app: {seen}"
            );
        }
        seen
    }

    async fn log_out(&self) {
        let logout = self
            .client
            .post(self.url(&format!("{}/logout", self.prefix)));
        let answer = self.send(logout.header("Origin", &self.base)).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&answer), format!("{}/login", self.prefix));
    }
}

/// Marks a user's email unverified, as a provider that does not vouch for it would.
async fn unverify_email(db_url: &str, email: &str) {
    use sea_orm::ConnectionTrait;
    let config = doorman::config::DatabaseConfig {
        url: db_url.to_owned(),
        ..Default::default()
    };
    let db = doorman::store::connect(&config).await.unwrap();
    db.execute_unprepared(&format!(
        "UPDATE users SET email_verified = false WHERE email = '{email}'"
    ))
    .await
    .unwrap();
}
