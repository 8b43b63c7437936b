//! POST /api/token (a session's first tokens, or the refresh_token grant)
//! and GET /.well-known/jwks.json.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::AppError;
use super::same_origin::same_origin;
use super::session_cookie;
use crate::session::{Lookup, TokenPair};
use crate::state::AppState;

/// The largest token request body read.
pub const MAX_TOKEN_BODY: usize = 64 * 1024;

/// A token request's fields (form-encoded or JSON).
#[derive(Debug, Default, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    refresh_token: Option<String>,
}

/// POST /api/token
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    if !state.api_tokens.enabled() {
        return Err(AppError::NotFound);
    }
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        _ => AppError::InvalidRequest("the request body could not be read"),
    })?;
    let pair = if body.iter().all(u8::is_ascii_whitespace) {
        from_session(&state, &headers).await?
    } else {
        let request = parse(&headers, &body)?;
        match request.grant_type.as_deref() {
            None => return Err(AppError::InvalidRequest("grant_type is required")),
            Some("refresh_token") => {
                let refresh = request.refresh_token.unwrap_or_default();
                state.api_tokens.refresh(&state.sessions, &refresh).await?
            }
            Some(_) => return Err(AppError::UnsupportedGrant),
        }
    };
    Ok(answer(pair))
}

/// The cookie path: same-origin only.
async fn from_session(state: &AppState, headers: &HeaderMap) -> Result<TokenPair, AppError> {
    let active = match session_cookie::lookup(state, headers).await? {
        Lookup::Active(active) => active,
        Lookup::Disabled => return Err(AppError::Disabled),
        Lookup::None => return Err(AppError::Unauthenticated),
    };
    if same_origin(state, headers) != Some(true) {
        return Err(AppError::CrossSite);
    }
    Ok(state.api_tokens.issue(&active.session).await?)
}

fn parse(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let parsed = if is_json {
        serde_json::from_slice(body).ok()
    } else {
        serde_urlencoded::from_bytes(body).ok()
    };
    parsed.ok_or(AppError::InvalidRequest(
        "the token request could not be read",
    ))
}

fn answer(pair: TokenPair) -> Response {
    let mut response = Json(json!({
        "access_token": pair.access_token,
        "token_type": "Bearer",
        "expires_in": pair.expires_in,
        "refresh_token": pair.refresh_token,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// GET /.well-known/jwks.json: the public keys, cacheable for five minutes.
pub async fn jwks(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        state.jwt.jwks().to_owned(),
    )
        .into_response()
}

/// A refresh that issued nothing, as the error contract answers it.
impl From<crate::session::RefreshError> for AppError {
    fn from(e: crate::session::RefreshError) -> Self {
        use crate::session::RefreshError as R;
        match e {
            R::InvalidGrant => AppError::InvalidGrant,
            R::Store(e) => AppError::Store(e),
            R::Sign(e) => AppError::Sign(e),
        }
    }
}

/// A Bearer token that gave no answer: 401, or the store's error.
impl From<crate::session::BearerFailure> for AppError {
    fn from(e: crate::session::BearerFailure) -> Self {
        match e {
            crate::session::BearerFailure::Invalid(e) => {
                tracing::debug!(error = %e, "Bearer token refused");
                AppError::InvalidToken
            }
            crate::session::BearerFailure::Store(e) => AppError::Store(e),
        }
    }
}
