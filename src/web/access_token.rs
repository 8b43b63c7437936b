//! X-Auth-Request-Access-Token on /auth/verify (`pass_access_token`): the
//! access token of the identity the session signed in with, refreshed first
//! when it is about to expire; left out when there is none or a refresh failed.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use crate::flow::access_token;
use crate::session::Cached;
use crate::state::AppState;

const HEADER: HeaderName = HeaderName::from_static("x-auth-request-access-token");

/// Adds the header when the session's provider passes its access token on.
pub async fn add_header(state: &AppState, session: &Cached, headers: &mut HeaderMap) {
    let Some(provider) = session
        .provider
        .as_deref()
        .and_then(|name| state.providers.get(name))
        .filter(|p| p.tokens.pass)
    else {
        return;
    };
    let source = access_token::source(state);
    let Some(token) = source.access_token(&provider, session.identity_id).await else {
        return;
    };
    match HeaderValue::from_str(&token) {
        Ok(mut value) => {
            value.set_sensitive(true);
            headers.insert(HEADER, value);
        }
        Err(_) => tracing::warn!(provider = %provider.name,
            "the provider's access token is not a valid header value; left out"),
    }
}
