//! A fake OpenID Connect provider for the integration tests: discovery, JWKS, authorize, token and userinfo on 127.0.0.1, with knobs that break each step on purpose.
#![allow(dead_code)]

mod authorize;
mod knobs;
mod logout;
mod quirks;
mod refresh;
mod token;
mod userinfo;

pub use logout::LogoutToken;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::elliptic_curve::rand_core::OsRng;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde_json::{json, Value};

/// The user the fake provider signs in; a code captures it at authorize time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeUser {
    /// The stable subject identifier (`sub`).
    pub sub: String,
    /// The display name (`name`).
    pub name: String,
    /// The email address (`email`).
    pub email: String,
    /// Whether the provider vouches for the email (`email_verified`).
    pub email_verified: bool,
    /// The login name (`preferred_username`).
    pub preferred_username: String,
    /// The avatar URL (`picture`), omitted from the JSON when `None`.
    pub picture: Option<String>,
}

impl Default for FakeUser {
    fn default() -> Self {
        Self {
            sub: "fake-user-1".into(),
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            email_verified: true,
            preferred_username: "ada".into(),
            picture: None,
        }
    }
}

/// A P-256 signing key with its id and public coordinates.
struct Key {
    kid: String,
    der: Vec<u8>,
    x: String,
    y: String,
}

impl Key {
    fn generate() -> Self {
        let secret = p256::SecretKey::random(&mut OsRng);
        let der = secret
            .to_pkcs8_der()
            .expect("pkcs8 der")
            .as_bytes()
            .to_vec();
        let point = secret.public_key().to_encoded_point(false);
        let coord = |c: Option<&_>| URL_SAFE_NO_PAD.encode(c.expect("uncompressed point"));
        Self {
            kid: uuid::Uuid::new_v4().simple().to_string(),
            der,
            x: coord(point.x()),
            y: coord(point.y()),
        }
    }

    fn jwk(&self) -> Value {
        json!({"kty": "EC", "crv": "P-256", "x": self.x, "y": self.y,
               "kid": self.kid, "use": "sig", "alg": "ES256"})
    }
}

/// Switches that make the provider misbehave; all cleared by `reset()`.
#[derive(Default)]
struct Knobs {
    advertise_iss: bool,
    deny: bool,
    fail_token: Option<u16>,
    token_delay: Option<Duration>,
    token_body: Option<String>,
    wrong_signature: bool,
    alg_none: bool,
    wrong_iss: bool,
    wrong_aud: bool,
    expired: bool,
    wrong_nonce: bool,
    no_nonce: bool,
    iat_in_future: bool,
    extra_aud_without_azp: bool,
    azp: Option<String>,
    no_kid: bool,
    userinfo_sub: Option<String>,
    userinfo_status: Option<u16>,
    userinfo_body: Option<(String, String)>,
    userinfo_signed: bool,
    extra_jwks_key: Option<Value>,
    userinfo_redirect: bool,
    no_sid: bool,
    quirks: quirks::Quirks,
    refresh: refresh::RefreshKnobs,
}

/// What an authorization code is bound to.
struct Grant {
    redirect_uri: String,
    code_challenge: String,
    nonce: String,
    scope: String,
    user: FakeUser,
    auth_time: i64,
    sid: String,
}

struct OpState {
    key: Key,
    user: FakeUser,
    knobs: Knobs,
    codes: HashMap<String, Grant>,
    access_tokens: HashMap<String, FakeUser>,
    last_authorize_query: Option<HashMap<String, String>>,
    refresh_tokens: HashMap<String, FakeUser>,
    refresh_tokens_used: Vec<String>,
    sids: Vec<String>,
    id_tokens: Vec<String>,
    end_session_queries: Vec<HashMap<String, String>>,
}

struct Inner {
    issuer: String,
    state: Mutex<OpState>,
    jwks_requests: AtomicUsize,
    token_requests: AtomicUsize,
    userinfo_requests: AtomicUsize,
    refresh_requests: AtomicUsize,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, OpState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

type Op = State<Arc<Inner>>;

/// A running fake OpenID Connect provider; clones share the same server and knobs.
#[derive(Clone)]
pub struct FakeOidc {
    inner: Arc<Inner>,
}

impl FakeOidc {
    /// The only client id the provider accepts.
    pub const CLIENT_ID: &'static str = "test-client";
    /// The secret of `CLIENT_ID`.
    pub const CLIENT_SECRET: &'static str = "test-secret";

    /// Binds 127.0.0.1:0 and serves the provider in a spawned task.
    pub async fn start() -> FakeOidc {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let inner = Arc::new(Inner {
            issuer: format!("http://127.0.0.1:{port}"),
            state: Mutex::new(OpState {
                key: Key::generate(),
                user: FakeUser::default(),
                knobs: Knobs::default(),
                codes: HashMap::new(),
                access_tokens: HashMap::new(),
                last_authorize_query: None,
                refresh_tokens: HashMap::new(),
                refresh_tokens_used: Vec::new(),
                sids: Vec::new(),
                id_tokens: Vec::new(),
                end_session_queries: Vec::new(),
            }),
            jwks_requests: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            userinfo_requests: AtomicUsize::new(0),
            refresh_requests: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(authorize::discovery),
            )
            .route("/jwks", get(authorize::jwks))
            .route("/authorize", get(authorize::authorize))
            .route("/token", post(token::token))
            .route("/userinfo", get(userinfo::userinfo_or_redirect))
            .route("/userinfo-moved", get(userinfo::userinfo))
            .route("/end-session", get(logout::end_session))
            .fallback(quirks::discovery_at_any_path)
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        FakeOidc { inner }
    }

    /// The issuer URL, `http://127.0.0.1:PORT` without a trailing slash.
    pub fn issuer(&self) -> String {
        self.inner.issuer.clone()
    }

    /// The `kid` of the key that signs ID tokens now (the only one in /jwks).
    pub fn current_kid(&self) -> String {
        self.inner.lock().key.kid.clone()
    }

    /// Replaces the signed-in user for codes issued from now on.
    pub fn set_user(&self, user: FakeUser) {
        self.inner.lock().user = user;
    }

    /// The query of the last /authorize request, valid or not.
    pub fn last_authorize_query(&self) -> Option<HashMap<String, String>> {
        self.inner.lock().last_authorize_query.clone()
    }

    /// How many times /jwks was fetched.
    pub fn jwks_requests(&self) -> usize {
        self.inner.jwks_requests.load(Ordering::SeqCst)
    }

    /// How many requests reached /token, whatever their outcome.
    pub fn token_requests(&self) -> usize {
        self.inner.token_requests.load(Ordering::SeqCst)
    }

    /// How many requests reached /userinfo, whatever their outcome.
    pub fn userinfo_requests(&self) -> usize {
        self.inner.userinfo_requests.load(Ordering::SeqCst)
    }

    /// Generates a new signing key with a new kid; /jwks publishes only the new one.
    pub fn rotate_keys(&self) {
        self.inner.lock().key = Key::generate();
    }

    /// Clears every knob and restores the default user; keys, counters, codes and tokens stay.
    pub fn reset(&self) {
        let mut st = self.inner.lock();
        st.knobs = Knobs::default();
        st.user = FakeUser::default();
    }
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(secs).expect("time fits i64")
}

fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).expect("valid status code")
}
