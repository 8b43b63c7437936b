//! The fake GitHub's REST API: GET /user and /user/emails, behind GitHub's
//! gate (a User-Agent first, then a `Bearer` or `token` credential).

use std::sync::Mutex;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{lock, Gh, GithubUser, St};
use crate::fake_support::credential;

const NO_USER_AGENT: &str = "Request forbidden by administrative rules. Please make sure your \
    request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). \
    Check https://developer.github.com for other possible causes.\n";

pub(super) fn api_error(status: StatusCode, message: &str) -> Response {
    let doc = "https://docs.github.com/rest";
    let body = json!({"message": message, "documentation_url": doc, "status": status.as_str()});
    (status, Json(body)).into_response()
}

/// Why the API refused a request.
pub(super) enum Refusal {
    NoUserAgent,
    BadCredentials,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::NoUserAgent => {
                let text = [(header::CONTENT_TYPE, "text/plain")];
                (StatusCode::FORBIDDEN, text, NO_USER_AGENT).into_response()
            }
            Refusal::BadCredentials => api_error(StatusCode::UNAUTHORIZED, "Bad credentials"),
        }
    }
}

/// The API's gate: a User-Agent, then a valid `Bearer` or `token` credential.
pub(super) fn authenticate(
    st: &Mutex<St>,
    headers: &HeaderMap,
) -> Result<(Vec<String>, GithubUser), Refusal> {
    let mut st = lock(st);
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    st.last_user_agent = ua.map(str::to_owned);
    if ua.is_none_or(str::is_empty) {
        return Err(Refusal::NoUserAgent);
    }
    credential(headers, &["Bearer", "token"])
        .and_then(|t| st.tokens.get(t).cloned())
        .ok_or(Refusal::BadCredentials)
}

pub(super) async fn user(State(st): Gh, headers: HeaderMap) -> Response {
    let (_, u) = match authenticate(&st, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    Json(json!({
        "login": u.login, "id": u.id, "node_id": "MDQ6VXNlcjE=",
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", u.id),
        "html_url": format!("https://github.com/{}", u.login), "type": "User",
        "site_admin": false, "name": u.name, "company": null, "blog": "",
        "location": null, "email": u.public_email, "bio": null,
        "public_repos": 8, "followers": 20, "following": 0,
        "created_at": "2011-01-25T18:44:36Z", "updated_at": "2024-01-22T12:00:00Z",
    }))
    .into_response()
}

pub(super) async fn emails(State(st): Gh, headers: HeaderMap) -> Response {
    let (scopes, u) = match authenticate(&st, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    let forced = lock(&st).knobs.emails_status;
    if let Some(code) = forced {
        let status = StatusCode::from_u16(code).expect("a status code");
        return api_error(status, "Not Found");
    }
    if !scopes.iter().any(|s| s == "user:email" || s == "user") {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    }
    let list: Vec<Value> = u
        .emails
        .iter()
        .map(|e| {
            let visibility = if e.primary { json!("private") } else { Value::Null };
            json!({"email": e.email, "primary": e.primary, "verified": e.verified, "visibility": visibility})
        })
        .collect();
    Json(list).into_response()
}
