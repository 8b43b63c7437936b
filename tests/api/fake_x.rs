//! A fake X (OAuth 1.0a) provider for the integration tests: request_token,
//! authenticate, access_token and verify_credentials on 127.0.0.1. Every
//! signed request's signature is checked by the fake's own code
//! (fake_x/verify.rs) and a bad one gets 401, as X answers.
#![allow(dead_code)]

mod handlers;
mod verify;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

/// The X account the fake signs in.
#[derive(Clone, Debug)]
pub struct FakeXUser {
    /// The numeric id (`id`, and as text `id_str`).
    pub id: u64,
    /// The display name.
    pub name: String,
    /// The handle, which X users can change.
    pub screen_name: String,
    /// The verified email, answered only with include_email=true.
    pub email: Option<String>,
}

impl Default for FakeXUser {
    fn default() -> Self {
        Self {
            id: 2244994945,
            name: "Twitter Dev".into(),
            screen_name: "TwitterDev".into(),
            email: Some("dev@x.example".into()),
        }
    }
}

#[derive(Clone, Default)]
struct Knobs {
    deny: bool,
    refuse_request_token: bool,
    request_token_body: Option<String>,
}

/// Temporary credentials issued by request_token.
struct Temporary {
    secret: String,
    callback: String,
    verifier: String,
}

#[derive(Default)]
struct XState {
    user: FakeXUser,
    knobs: Knobs,
    temporary: HashMap<String, Temporary>,
    access: HashMap<String, String>,
    nonces: HashSet<String>,
    last_profile_query: Option<String>,
}

struct Inner {
    base: String,
    state: Mutex<XState>,
    bad_signatures: AtomicUsize,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, XState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

type X = State<Arc<Inner>>;

/// A running fake X; clones share the same server and knobs.
#[derive(Clone)]
pub struct FakeX {
    inner: Arc<Inner>,
}

impl FakeX {
    /// The only consumer key the fake accepts.
    pub const CONSUMER_KEY: &'static str = "fake-x-consumer-key";
    /// The consumer secret of `CONSUMER_KEY`.
    pub const CONSUMER_SECRET: &'static str = "fake-x-consumer-secret";

    /// Binds 127.0.0.1:0 and serves the fake in a spawned task.
    pub async fn start() -> FakeX {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let inner = Arc::new(Inner {
            base: format!("http://127.0.0.1:{port}"),
            state: Mutex::new(XState::default()),
            bad_signatures: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/oauth/request_token", post(handlers::request_token))
            .route("/oauth/authenticate", get(handlers::authenticate))
            .route("/oauth/access_token", post(handlers::access_token))
            .route(
                "/1.1/account/verify_credentials.json",
                get(handlers::verify_credentials),
            )
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        FakeX { inner }
    }

    /// `[providers.NAME]` with `preset`, the consumer key, `secret` and this fake's endpoints.
    pub fn provider_toml(&self, name: &str, preset: &str, secret: &str) -> String {
        let base = &self.inner.base;
        format!(
            "[providers.{name}]\npreset = \"{preset}\"\nclient_id = \"{key}\"\n\
             client_secret = \"{secret}\"\n\
             request_token_url = \"{base}/oauth/request_token\"\n\
             auth_url = \"{base}/oauth/authenticate\"\n\
             token_url = \"{base}/oauth/access_token\"\n\
             userinfo_url = \"{base}/1.1/account/verify_credentials.json\"\n",
            key = Self::CONSUMER_KEY,
        )
    }

    /// Replaces the account signed in from now on.
    pub fn set_user(&self, user: FakeXUser) {
        self.inner.lock().user = user;
    }

    /// authenticate sends the user back with `denied=<oauth_token>`.
    pub fn deny(&self) {
        self.inner.lock().knobs.deny = true;
    }

    /// request_token answers 401, as for a revoked app.
    pub fn refuse_request_token(&self) {
        self.inner.lock().knobs.refuse_request_token = true;
    }

    /// request_token answers 200 with `body`.
    pub fn request_token_body(&self, body: impl Into<String>) {
        self.inner.lock().knobs.request_token_body = Some(body.into());
    }

    /// How many requests were refused for their signature.
    pub fn bad_signatures(&self) -> usize {
        self.inner.bad_signatures.load(Ordering::SeqCst)
    }

    /// The query of the last verify_credentials request.
    pub fn last_profile_query(&self) -> HashMap<String, String> {
        let query = self.inner.lock().last_profile_query.clone();
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }
}
