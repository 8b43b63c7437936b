//! A small fake OAuth 2.0 provider without OIDC for the generic `oauth2`
//! preset: /authorize, /token (HTTP Basic, JSON) and a nested profile at
//! /api/me that only a claims mapping of JSON pointers can read; refresh
//! tokens and the refresh_token grant, with short-lived access tokens on request.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::fake_support::{basic_client, credential, form, param, pkce_ok, random_token};
use crate::fake_support::{redirect_back, serve};

struct Grant {
    redirect_uri: String,
    code_challenge: Option<String>,
}

#[derive(Default)]
struct St {
    codes: HashMap<String, Grant>,
    tokens: Vec<String>,
    refresh_tokens: Vec<String>,
    refreshes: usize,
    lifetime: Option<i64>,
}

type Op = State<Arc<Mutex<St>>>;

fn lock(st: &Mutex<St>) -> MutexGuard<'_, St> {
    st.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake OAuth 2.0 provider.
pub struct FakeOAuth2 {
    base: String,
    st: Arc<Mutex<St>>,
}

impl FakeOAuth2 {
    /// Serves the fake on 127.0.0.1:0.
    pub async fn start() -> FakeOAuth2 {
        let st = Arc::new(Mutex::new(St::default()));
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/api/me", get(me))
            .with_state(st.clone());
        FakeOAuth2 {
            base: serve(app).await,
            st,
        }
    }

    /// Access tokens issued from now on expire after `secs`.
    pub fn access_token_lifetime(&self, secs: i64) {
        lock(&self.st).lifetime = Some(secs);
    }

    /// How many refresh_token grants were answered.
    pub fn refreshes(&self) -> usize {
        lock(&self.st).refreshes
    }

    /// Every access token issued, oldest first.
    pub fn access_tokens(&self) -> Vec<String> {
        lock(&self.st).tokens.clone()
    }

    /// `[providers.NAME]` and its claims table for this fake.
    pub fn config(&self, name: &str) -> String {
        let b = &self.base;
        format!(
            "[providers.{name}]\npreset = \"oauth2\"\nlabel = \"Acme\"\nclient_id = \"acme-id\"\n\
             client_secret = \"acme-secret\"\nauth_url = \"{b}/authorize\"\ntoken_url = \"{b}/token\"\n\
             userinfo_url = \"{b}/api/me\"\n[providers.{name}.claims]\nsubject = \"/data/id\"\n\
             username = \"/data/attributes/handle\"\nname = \"/data/attributes/display_name\"\n\
             email = \"/data/attributes/contact/email\"\n\
             email_verified = \"/data/attributes/contact/confirmed\"\n"
        )
    }
}

async fn authorize(State(st): Op, Query(q): Query<HashMap<String, String>>) -> Response {
    let (Some(redirect_uri), Some(state)) = (param(&q, "redirect_uri"), param(&q, "state")) else {
        return (
            StatusCode::BAD_REQUEST,
            "redirect_uri and state are required",
        )
            .into_response();
    };
    if q.get("client_id").map(String::as_str) != Some("acme-id") {
        return (StatusCode::BAD_REQUEST, "unknown client").into_response();
    }
    let code = random_token();
    let grant = Grant {
        redirect_uri: redirect_uri.clone(),
        code_challenge: param(&q, "code_challenge").cloned(),
    };
    lock(&st).codes.insert(code.clone(), grant);
    redirect_back(
        redirect_uri,
        &[("code", &code), ("state", state)],
        StatusCode::SEE_OTHER,
    )
}

async fn token(State(st): Op, headers: HeaderMap, body: Bytes) -> Response {
    let f = form(&body);
    let mut st = lock(&st);
    if basic_client(&headers) != Some(("acme-id".into(), "acme-secret".into())) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    if f.get("grant_type").map(String::as_str) == Some("refresh_token") {
        let known = f
            .get("refresh_token")
            .is_some_and(|r| st.refresh_tokens.contains(r));
        if !known {
            let refused = Json(json!({"error": "invalid_grant"}));
            return (StatusCode::BAD_REQUEST, refused).into_response();
        }
        st.refreshes += 1;
        return issue(&mut st);
    }
    let grant = f.get("code").and_then(|c| st.codes.remove(c));
    let grant = grant.filter(|g| f.get("redirect_uri") == Some(&g.redirect_uri));
    if !grant.is_some_and(|g| pkce_ok(g.code_challenge.as_ref(), f.get("code_verifier"))) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    issue(&mut st)
}

/// A new access token and refresh token.
fn issue(st: &mut St) -> Response {
    let (access_token, refresh_token) = (random_token(), random_token());
    st.tokens.push(access_token.clone());
    st.refresh_tokens.push(refresh_token.clone());
    let expires_in = st.lifetime.unwrap_or(3600);
    Json(json!({"access_token": access_token, "token_type": "Bearer",
                "expires_in": expires_in, "refresh_token": refresh_token}))
    .into_response()
}

async fn me(State(st): Op, headers: HeaderMap) -> Response {
    let known =
        credential(&headers, &["Bearer"]).is_some_and(|t| lock(&st).tokens.iter().any(|k| k == t));
    if !known {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    Json(
        json!({"data": {"id": 7001, "type": "member", "attributes": {
        "handle": "grace", "display_name": "Grace Hopper",
        "contact": {"email": "grace@acme.example", "confirmed": true}}}}),
    )
    .into_response()
}
