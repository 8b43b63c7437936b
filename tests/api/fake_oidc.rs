//! A fake OpenID Connect provider for the integration tests: discovery, JWKS, authorize, token and userinfo on 127.0.0.1, with knobs that break each step on purpose.
#![allow(dead_code)]

mod logout;
mod quirks;
mod refresh;

pub use logout::LogoutToken;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::rand_core::OsRng;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use url::Url;

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
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo_or_redirect))
            .route("/userinfo-moved", get(userinfo))
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

    fn knob(&self, f: impl FnOnce(&mut Knobs)) {
        f(&mut self.inner.lock().knobs);
    }

    /// Advertises `authorization_response_iss_parameter_supported` and adds `iss` to redirects.
    pub fn advertise_iss_parameter(&self, on: bool) {
        self.knob(|k| k.advertise_iss = on);
    }

    /// Makes /authorize redirect with `error=access_denied` instead of a code.
    pub fn deny(&self) {
        self.knob(|k| k.deny = true);
    }

    /// Makes /token answer `status` with `{"error":"server_error"}`.
    pub fn fail_token(&self, status: u16) {
        self.knob(|k| k.fail_token = Some(status));
    }

    /// Makes /token sleep this long before answering.
    pub fn token_delay(&self, delay: Duration) {
        self.knob(|k| k.token_delay = Some(delay));
    }

    /// Makes /token answer 200 with this raw body as `application/json`.
    pub fn token_body(&self, body: impl Into<String>) {
        let body = body.into();
        self.knob(|k| k.token_body = Some(body));
    }

    /// Signs ID tokens with a key that is not in /jwks but carries the published kid.
    pub fn wrong_signature(&self) {
        self.knob(|k| k.wrong_signature = true);
    }

    /// Issues unsigned ID tokens (`alg: none`, empty signature).
    pub fn alg_none(&self) {
        self.knob(|k| k.alg_none = true);
    }

    /// Sets `iss` to `https://evil.example` in ID tokens.
    pub fn wrong_iss(&self) {
        self.knob(|k| k.wrong_iss = true);
    }

    /// Sets `aud` to `someone-else` in ID tokens.
    pub fn wrong_aud(&self) {
        self.knob(|k| k.wrong_aud = true);
    }

    /// Issues ID tokens that expired ten minutes ago (`iat` twenty minutes ago).
    pub fn expired(&self) {
        self.knob(|k| k.expired = true);
    }

    /// Puts a nonce other than the one sent to /authorize in ID tokens.
    pub fn wrong_nonce(&self) {
        self.knob(|k| k.wrong_nonce = true);
    }

    /// Omits the `nonce` claim from ID tokens.
    pub fn no_nonce(&self) {
        self.knob(|k| k.no_nonce = true);
    }

    /// Issues ID tokens with `iat` an hour ahead (`exp` two hours ahead).
    pub fn iat_in_future(&self) {
        self.knob(|k| k.iat_in_future = true);
    }

    /// Sets `aud` to `[CLIENT_ID, "other"]` with no `azp` (unless `azp()` is also set).
    pub fn extra_aud_without_azp(&self) {
        self.knob(|k| k.extra_aud_without_azp = true);
    }

    /// Adds an `azp` claim with this value to ID tokens.
    pub fn azp(&self, azp: impl Into<String>) {
        let azp = azp.into();
        self.knob(|k| k.azp = Some(azp));
    }

    /// Omits `kid` from the ID token header.
    pub fn no_kid(&self) {
        self.knob(|k| k.no_kid = true);
    }

    /// Makes /userinfo answer this `sub` instead of the user's.
    pub fn userinfo_sub(&self, sub: impl Into<String>) {
        let sub = sub.into();
        self.knob(|k| k.userinfo_sub = Some(sub));
    }

    /// Makes /userinfo (after a valid token) answer `status` with `{"error":"server_error"}`.
    pub fn userinfo_status(&self, status: u16) {
        self.knob(|k| k.userinfo_status = Some(status));
    }

    /// Makes /userinfo answer a signed JWT (`application/jwt`) with iss and aud added.
    pub fn userinfo_signed(&self) {
        self.knob(|k| k.userinfo_signed = true);
    }

    /// Makes /userinfo answer 302 to /userinfo-moved, which answers normally.
    pub fn userinfo_redirect(&self) {
        self.knob(|k| k.userinfo_redirect = true);
    }

    /// Leaves `sid` out of ID tokens.
    pub fn no_sid(&self) {
        self.knob(|k| k.no_sid = true);
    }

    /// The `sid` of every sign-in so far, oldest first.
    pub fn sids(&self) -> Vec<String> {
        self.inner.lock().sids.clone()
    }

    /// Every ID token issued so far, oldest first.
    pub fn id_tokens(&self) -> Vec<String> {
        self.inner.lock().id_tokens.clone()
    }

    /// Every access token issued so far.
    pub fn access_tokens(&self) -> Vec<String> {
        self.inner.lock().access_tokens.keys().cloned().collect()
    }

    /// Publishes a second, unrelated key in /jwks beside the signing key.
    pub fn extra_jwks_key(&self) {
        let jwk = Key::generate().jwk();
        self.knob(|k| k.extra_jwks_key = Some(jwk));
    }

    /// Makes /userinfo (after a valid token) answer 200 with this raw body and content type.
    pub fn userinfo_body(&self, body: impl Into<String>, content_type: &str) {
        let raw = (body.into(), content_type.to_owned());
        self.knob(|k| k.userinfo_body = Some(raw));
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

async fn discovery(State(op): Op) -> Json<Value> {
    let iss = &op.issuer;
    let mut doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "end_session_endpoint": format!("{iss}/end-session"),
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp",
            "email", "email_verified", "name", "preferred_username", "picture"],
    });
    let st = op.lock();
    if st.knobs.advertise_iss {
        doc["authorization_response_iss_parameter_supported"] = json!(true);
    }
    quirks::adjust_discovery(&mut doc, &st.knobs.quirks);
    Json(doc)
}

