//! The rule for unsafe methods that act on a session: the Origin is this
//! site's; or, with no Origin, Sec-Fetch-Site says same-origin; or the form
//! carries a valid `csrf_token` (an HMAC of the session's token hash); or
//! the request carries a doorman Bearer access token.

use axum::http::{header, HeaderMap, HeaderName};
use serde::Deserialize;

use super::error::AppError;
use crate::flow::host_matches;
use crate::state::AppState;

/// A form whose only field that matters here is `csrf_token`.
#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    /// The token the page embedded.
    pub csrf_token: Option<String>,
}

/// Some(true): Origin is ours, or no Origin and Sec-Fetch-Site says same-origin.
/// Some(false): another site. None: the request does not say.
pub fn same_origin(state: &AppState, headers: &HeaderMap) -> Option<bool> {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = value(header::ORIGIN) {
        return Some(origin == state.config.public_origin() || is_allowed_origin(state, origin));
    }
    match value(HeaderName::from_static("sec-fetch-site")) {
        Some("same-origin") => Some(true),
        Some("none") | None => None,
        Some(_) => Some(false),
    }
}

/// An https origin on one of the allowed redirect hosts (no explicit port)
/// is one of ours too (they need cookie_domain, checked at start).
fn is_allowed_origin(state: &AppState, origin: &str) -> bool {
    origin.strip_prefix("https://").is_some_and(|host| {
        state
            .config
            .server
            .allowed_redirect_hosts
            .iter()
            .any(|pattern| host_matches(pattern, host))
    })
}

/// Passes a request from this site, one carrying the session's CSRF token,
/// or one authenticated by a doorman Bearer token; anything else is
/// [`AppError::CrossSite`] (403).
pub fn check(
    state: &AppState,
    headers: &HeaderMap,
    token_hash: &str,
    csrf_token: Option<&str>,
) -> Result<(), AppError> {
    if same_origin(state, headers) == Some(true) || super::bearer::is_doormans(state, headers) {
        return Ok(());
    }
    match csrf_token {
        Some(c) if state.keys.csrf_valid(token_hash, c) => Ok(()),
        _ => Err(AppError::CrossSite),
    }
}

/// Whether the client asked for a JSON answer (Accept: application/json)
/// or authenticates with a Bearer token: then actions answer 204, not 303.
pub fn wants_no_page(headers: &HeaderMap) -> bool {
    let has = |name, needle: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains(needle))
    };
    has(header::ACCEPT, "application/json") || has(header::AUTHORIZATION, "bearer ")
}
