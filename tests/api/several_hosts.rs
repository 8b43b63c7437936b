//! One sign-in for several hosts: `[server] cookie_domain` and
//! `allowed_redirect_hosts`, with app host names resolved to 127.0.0.1 by
//! the test client (the browser's cookies are carried by hand, since the
//! https cookies travel here over plain http).

use std::net::SocketAddr;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};

use crate::helpers::{spawn_app_with, unescape, urlencode, Options, TestApp};

const HOSTS: &[&str] = &[
    "auth.example.test",
    "app1.example.test",
    "one.apps.example.test",
];

async fn several_hosts_app() -> (TestApp, Client, u16) {
    let app = spawn_app_with(Options {
        public_url: Some("https://auth.example.test".into()),
        no_dev_idp: true,
        server_toml: "cookie_domain = \"example.test\"\n\
                      allowed_redirect_hosts = [\"app1.example.test\", \"*.apps.example.test\"]"
            .into(),
        ..Options::default()
    })
    .await;
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    let mut client = Client::builder().redirect(reqwest::redirect::Policy::none());
    for host in HOSTS {
        client = client.resolve(host, SocketAddr::from(([127, 0, 0, 1], port)));
    }
    (app, client.build().unwrap(), port)
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

/// The `name=value` of the Set-Cookie whose cookie is `name`, and its attributes.
fn cookie(response: &Response, name: &str) -> (String, String) {
    let set = crate::helpers::set_cookies(response.headers(), name);
    let line = set.first().unwrap_or_else(|| panic!("no {name} cookie"));
    let (pair, attributes) = line.split_once(';').unwrap_or((line, ""));
    (pair.to_owned(), attributes.to_owned())
}

/// Signs in with `corp` starting on `host` with `next`: the callback's answer.
async fn sign_in_from(client: &Client, port: u16, host: &str, next: &str) -> Response {
    let begin = client
        .get(format!(
            "http://{host}:{port}/auth/corp?next={}",
            urlencode(next)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(begin.status(), StatusCode::SEE_OTHER);
    let (login, _) = cookie(&begin, "__Host-doorman_login");
    let provider = client.get(header(&begin, LOCATION)).send().await.unwrap();
    let callback = header(&provider, LOCATION).replace(
        "https://auth.example.test/",
        &format!("http://auth.example.test:{port}/"),
    );
    client
        .get(callback)
        .header(COOKIE, login)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn one_sign_in_serves_every_allowed_host() {
    let (_app, client, port) = several_hosts_app().await;
    let next = "https://app1.example.test/dash?x=1&y=2";
    let done = sign_in_from(&client, port, "app1.example.test", next).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&done, LOCATION), next);
    let (session, attributes) = cookie(&done, "__Secure-doorman_session");
    assert!(attributes.contains("Domain=example.test"), "{attributes}");
    assert!(attributes.contains("Secure"), "{attributes}");
    assert!(done
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .all(|v| !v.to_str().unwrap().starts_with("__Host-doorman_session")));
    let verify = client
        .get(format!("http://one.apps.example.test:{port}/auth/verify"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status(), StatusCode::OK);
}

#[tokio::test]
async fn next_may_name_only_allowed_https_hosts() {
    let (_app, client, port) = several_hosts_app().await;
    for (next, lands) in [
        (
            "https://one.apps.example.test/a",
            "https://one.apps.example.test/a",
        ),
        ("https://evil.test/", "/"),
        ("http://app1.example.test/", "/"),
        ("https://a.b.apps.example.test/", "/"),
    ] {
        let done = sign_in_from(&client, port, "app1.example.test", next).await;
        assert_eq!(header(&done, LOCATION), lands, "{next}");
    }
}

#[tokio::test]
async fn the_login_page_on_an_app_host_sends_the_sign_in_to_public_urls_host() {
    let (_app, client, port) = several_hosts_app().await;
    let page = client
        .get(format!("http://app1.example.test:{port}/login"))
        .header(
            "X-Auth-Request-Redirect",
            "https://app1.example.test/x?a=1&b=2",
        )
        .send()
        .await
        .unwrap();
    let html = unescape(&page.text().await.unwrap());
    let link = "href=\"https://auth.example.test/auth/corp?next=https%3A//app1.example.test/x%3Fa%3D1%26b%3D2\"";
    assert!(html.contains(link), "{html}");
}

#[tokio::test]
async fn logout_accepts_the_allowed_hosts_origins_only() {
    let (_app, client, port) = several_hosts_app().await;
    let done = sign_in_from(&client, port, "app1.example.test", "/").await;
    let (session, _) = cookie(&done, "__Secure-doorman_session");
    let logout = |origin: &'static str| {
        client
            .post(format!("http://app1.example.test:{port}/logout"))
            .header(COOKIE, &session)
            .header("Origin", origin)
            .send()
    };
    assert_eq!(
        logout("https://evil.test").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let accepted = logout("https://one.apps.example.test").await.unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let verify = client
        .get(format!("http://app1.example.test:{port}/auth/verify"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status(), StatusCode::UNAUTHORIZED);
}