async fn jwks(State(op): Op) -> Json<Value> {
    op.jwks_requests.fetch_add(1, Ordering::SeqCst);
    let st = op.lock();
    let mut keys = vec![st.key.jwk()];
    keys.extend(st.knobs.extra_jwks_key.clone());
    Json(json!({ "keys": keys }))
}

fn check_authorize(q: &HashMap<String, String>, pkce: bool) -> Result<Url, String> {
    let required = [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
    ];
    if let Some(missing) = required
        .iter()
        .filter(|p| pkce || !p.starts_with("code_challenge"))
        .find(|p| q.get(**p).is_none_or(|v| v.is_empty()))
    {
        return Err(format!("missing parameter: {missing}"));
    }
    if q["response_type"] != "code" {
        return Err("unsupported response_type".into());
    }
    if q["client_id"] != FakeOidc::CLIENT_ID {
        return Err("unknown client_id".into());
    }
    if !q["scope"].split_whitespace().any(|s| s == "openid") {
        return Err("scope must contain openid".into());
    }
    if pkce && q["code_challenge_method"] != "S256" {
        return Err("code_challenge_method must be S256".into());
    }
    Url::parse(&q["redirect_uri"]).map_err(|e| format!("bad redirect_uri: {e}"))
}

async fn authorize(State(op): Op, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut st = op.lock();
    st.last_authorize_query = Some(q.clone());
    let mut url = match check_authorize(&q, !st.knobs.quirks.no_pkce) {
        Ok(url) => url,
        Err(msg) => return (StatusCode::BAD_REQUEST, msg).into_response(),
    };
    let mut pairs = url.query_pairs_mut();
    if st.knobs.deny {
        pairs.append_pair("error", "access_denied");
        pairs.append_pair("error_description", "The user denied the request");
    } else {
        let code = random_token();
        let grant = Grant {
            redirect_uri: q["redirect_uri"].clone(),
            code_challenge: q.get("code_challenge").cloned().unwrap_or_default(),
            nonce: q["nonce"].clone(),
            scope: q["scope"].clone(),
            user: st.user.clone(),
            auth_time: now(),
            sid: random_token(),
        };
        st.sids.push(grant.sid.clone());
        st.codes.insert(code.clone(), grant);
        pairs.append_pair("code", &code);
    }
    pairs.append_pair("state", &q["state"]);
    if st.knobs.advertise_iss {
        pairs.append_pair("iss", &op.issuer);
    }
    drop(pairs);
    if q.get("response_mode").map(String::as_str) == Some("form_post") {
        let sub = st.user.sub.clone();
        return quirks::form_post(&mut st.knobs.quirks, &sub, &url);
    }
    Redirect::to(url.as_str()).into_response()
}

fn token_json(code: StatusCode, body: Value) -> Response {
    let no_store = [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ];
    (code, no_store, Json(body)).into_response()
}

fn oauth_error(code: StatusCode, error: &str) -> Response {
    token_json(code, json!({ "error": error }))
}

/// Decodes one half of an HTTP Basic credential (RFC 6749 section 2.3.1 form-encodes it).
fn form_decode(s: &str) -> String {
    let pair = url::form_urlencoded::parse(s.as_bytes()).next();
    pair.map(|(k, _)| k.into_owned()).unwrap_or_default()
}

fn pkce_ok(verifier: Option<&String>, challenge: &str) -> bool {
    verifier.is_some_and(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())) == challenge)
}

