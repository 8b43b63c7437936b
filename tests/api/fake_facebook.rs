//! A fake Facebook as its docs describe it: the login dialog, the Graph
//! token endpoint and GET /me, all under a version path (/v23.0/...). /me
//! demands a valid appsecret_proof (an app with "Require App Secret" on),
//! answers only the requested fields, and the email only with that permission.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::fake_support::{credential, form, param, pkce_ok, random_token, redirect_back, serve};

/// The user the fake signs in.
#[derive(Clone, Debug)]
pub struct FacebookUser {
    /// The app-scoped user id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The confirmed email, if the account has one.
    pub email: Option<String>,
}

impl Default for FacebookUser {
    fn default() -> Self {
        Self {
            id: "10158473617389012".into(),
            name: "Ada Lovelace".into(),
            email: Some("ada@example.com".into()),
        }
    }
}

struct Grant {
    redirect_uri: String,
    code_challenge: Option<String>,
    scopes: Vec<String>,
    user: FacebookUser,
}

#[derive(Default)]
struct St {
    user: FacebookUser,
    deny: bool,
    codes: HashMap<String, Grant>,
    used_codes: Vec<String>,
    tokens: HashMap<String, (Vec<String>, FacebookUser)>,
    versions: Vec<String>,
    last_authorize_query: Option<HashMap<String, String>>,
}

type Fb = State<Arc<Mutex<St>>>;

fn lock(st: &Mutex<St>) -> MutexGuard<'_, St> {
    st.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake Facebook; clones share the server and its knobs.
#[derive(Clone)]
pub struct FakeFacebook {
    base: String,
    st: Arc<Mutex<St>>,
}

impl FakeFacebook {
    /// The app id.
    pub const APP_ID: &'static str = "1234567890123456";
    /// The app secret.
    pub const APP_SECRET: &'static str = "fb-app-secret";

    /// Serves a fake Facebook on 127.0.0.1:0.
    pub async fn start() -> FakeFacebook {
        let st = Arc::new(Mutex::new(St::default()));
        let app = Router::new()
            .route("/{version}/dialog/oauth", get(dialog))
            .route("/{version}/oauth/access_token", post(access_token))
            .route("/{version}/me", get(me))
            .with_state(st.clone());
        FakeFacebook {
            base: serve(app).await,
            st,
        }
    }

    /// `http://127.0.0.1:PORT`, the Graph base.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `[providers.NAME]` for this fake at Graph API `version` (None: the preset's default).
    pub fn config(&self, name: &str, version: Option<&str>) -> String {
        let b = &self.base;
        let dialog = version.unwrap_or(doorman::providers::facebook::DEFAULT_API_VERSION);
        let api_version = version.map(|v| format!("api_version = \"{v}\"\n"));
        format!(
            "[providers.{name}]\npreset = \"facebook\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
             api_url = \"{b}\"\nauth_url = \"{b}/{dialog}/dialog/oauth\"\n{}",
            Self::APP_ID,
            Self::APP_SECRET,
            api_version.unwrap_or_default()
        )
    }

    /// Replaces the user signed in from now on.
    pub fn set_user(&self, user: FacebookUser) {
        lock(&self.st).user = user;
    }

    /// The user clicks "Cancel" in the dialog.
    pub fn deny(&self) {
        lock(&self.st).deny = true;
    }

    /// The version path of every token and Graph request, in order.
    pub fn versions(&self) -> Vec<String> {
        lock(&self.st).versions.clone()
    }

    /// The query of the last dialog request.
    pub fn last_authorize_query(&self) -> Option<HashMap<String, String>> {
        lock(&self.st).last_authorize_query.clone()
    }
}

/// Graph's error shape.
fn graph_error(status: StatusCode, kind: &str, code: u32, message: &str) -> Response {
    let trace = "AbCdEfGhIjKlMnOp";
    let body =
        json!({"error": {"message": message, "type": kind, "code": code, "fbtrace_id": trace}});
    (status, Json(body)).into_response()
}

