//! The fake GitHub's GET /user/orgs and /user/teams as GitHub documents
//! them: pages of `per_page` (default 30, at most 100) with a Link header;
//! private org memberships listed only for tokens with read:org (or user),
//! and /user/teams refused without read:org, user or repo.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

use super::api::{api_error, authenticate};
use super::{lock, Gh};

/// An organization membership.
#[derive(Clone, Debug)]
pub struct GithubOrg {
    /// The organization's login.
    pub login: String,
    /// Whether the membership is public (private ones need read:org).
    pub public: bool,
}

impl GithubOrg {
    /// A membership of `login`.
    pub fn new(login: &str, public: bool) -> Self {
        Self {
            login: login.into(),
            public,
        }
    }
}

fn has_any(scopes: &[String], wanted: &[&str]) -> bool {
    scopes.iter().any(|s| wanted.contains(&s.as_str()))
}

pub(super) async fn orgs(
    State(st): Gh,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (scopes, user) = match authenticate(&st, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    let (forced, endless) = {
        let mut st = lock(&st);
        st.orgs_pages += 1;
        (st.knobs.orgs_body.clone(), st.knobs.endless_pages)
    };
    if let Some(body) = forced {
        return Json(body).into_response();
    }
    let private_ok = has_any(&scopes, &["read:org", "user", "admin:org"]);
    let items: Vec<Value> = user
        .orgs
        .iter()
        .filter(|o| o.public || private_ok)
        .map(|o| json!({"login": o.login, "id": 1, "url": "https://api.github.com/orgs/x"}))
        .collect();
    page(&headers, &q, items, uri.path(), endless)
}

pub(super) async fn teams(
    State(st): Gh,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (scopes, user) = match authenticate(&st, &headers) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    if !has_any(&scopes, &["read:org", "user", "repo"]) {
        return api_error(
            StatusCode::FORBIDDEN,
            "Resource not accessible by integration",
        );
    }
    let items = user
        .teams
        .iter()
        .map(|(org, slug)| json!({"slug": slug, "name": slug, "organization": {"login": org}}))
        .collect();
    page(&headers, &q, items, uri.path(), false)
}

/// One page of `items` with GitHub's Link header.
fn page(
    headers: &HeaderMap,
    q: &HashMap<String, String>,
    items: Vec<Value>,
    path: &str,
    endless: bool,
) -> Response {
    let per_page = q
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30usize)
        .clamp(1, 100);
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let last = items.len().div_ceil(per_page).max(1);
    let chunk: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let url = |n: usize| format!("<http://{host}{path}?per_page={per_page}&page={n}>");
    let mut links = Vec::new();
    if page < last || endless {
        links.push(format!("{}; rel=\"next\"", url(page + 1)));
        links.push(format!("{}; rel=\"last\"", url(last.max(page + 1))));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"first\"", url(1)));
    }
    let mut response = Json(chunk).into_response();
    if !links.is_empty() {
        if let Ok(v) = links.join(", ").parse() {
            response.headers_mut().insert(header::LINK, v);
        }
    }
    response
}