async fn token(State(op): Op, headers: HeaderMap, body: Bytes) -> Response {
    op.token_requests.fetch_add(1, Ordering::SeqCst);
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let refreshing = form.get("grant_type").map(String::as_str) == Some("refresh_token");
    if refreshing {
        op.refresh_requests.fetch_add(1, Ordering::SeqCst);
    }
    let delay = {
        let k = &op.lock().knobs;
        if refreshing {
            k.refresh.delay
        } else {
            k.token_delay
        }
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut st = op.lock();
    if let Some(code) = st.knobs.fail_token {
        return oauth_error(status(code), "server_error");
    }
    if let Some(raw) = st.knobs.token_body.clone() {
        return ([(header::CONTENT_TYPE, "application/json")], raw).into_response();
    }
    if !quirks::client_ok(&st.knobs.quirks, &headers, &form) {
        let www = [(header::WWW_AUTHENTICATE, "Basic realm=\"fake-oidc\"")];
        return (www, oauth_error(StatusCode::UNAUTHORIZED, "invalid_client")).into_response();
    }
    if refreshing {
        return refresh::grant(&mut st, &form);
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let grant = form.get("code").and_then(|c| st.codes.remove(c));
    let Some(grant) = grant.filter(|g| form.get("redirect_uri") == Some(&g.redirect_uri)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    if !st.knobs.quirks.no_pkce && !pkce_ok(form.get("code_verifier"), &grant.code_challenge) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let access_token = random_token();
    st.access_tokens
        .insert(access_token.clone(), grant.user.clone());
    let id_token = id_token(&st, &op.issuer, &grant);
    st.id_tokens.push(id_token.clone());
    let mut answer = json!({"access_token": access_token, "token_type": "Bearer",
        "expires_in": st.knobs.refresh.lifetime(), "id_token": id_token, "scope": grant.scope});
    refresh::issue(&mut st, &grant.user, &mut answer);
    token_json(StatusCode::OK, answer)
}

fn id_claims(k: &Knobs, issuer: &str, g: &Grant) -> Value {
    let now = now();
    let (iat, exp) = match (k.expired, k.iat_in_future) {
        (true, _) => (now - 1200, now - 600),
        (_, true) => (now + 3600, now + 7200),
        _ => (now, now + 300),
    };
    let aud = match (k.wrong_aud, k.extra_aud_without_azp) {
        (true, _) => json!("someone-else"),
        (_, true) => json!([FakeOidc::CLIENT_ID, "other"]),
        _ => json!(FakeOidc::CLIENT_ID),
    };
    let iss = if k.wrong_iss {
        "https://evil.example"
    } else {
        quirks::token_iss(&k.quirks, issuer)
    };
    let mut claims = quirks::user_claims(&k.quirks, &g.user);
    for (name, value) in [
        ("iss", json!(iss)),
        ("aud", aud),
        ("exp", json!(exp)),
        ("iat", json!(iat)),
        ("auth_time", json!(g.auth_time)),
    ] {
        claims[name] = value;
    }
    if !k.no_nonce {
        let nonce = if k.wrong_nonce {
            "not-the-nonce-you-sent"
        } else {
            &g.nonce
        };
        claims["nonce"] = json!(nonce);
    }
    if let Some(azp) = &k.azp {
        claims["azp"] = json!(azp);
    }
    if !k.no_sid {
        claims["sid"] = json!(g.sid);
    }
    claims
}

fn id_token(st: &OpState, issuer: &str, grant: &Grant) -> String {
    let k = &st.knobs;
    let claims = id_claims(k, issuer, grant);
    if k.alg_none {
        let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        return format!(
            "{}.{}.",
            part(json!({"alg": "none", "typ": "JWT"})),
            part(claims)
        );
    }
    let mut header = Header::new(Algorithm::ES256);
    header.kid = (!k.no_kid).then(|| st.key.kid.clone());
    let der = if k.wrong_signature {
        Key::generate().der
    } else {
        st.key.der.clone()
    };
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&der)).expect("sign")
}

async fn userinfo_or_redirect(State(op): Op, headers: HeaderMap) -> Response {
    if op.lock().knobs.userinfo_redirect {
        return (StatusCode::FOUND, [(header::LOCATION, "/userinfo-moved")]).into_response();
    }
    userinfo(State(op), headers).await
}

async fn userinfo(State(op): Op, headers: HeaderMap) -> Response {
    op.userinfo_requests.fetch_add(1, Ordering::SeqCst);
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let bearer = auth
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let st = op.lock();
    let Some(user) = st.access_tokens.get(bearer.trim()) else {
        let www = [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")];
        return (StatusCode::UNAUTHORIZED, www).into_response();
    };
    let k = &st.knobs;
    if k.quirks.no_userinfo {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(code) = k.userinfo_status {
        return (status(code), Json(json!({"error": "server_error"}))).into_response();
    }
    if let Some((body, content_type)) = &k.userinfo_body {
        return ([(header::CONTENT_TYPE, content_type.clone())], body.clone()).into_response();
    }
    let mut info = quirks::user_claims(&k.quirks, user);
    if let Some(sub) = &k.userinfo_sub {
        info["sub"] = json!(sub);
    }
    if k.userinfo_signed {
        info["iss"] = json!(op.issuer);
        info["aud"] = json!(FakeOidc::CLIENT_ID);
        let mut jwt_header = Header::new(Algorithm::ES256);
        jwt_header.kid = Some(st.key.kid.clone());
        let key = EncodingKey::from_ec_der(&st.key.der);
        let jwt = jsonwebtoken::encode(&jwt_header, &info, &key).expect("sign");
        return ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response();
    }
    Json(info).into_response()
}
