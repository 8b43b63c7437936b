//! A fake GitHub as its docs describe it: the OAuth app flow under
//! /login/oauth (token answers form-encoded unless asked for JSON, errors
//! with HTTP 200) and the REST API's /user and /user/emails, which refuse
//! requests without a User-Agent. The API is served at / and at /api/v3
//! (GitHub Enterprise style); the API handlers live in api.rs.
#![allow(dead_code)]

mod api;
mod orgs;

pub use orgs::GithubOrg;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::fake_support::{form, param, pkce_ok, random_token, redirect_back, serve};

/// One entry of GET /user/emails.
#[derive(Clone, Debug)]
pub struct GithubEmail {
    /// The address.
    pub email: String,
    /// Whether it is the primary address.
    pub primary: bool,
    /// Whether GitHub verified it.
    pub verified: bool,
}

impl GithubEmail {
    /// An entry of the emails list.
    pub fn new(email: &str, primary: bool, verified: bool) -> Self {
        let email = email.to_owned();
        Self {
            email,
            primary,
            verified,
        }
    }
}

/// The user the fake signs in.
#[derive(Clone, Debug)]
pub struct GithubUser {
    /// The numeric id (the subject).
    pub id: u64,
    /// The login name.
    pub login: String,
    /// The display name.
    pub name: Option<String>,
    /// The public email on /user; `None` for a private email (`null`).
    pub public_email: Option<String>,
    /// GET /user/emails.
    pub emails: Vec<GithubEmail>,
    /// Organizations the user is a member of.
    pub orgs: Vec<GithubOrg>,
    /// Teams, as (organization login, team slug).
    pub teams: Vec<(String, String)>,
}

