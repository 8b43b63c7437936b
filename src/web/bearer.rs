//! Who a request speaks for: a doorman Bearer access token when
//! `[api_tokens]` is on and the Authorization header claims to be ours,
//! else the session cookie. Other services' bearer tokens are ignored.

use axum::http::{header, HeaderMap};

use super::error::AppError;
use super::session_cookie;
use crate::session::Lookup;
use crate::state::AppState;

/// The Bearer value of the Authorization header, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether the request speaks with a doorman access token (after
/// [`authenticate`] accepted it, the token is valid). A browser never
/// attaches one cross-site, so the same-origin rule does not apply to it.
pub fn is_doormans(state: &AppState, headers: &HeaderMap) -> bool {
    state.api_tokens.enabled()
        && bearer(headers).is_some_and(|t| state.api_tokens.claims_to_be_ours(t))
}

/// The request's session, from a doorman access token or the cookie.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Lookup, AppError> {
    if state.api_tokens.enabled() {
        if let Some(token) = bearer(headers).filter(|t| state.api_tokens.claims_to_be_ours(t)) {
            return match state
                .api_tokens
                .lookup_bearer(&state.sessions, token)
                .await?
            {
                Lookup::None => Err(AppError::InvalidToken),
                other => Ok(other),
            };
        }
    }
    session_cookie::lookup(state, headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bearer_scheme_is_read() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "bearer abc".parse().unwrap());
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer ".parse().unwrap());
        assert_eq!(bearer(&h), None);
    }
}
