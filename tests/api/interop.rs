//! Interop: sign-in against a real, independent OpenID provider, the npm
//! package oidc-provider (tests/interop/op.mjs), through its own login and
//! consent pages. Runs when DOORMAN_TEST_INTEROP=1 and `npm ci` has installed
//! tests/interop; otherwise each test says why it is skipped.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use regex_lite::Regex;
use reqwest::{Response, StatusCode, Url};
use serde_json::Value;

use crate::helpers::{assert_redirects_to, location, spawn_app_with, unescape, Options, TestApp};

/// The client registered in op.mjs for client_secret_basic, configured
/// without `token_endpoint_auth_method` (doorman's default).
const BASIC: Client = Client {
    provider: "interop_basic",
    id: "interop-basic",
    secret: "interop-basic-secret",
    method: None,
};
/// The client registered for client_secret_post.
const POST: Client = Client {
    provider: "interop_post",
    id: "interop-post",
    secret: "interop-post-secret",
    method: Some("client_secret_post"),
};

/// Redirects and form posts followed before giving up on reaching the callback.
const MAX_STEPS: usize = 12;

/// A doorman provider for one of op.mjs's clients.
struct Client {
    provider: &'static str,
    id: &'static str,
    secret: &'static str,
    method: Option<&'static str>,
}

impl Client {
    fn toml(&self, issuer: &str) -> String {
        let method = self
            .method
            .map(|m| format!("token_endpoint_auth_method = \"{m}\"\n"))
            .unwrap_or_default();
        format!(
            "[providers.{}]\npreset = \"oidc\"\nclient_id = \"{}\"\n\
             client_secret = \"{}\"\nissuer = \"{issuer}\"\n{method}",
            self.provider, self.id, self.secret
        )
    }
}

#[tokio::test]
async fn signing_in_with_client_secret_basic_at_oidc_provider_starts_a_session() {
    signs_in_through_the_provider_pages(
        "signing_in_with_client_secret_basic_at_oidc_provider_starts_a_session",
        &BASIC,
    )
    .await;
}

#[tokio::test]
async fn signing_in_with_client_secret_post_at_oidc_provider_starts_a_session() {
    signs_in_through_the_provider_pages(
        "signing_in_with_client_secret_post_at_oidc_provider_starts_a_session",
        &POST,
    )
    .await;
}

#[tokio::test]
async fn oidc_provider_refuses_an_authorization_request_without_pkce() {
    let Some((app, _op)) =
        start("oidc_provider_refuses_an_authorization_request_without_pkce").await
    else {
        return;
    };
    let begin = app.get(&format!("/auth/{}?next=/", BASIC.provider)).await;
    let mut url = Url::parse(&location(&begin)).unwrap();
    let query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("code_challenge"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(query);
    let refused = app.get_url(url.as_str()).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let callback = location(&refused);
    assert!(
        callback.starts_with(&format!(
            "{}/auth/{}/callback?",
            app.address, BASIC.provider
        )) && callback.contains("error=invalid_request"),
        "without PKCE the provider answered {callback}"
    );
    assert_eq!(
        app.get_url(&callback).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}

async fn signs_in_through_the_provider_pages(test: &str, client: &Client) {
    let Some((app, _op)) = start(test).await else {
        return;
    };
    let (callback, prompts) = sign_in(&app, client.provider, "grace@interop.example").await;
    assert_eq!(prompts, ["login", "consent"], "the provider's pages");
    assert_redirects_to(&callback, "/");
    let me = app.me().await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], "grace@interop.example");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["name"], "Interop grace");
    let identity = &me["identities"][0];
    assert_eq!(identity["provider"], client.provider);
    assert_eq!(identity["subject"], "grace@interop.example");
    assert_eq!(identity["username"], "grace");
}

/// doorman with both interop providers, and oidc-provider with their
/// redirect URIs; None (after saying why) when the suite is off.
async fn start(test: &str) -> Option<(TestApp, InteropOp)> {
    if std::env::var("DOORMAN_TEST_INTEROP").as_deref() != Ok("1") {
        eprintln!("skipped {test}: DOORMAN_TEST_INTEROP is not set");
        return None;
    }
    if !interop_dir().join("node_modules/oidc-provider").is_dir() {
        eprintln!(
            "skipped {test}: oidc-provider is not installed; run `cd tests/interop && npm ci`"
        );
        return None;
    }
    // doorman needs the issuer and oidc-provider the redirect URIs: the
    // provider's port is chosen first (doorman discovers it only at sign-in),
    // and chosen again should another socket take it in the meantime.
    let mut failures = Vec::new();
    for _ in 0..3 {
        let port = free_port();
        let issuer = format!("http://127.0.0.1:{port}");
        let extra_toml = BASIC.toml(&issuer) + &POST.toml(&issuer);
        let app = spawn_app_with(Options {
            extra_toml,
            ..Options::default()
        })
        .await;
        let redirect = |c: &Client| format!("{}/auth/{}/callback", app.address, c.provider);
        match InteropOp::start(port, &redirect(&BASIC), &redirect(&POST)).await {
            Ok(op) => {
                assert_eq!(op.issuer, issuer, "oidc-provider's issuer");
                return Some((app, op));
            }
            Err(e) => failures.push(e),
        }
    }
    panic!("oidc-provider did not start: {}", failures.join("\n"));
}

