//! A recording fake OAuth 2.0 provider for the quirks a fixture cannot show
//! (headers, client authentication, parameter names, methods): /authorize
//! redirects back with a code, /token answers a token, and every request
//! under /api answers the profile document the test set. Each request is
//! recorded for the test to inspect.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::fake_support::{param, redirect_back, serve};

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// GET, POST.
    pub method: Method,
    /// Path and query.
    pub uri: Uri,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body (form fields for /token).
    pub body: String,
}

#[derive(Clone)]
struct St {
    profile: Value,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// A running recording fake.
pub struct FakeQuirks {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeQuirks {
    /// Serves the fake; every /api request answers `profile`.
    pub async fn start(profile: Value) -> FakeQuirks {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let st = St {
            profile,
            seen: seen.clone(),
        };
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/api/{*path}", any(api))
            .with_state(st);
        FakeQuirks {
            base: serve(app).await,
            seen,
        }
    }

    /// `[providers.NAME]` of `preset` pointing at this fake.
    pub fn config(&self, preset: &str) -> String {
        let b = &self.base;
        format!(
            "[providers.{preset}]\npreset = \"{preset}\"\nclient_id = \"quirk-id\"\n\
             client_secret = \"quirk-secret\"\nauth_url = \"{b}/authorize\"\n\
             token_url = \"{b}/token\"\napi_url = \"{b}/api\"\n"
        )
    }

    /// Every request whose path starts with `prefix`.
    pub fn seen(&self, prefix: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter()
            .filter(|s| s.uri.path().starts_with(prefix))
            .cloned()
            .collect()
    }
}

fn record(st: &St, method: Method, uri: Uri, headers: HeaderMap, body: &[u8]) {
    let body = String::from_utf8_lossy(body).into_owned();
    let mut seen = st.seen.lock().unwrap_or_else(|e| e.into_inner());
    seen.push(Seen {
        method,
        uri,
        headers,
        body,
    });
}

async fn authorize(
    State(st): State<St>,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    record(&st, Method::GET, uri, headers, b"");
    let (Some(redirect), Some(state)) = (param(&q, "redirect_uri"), param(&q, "state")) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri and state").into_response();
    };
    redirect_back(
        redirect,
        &[("code", "quirk-code"), ("state", state)],
        StatusCode::FOUND,
    )
}

async fn token(State(st): State<St>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    record(&st, Method::POST, uri, headers, &body);
    Json(json!({"access_token": "quirk-token", "token_type": "bearer", "expires_in": 3600}))
        .into_response()
}

async fn api(State(st): State<St>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    record(&st, method, uri, headers, b"");
    Json(st.profile.clone()).into_response()
}
