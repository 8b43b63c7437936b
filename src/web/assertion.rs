//! X-Auth-Request-Jwt: the signed assertion /auth/verify adds when
//! `[forward_auth] jwt_assertion` is on. One per session and audience is
//! kept in the session's cache entry until a minute before its exp.

use axum::http::HeaderValue;
use time::OffsetDateTime;

use super::error::AppError;
use crate::jwt::{AssertionClaims, ASSERTION_LIFETIME};
use crate::session::ActiveSession;
use crate::state::AppState;

/// The longest `aud` parameter accepted; a longer one falls back to the default.
const MAX_AUDIENCE: usize = 512;

/// The assertion for this session and audience (`aud` from the query, else
/// `[forward_auth] jwt_audience`, else public_url), or None when off.
pub fn for_session(
    state: &AppState,
    active: &ActiveSession,
    aud: Option<&str>,
) -> Result<Option<HeaderValue>, AppError> {
    let session = &active.session;
    // [forward_auth] is reloadable: read the current snapshot.
    let live = state.live.load();
    let config = &live.config;
    if !config.forward_auth.jwt_assertion {
        return Ok(None);
    }
    let origin = config.public_origin();
    let issuer = config.base_url();
    let api_audience = format!("{issuer}/api");
    let fallback = config
        .forward_auth
        .jwt_audience
        .as_deref()
        .unwrap_or(&origin);
    let audience = aud
        .filter(|a| !a.is_empty() && a.len() <= MAX_AUDIENCE && *a != api_audience)
        .unwrap_or(fallback);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    if let Some(header) = session.memo.assertion(audience, now) {
        return Ok(Some(header));
    }
    let user = &session.user;
    let groups = active.groups();
    let claims = AssertionClaims {
        iss: &issuer,
        aud: audience,
        sub: user.id.to_string(),
        email: user.email.as_deref().filter(|_| user.email_verified),
        email_verified: user.email_verified && user.email.is_some(),
        name: user.name.as_deref(),
        preferred_username: session.username.as_deref(),
        groups: &groups.groups,
        iat: now,
        exp: now + ASSERTION_LIFETIME,
    };
    let assertion = state.jwt.sign_assertion(&claims)?;
    Ok(session.memo.keep_assertion(audience, assertion, now))
}