/// From doorman's /auth/{provider} through the provider's pages (logging in
/// as `login`) to doorman's callback: the callback's response and the
/// `prompt` of each form submitted on the way.
async fn sign_in(app: &TestApp, provider: &str, login: &str) -> (Response, Vec<String>) {
    let callback = format!("{}/auth/{provider}/callback?", app.address);
    let begin = app.get(&format!("/auth/{provider}?next=/")).await;
    assert_eq!(begin.status(), StatusCode::SEE_OTHER);
    let mut url = Url::parse(&location(&begin)).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("code_challenge_method".into(), "S256".into())));
    let mut response = app.get_url(url.as_str()).await;
    let mut prompts = Vec::new();
    for _ in 0..MAX_STEPS {
        if response.status().is_redirection() {
            url = url.join(&location(&response)).unwrap();
            if url.as_str().starts_with(&callback) {
                return (app.get_url(url.as_str()).await, prompts);
            }
            response = app.get_url(url.as_str()).await;
            continue;
        }
        let status = response.status();
        let html = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{url} answered {status}: {html}");
        let form = Form::parse(&html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
        prompts.push(form.value("prompt").unwrap_or_default().to_owned());
        url = url.join(&form.action).unwrap();
        response = app
            .client
            .post(url.clone())
            .form(&form.filled(login))
            .send()
            .await
            .unwrap();
    }
    panic!("no redirect to {callback} after {MAX_STEPS} steps (last: {url})");
}

/// The first form of a page: its action and its inputs (type, name, value).
struct Form {
    action: String,
    inputs: Vec<(String, String, String)>,
}

impl Form {
    fn parse(html: &str) -> Option<Form> {
        let form = Regex::new(r#"(?s)<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>"#).unwrap();
        let input = Regex::new(r"<input\b([^>]*)>").unwrap();
        let attr = Regex::new(r#"\b(type|name|value)="([^"]*)""#).unwrap();
        let found = form.captures(html)?;
        let inputs = input
            .captures_iter(&found[2])
            .map(|i| {
                let (mut kind, mut name, mut value) = ("text".to_owned(), String::new(), "".into());
                for a in attr.captures_iter(&i[1]) {
                    let text = unescape(&a[2]);
                    match &a[1] {
                        "type" => kind = text,
                        "name" => name = text,
                        _ => value = text,
                    }
                }
                (kind, name, value)
            })
            .collect();
        Some(Form {
            action: unescape(&found[1]),
            inputs,
        })
    }

    fn value(&self, name: &str) -> Option<&str> {
        let input = self.inputs.iter().find(|(_, n, _)| n == name)?;
        Some(&input.2)
    }

    /// The fields a person would send: hidden values kept, the text field
    /// holding `login`, any password.
    fn filled(&self, login: &str) -> Vec<(String, String)> {
        self.inputs
            .iter()
            .map(|(kind, name, value)| match kind.as_str() {
                "text" | "email" => (name.clone(), login.to_owned()),
                "password" => (name.clone(), "any password".to_owned()),
                _ => (name.clone(), value.clone()),
            })
            .collect()
    }
}

/// oidc-provider (tests/interop/op.mjs) in a child process, killed on drop.
struct InteropOp {
    issuer: String,
    child: Child,
    _stdout: BufReader<ChildStdout>,
}

impl InteropOp {
    /// Starts the provider on `port` and waits for it to print its issuer.
    async fn start(port: u16, basic_redirect: &str, post_redirect: &str) -> Result<Self, String> {
        let mut child = Command::new("node")
            .arg("op.mjs")
            .arg(port.to_string())
            .args([basic_redirect, post_redirect])
            .current_dir(interop_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("`node` runs (Node.js is needed for the interop suite)");
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let first_line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            stdout.read_line(&mut line).map(|_| (line, stdout))
        });
        match tokio::time::timeout(Duration::from_secs(30), first_line).await {
            Ok(Ok(Ok((line, stdout)))) if !line.trim().is_empty() => Ok(InteropOp {
                issuer: line.trim().to_owned(),
                child,
                _stdout: stdout,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(stderr.join().unwrap_or_default())
            }
        }
    }
}

impl Drop for InteropOp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// A port free right now on 127.0.0.1.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
