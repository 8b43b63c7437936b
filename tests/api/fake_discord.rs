//! A fake Discord as its docs describe it: /oauth2/authorize, the token
//! endpoint at /api/oauth2/token (client credentials by HTTP Basic, RFC 6749
//! JSON errors) and /api/users/@me, whose email and `verified` need the
//! email scope.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::fake_support::{basic_client, credential, form, param, pkce_ok, random_token};
use crate::fake_support::{redirect_back, serve};

/// The user the fake signs in.
#[derive(Clone, Debug)]
pub struct DiscordUser {
    /// The snowflake id.
    pub id: String,
    /// The unique username.
    pub username: String,
    /// The display name.
    pub global_name: Option<String>,
    /// The avatar hash (`a_` prefix: animated).
    pub avatar: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// Whether the email is verified.
    pub verified: bool,
}

impl Default for DiscordUser {
    fn default() -> Self {
        Self {
            id: "80351110224678912".into(),
            username: "nelly".into(),
            global_name: Some("Nelly".into()),
            avatar: Some("8342729096ea3675442027381ff50dfe".into()),
            email: Some("nelly@discord.com".into()),
            verified: true,
        }
    }
}

struct Grant {
    redirect_uri: String,
    code_challenge: Option<String>,
    scope: String,
    user: DiscordUser,
}

#[derive(Default)]
struct St {
    user: DiscordUser,
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, (String, DiscordUser)>,
    last_authorize_query: Option<HashMap<String, String>>,
}

type Dc = State<Arc<Mutex<St>>>;

fn lock(st: &Mutex<St>) -> MutexGuard<'_, St> {
    st.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake Discord; clones share the server.
#[derive(Clone)]
pub struct FakeDiscord {
    base: String,
    st: Arc<Mutex<St>>,
}

impl FakeDiscord {
    /// The application's client id (a snowflake).
    pub const CLIENT_ID: &'static str = "157730590492196864";
    /// The application's client secret.
    pub const CLIENT_SECRET: &'static str = "discord-secret";

    /// Serves a fake Discord on 127.0.0.1:0.
    pub async fn start() -> FakeDiscord {
        let st = Arc::new(Mutex::new(St::default()));
        let app = Router::new()
            .route("/oauth2/authorize", get(authorize))
            .route("/api/oauth2/token", post(token))
            .route("/api/users/@me", get(me))
            .with_state(st.clone());
        FakeDiscord {
            base: serve(app).await,
            st,
        }
    }

    /// `[providers.NAME]` for this fake.
    pub fn config(&self, name: &str) -> String {
        let b = &self.base;
        format!(
            "[providers.{name}]\npreset = \"discord\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
             api_url = \"{b}/api\"\nauth_url = \"{b}/oauth2/authorize\"\n",
            Self::CLIENT_ID,
            Self::CLIENT_SECRET
        )
    }

    /// Replaces the user signed in from now on.
    pub fn set_user(&self, user: DiscordUser) {
        lock(&self.st).user = user;
    }

    /// The query of the last /oauth2/authorize.
    pub fn last_authorize_query(&self) -> Option<HashMap<String, String>> {
        lock(&self.st).last_authorize_query.clone()
    }
}

async fn authorize(State(st): Dc, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut st = lock(&st);
    st.last_authorize_query = Some(q.clone());
    let known = param(&q, "client_id").map(String::as_str) == Some(FakeDiscord::CLIENT_ID);
    let (Some(redirect_uri), Some(state)) = (param(&q, "redirect_uri"), param(&q, "state")) else {
        return (StatusCode::BAD_REQUEST, "Invalid OAuth2 redirect_uri").into_response();
    };
    if !known || q.get("response_type").map(String::as_str) != Some("code") {
        return (StatusCode::BAD_REQUEST, "Unknown Application").into_response();
    }
    let code = random_token();
    let grant = Grant {
        redirect_uri: redirect_uri.clone(),
        code_challenge: param(&q, "code_challenge").cloned(),
        scope: q.get("scope").cloned().unwrap_or_default(),
        user: st.user.clone(),
    };
    st.codes.insert(code.clone(), grant);
    redirect_back(
        redirect_uri,
        &[("code", &code), ("state", state)],
        StatusCode::FOUND,
    )
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

async fn token(State(st): Dc, headers: HeaderMap, body: Bytes) -> Response {
    let f = form(&body);
    let mut st = lock(&st);
    let client = (
        FakeDiscord::CLIENT_ID.into(),
        FakeDiscord::CLIENT_SECRET.into(),
    );
    if basic_client(&headers) != Some(client) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Unknown client");
    }
    let grant = f.get("code").and_then(|c| st.codes.remove(c));
    let grant = grant.filter(|g| f.get("redirect_uri") == Some(&g.redirect_uri));
    let grant = grant.filter(|g| pkce_ok(g.code_challenge.as_ref(), f.get("code_verifier")));
    let Some(grant) = grant else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid \"code\" in request.",
        );
    };
    let access_token = random_token();
    st.tokens
        .insert(access_token.clone(), (grant.scope.clone(), grant.user));
    Json(
        json!({"access_token": access_token, "token_type": "Bearer", "expires_in": 604800,
                "refresh_token": random_token(), "scope": grant.scope}),
    )
    .into_response()
}

async fn me(State(st): Dc, headers: HeaderMap) -> Response {
    let st = lock(&st);
    let found = credential(&headers, &["Bearer"]).and_then(|t| st.tokens.get(t));
    let Some((scope, u)) = found else {
        let body = json!({"message": "401: Unauthorized", "code": 0});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    };
    if !scope.split(' ').any(|s| s == "identify") {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"message": "Missing Access", "code": 50001})),
        )
            .into_response();
    }
    let mut user = json!({"id": u.id, "username": u.username, "discriminator": "0",
        "global_name": u.global_name, "avatar": u.avatar, "bot": false, "mfa_enabled": false,
        "banner": null, "accent_color": null, "locale": "en-US", "flags": 0, "premium_type": 0,
        "public_flags": 0});
    if scope.split(' ').any(|s| s == "email") {
        user["email"] = json!(u.email);
        user["verified"] = Value::Bool(u.verified);
    }
    Json(user).into_response()
}