impl Default for GithubUser {
    fn default() -> Self {
        Self {
            id: 583231,
            login: "octocat".into(),
            name: Some("The Octocat".into()),
            public_email: None,
            emails: vec![GithubEmail::new("octocat@github.com", true, true)],
            orgs: Vec::new(),
            teams: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Knobs {
    deny: bool,
    ignore_accept: bool,
    emails_status: Option<u16>,
    orgs_body: Option<Value>,
    endless_pages: bool,
}

struct Grant {
    redirect_uri: String,
    code_challenge: Option<String>,
    scopes: Vec<String>,
    user: GithubUser,
}

#[derive(Default)]
struct St {
    user: GithubUser,
    knobs: Knobs,
    codes: HashMap<String, Grant>,
    tokens: HashMap<String, (Vec<String>, GithubUser)>,
    last_authorize_query: Option<HashMap<String, String>>,
    last_token_error: Option<String>,
    last_user_agent: Option<String>,
    orgs_pages: usize,
}

type Gh = State<Arc<Mutex<St>>>;

fn lock(st: &Mutex<St>) -> MutexGuard<'_, St> {
    st.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running fake GitHub; clones share the server and its knobs.
#[derive(Clone)]
pub struct FakeGithub {
    base: String,
    st: Arc<Mutex<St>>,
}

impl FakeGithub {
    /// The OAuth app's client id.
    pub const CLIENT_ID: &'static str = "Iv1.8a61f9b3a7aba766";
    /// The OAuth app's client secret.
    pub const CLIENT_SECRET: &'static str = "gh-secret";

    /// Serves a fake GitHub on 127.0.0.1:0.
    pub async fn start() -> FakeGithub {
        let st = Arc::new(Mutex::new(St::default()));
        let app = Router::new()
            .route("/login/oauth/authorize", get(authorize))
            .route("/login/oauth/access_token", post(access_token))
            .route("/user", get(api::user))
            .route("/user/emails", get(api::emails))
            .route("/api/v3/user", get(api::user))
            .route("/api/v3/user/emails", get(api::emails))
            .route("/user/orgs", get(orgs::orgs))
            .route("/user/teams", get(orgs::teams))
            .route("/api/v3/user/orgs", get(orgs::orgs))
            .route("/api/v3/user/teams", get(orgs::teams))
            .with_state(st.clone());
        FakeGithub {
            base: serve(app).await,
            st,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `[providers.NAME]` for this fake, with the API at `{base}{api_path}`.
    pub fn config(&self, name: &str, api_path: &str) -> String {
        let b = &self.base;
        format!(
            "[providers.{name}]\npreset = \"github\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n\
             api_url = \"{b}{api_path}\"\nauth_url = \"{b}/login/oauth/authorize\"\n\
             token_url = \"{b}/login/oauth/access_token\"\n",
            Self::CLIENT_ID,
            Self::CLIENT_SECRET
        )
    }

    /// Replaces the user signed in from now on.
    pub fn set_user(&self, user: GithubUser) {
        lock(&self.st).user = user;
    }

    /// Replaces the user's /user/emails list.
    pub fn set_emails(&self, emails: Vec<GithubEmail>) {
        lock(&self.st).user.emails = emails;
    }

    /// The user clicks "Cancel": the redirect carries error=access_denied.
    pub fn deny(&self) {
        lock(&self.st).knobs.deny = true;
    }

    /// The token endpoint answers form-encoded even when JSON is asked for.
    pub fn ignore_accept(&self) {
        lock(&self.st).knobs.ignore_accept = true;
    }

    /// /user/emails answers `status` (404 or 403, as for a token without user:email).
    pub fn emails_status(&self, status: u16) {
        lock(&self.st).knobs.emails_status = Some(status);
    }

    /// Replaces the user's organizations and teams.
    pub fn set_orgs(&self, orgs: Vec<GithubOrg>, teams: &[(&str, &str)]) {
        let mut st = lock(&self.st);
        st.user.orgs = orgs;
        st.user.teams = teams
            .iter()
            .map(|(o, t)| (o.to_string(), t.to_string()))
            .collect();
    }

    /// /user/orgs answers `body` (a shape GitHub never sends).
    pub fn orgs_body(&self, body: Value) {
        lock(&self.st).knobs.orgs_body = Some(body);
    }

    /// /user/orgs always links a next page.
    pub fn endless_pages(&self) {
        lock(&self.st).knobs.endless_pages = true;
    }

    /// How many /user/orgs pages were served.
    pub fn orgs_pages_served(&self) -> usize {
        lock(&self.st).orgs_pages
    }

    /// The query of the last /login/oauth/authorize.
    pub fn last_authorize_query(&self) -> Option<HashMap<String, String>> {
        lock(&self.st).last_authorize_query.clone()
    }

    /// The `error` of the last refused token request.
    pub fn last_token_error(&self) -> Option<String> {
        lock(&self.st).last_token_error.clone()
    }

    /// The User-Agent of the last API request.
    pub fn last_user_agent(&self) -> Option<String> {
        lock(&self.st).last_user_agent.clone()
    }
}

async fn authorize(State(st): Gh, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut st = lock(&st);
    st.last_authorize_query = Some(q.clone());
    if param(&q, "client_id").map(String::as_str) != Some(FakeGithub::CLIENT_ID) {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    let (Some(redirect_uri), Some(state)) = (param(&q, "redirect_uri"), param(&q, "state")) else {
        return (
            StatusCode::BAD_REQUEST,
            "redirect_uri and state are required",
        )
            .into_response();
    };
    let challenge = param(&q, "code_challenge").cloned();
    if challenge.is_some() && q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return (
            StatusCode::BAD_REQUEST,
            "code_challenge_method must be S256",
        )
            .into_response();
    }
    if st.knobs.deny {
        let pairs = [
            ("error", "access_denied"),
            (
                "error_description",
                "The user has denied your application access.",
            ),
            ("state", state.as_str()),
        ];
        return redirect_back(redirect_uri, &pairs, StatusCode::FOUND);
    }
    let code = random_token();
    let scopes = q
        .get("scope")
        .map(|s| s.split([' ', ',']).map(str::to_owned).collect());
    let grant = Grant {
        redirect_uri: redirect_uri.clone(),
        code_challenge: challenge,
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

/// GitHub answers token errors with HTTP 200, in the format the client asked for.
fn token_answer(json_wanted: bool, fields: &[(&str, &str)]) -> Response {
    if json_wanted {
        let map: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        return Json(Value::Object(map)).into_response();
    }
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let content_type = [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")];
    (content_type, body).into_response()
}

async fn access_token(State(st): Gh, headers: HeaderMap, body: Bytes) -> Response {
    let f = form(&body);
    let mut st = lock(&st);
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let json_wanted =
        !st.knobs.ignore_accept && accept.is_some_and(|a| a.contains("application/json"));
    let get = |k: &str| f.get(k).map(String::as_str);
    let error = if get("client_id") != Some(FakeGithub::CLIENT_ID)
        || get("client_secret") != Some(FakeGithub::CLIENT_SECRET)
    {
        Err("incorrect_client_credentials")
    } else {
        match f.get("code").and_then(|c| st.codes.remove(c)) {
            None => Err("bad_verification_code"),
            Some(g) if get("redirect_uri").is_some_and(|r| r != g.redirect_uri) => {
                Err("redirect_uri_mismatch")
            }
            Some(g) if !pkce_ok(g.code_challenge.as_ref(), f.get("code_verifier")) => {
                Err("bad_verification_code")
            }
            Some(g) => Ok(g),
        }
    };
    let grant = match error {
        Ok(grant) => grant,
        Err(error) => {
            st.last_token_error = Some(error.to_owned());
            let pairs = [
                ("error", error),
                (
                    "error_description",
                    "The code passed is incorrect or expired.",
                ),
            ];
            return token_answer(json_wanted, &pairs);
        }
    };
    let token = format!("gho_{}", random_token());
    let scope = grant.scopes.join(",");
    st.tokens.insert(token.clone(), (grant.scopes, grant.user));
    token_answer(
        json_wanted,
        &[
            ("access_token", &token),
            ("scope", &scope),
            ("token_type", "bearer"),
        ],
    )
}