async fn dialog(State(st): Fb, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut st = lock(&st);
    st.last_authorize_query = Some(q.clone());
    if param(&q, "client_id").map(String::as_str) != Some(FakeFacebook::APP_ID) {
        return (StatusCode::BAD_REQUEST, "Invalid App ID").into_response();
    }
    let (Some(redirect_uri), Some(state)) = (param(&q, "redirect_uri"), param(&q, "state")) else {
        return (
            StatusCode::BAD_REQUEST,
            "redirect_uri and state are required",
        )
            .into_response();
    };
    if st.deny {
        let pairs = [
            ("error", "access_denied"),
            ("error_code", "200"),
            ("error_description", "Permissions error"),
            ("error_reason", "user_denied"),
            ("state", state.as_str()),
        ];
        return redirect_back(redirect_uri, &pairs, StatusCode::FOUND);
    }
    let code = random_token();
    let scopes = q
        .get("scope")
        .map(|s| s.split([',', ' ']).map(str::to_owned).collect());
    let grant = Grant {
        redirect_uri: redirect_uri.clone(),
        code_challenge: param(&q, "code_challenge").cloned(),
        scopes: scopes.unwrap_or_default(),
        user: st.user.clone(),
    };
    st.codes.insert(code.clone(), grant);
    redirect_back(
        redirect_uri,
        &[("code", &code), ("state", state)],
        StatusCode::FOUND,
    )
}

async fn access_token(State(st): Fb, Path(version): Path<String>, body: Bytes) -> Response {
    let f = form(&body);
    let mut st = lock(&st);
    st.versions.push(version);
    let get = |k: &str| f.get(k).map(String::as_str);
    if get("client_id") != Some(FakeFacebook::APP_ID)
        || get("client_secret") != Some(FakeFacebook::APP_SECRET)
    {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "OAuthException",
            1,
            "Error validating client secret.",
        );
    }
    let code = get("code").unwrap_or_default().to_owned();
    if st.used_codes.contains(&code) {
        let body = json!({"error": {"message": "This authorization code has been used.",
            "type": "OAuthException", "code": 100, "error_subcode": 36009, "fbtrace_id": "AbCd"}});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    let Some(grant) = st.codes.remove(&code) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "OAuthException",
            100,
            "Invalid verification code format.",
        );
    };
    st.used_codes.push(code);
    if get("redirect_uri") != Some(&grant.redirect_uri)
        || !pkce_ok(grant.code_challenge.as_ref(), f.get("code_verifier"))
    {
        let message =
            "Error validating verification code. Please make sure your redirect_uri is identical \
                       to the one you used in the OAuth dialog request";
        return graph_error(StatusCode::BAD_REQUEST, "OAuthException", 100, message);
    }
    let token = format!("EAAB{}", random_token());
    st.tokens.insert(token.clone(), (grant.scopes, grant.user));
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 5183944}))
        .into_response()
}

/// The fake's own appsecret_proof: hex HMAC-SHA256 of the token under the app secret.
fn expected_proof(token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(FakeFacebook::APP_SECRET.as_bytes()).expect("key");
    mac.update(token.as_bytes());
    let bytes = mac.finalize().into_bytes();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn me(
    State(st): Fb,
    Path(version): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut st = lock(&st);
    st.versions.push(version);
    let token =
        credential(&headers, &["Bearer", "OAuth"]).or(q.get("access_token").map(String::as_str));
    let Some((scopes, user)) = token.and_then(|t| st.tokens.get(t)) else {
        let message =
            "An active access token must be used to query information about the current user.";
        return graph_error(StatusCode::BAD_REQUEST, "OAuthException", 2500, message);
    };
    match param(&q, "appsecret_proof") {
        None => {
            let message = "API calls from the server require an appsecret_proof argument";
            return graph_error(
                StatusCode::BAD_REQUEST,
                "GraphMethodException",
                100,
                message,
            );
        }
        Some(proof) if *proof != expected_proof(token.unwrap_or_default()) => {
            let message = "Invalid appsecret_proof provided in the API argument";
            return graph_error(
                StatusCode::BAD_REQUEST,
                "GraphMethodException",
                100,
                message,
            );
        }
        Some(_) => {}
    }
    let fields = q.get("fields").map(String::as_str).unwrap_or("id,name");
    let mut answer = json!({"id": user.id});
    for field in fields.split(',') {
        match field {
            "name" => answer["name"] = json!(user.name),
            "email" if scopes.iter().any(|s| s == "email") => {
                if let Some(email) = &user.email {
                    answer["email"] = json!(email);
                }
            }
            "picture" => {
                let url = format!("https://platform-lookaside.fbsbx.com/platform/profilepic/?asid={}&height=50&width=50", user.id);
                answer["picture"] = json!({"data": {"height": 50, "is_silhouette": false, "url": url, "width": 50}});
            }
            _ => {}
        }
    }
    Json(answer).into_response()
}
