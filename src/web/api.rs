//! GET /api/me (JSON) and GET /auth/verify (forward-auth headers).

use std::borrow::Cow;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::error::AppError;
use super::rules::QueryRules;
use super::session_cookie::SignedIn;
use crate::state::AppState;
use crate::store;

/// GET /api/me
pub async fn me(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
) -> Result<Json<serde_json::Value>, AppError> {
    let identities = store::user_identities(&state.db, active.session.user.id).await?;
    let user = &active.session.user;
    Ok(Json(json!({
        "id": user.id.to_string(),
        "name": user.name,
        "email": user.email,
        "email_verified": user.email_verified,
        "avatar_url": user.avatar_url,
        "groups": active.groups().groups,
        "identities": identities.iter().map(|i| json!({
            "id": i.id.to_string(), "provider": i.provider, "subject": i.subject,
            "username": i.username,
        })).collect::<Vec<_>>(),
    })))
}

/// Everything outside visible ASCII, plus `%` itself.
const HEADER_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'%');

/// /auth/verify's query (besides the rules).
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    /// The assertion's audience for this location.
    aud: Option<String>,
}

/// GET /auth/verify: 200 with X-Auth-Request-* headers when every query
/// rule holds; 401 signed out; 403 disabled or refused by a rule.
pub async fn verify(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
    uri: Uri,
    Query(query): Query<VerifyQuery>,
) -> Result<Response, AppError> {
    QueryRules::parse(uri.query()).check(&active)?;
    let assertion = super::assertion::for_session(&state, &active, query.aud.as_deref())?;
    let mut response = ().into_response();
    // Room for every header of this answer and of the frame: it never grows.
    *response.headers_mut() = HeaderMap::with_capacity(16);
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let encoded: Cow<'_, str> = utf8_percent_encode(v, HEADER_UNSAFE).into();
            if let Ok(v) = HeaderValue::from_str(&encoded) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    };
    let user = &active.session.user;
    let mut id = Uuid::encode_buffer();
    put(
        "x-auth-request-user",
        Some(user.id.hyphenated().encode_lower(&mut id)),
    );
    put(
        "x-auth-request-email",
        user.email.as_deref().filter(|_| user.email_verified),
    );
    put(
        "x-auth-request-preferred-username",
        active.session.username.as_deref(),
    );
    // Already encoded (`,` and `%` inside names too): set as it is.
    if let Some(groups) = active.groups().header.as_deref() {
        if let Ok(v) = HeaderValue::from_str(groups) {
            headers.insert(HeaderName::from_static("x-auth-request-groups"), v);
        }
    }
    if let Some(jwt) = assertion {
        headers.insert(HeaderName::from_static("x-auth-request-jwt"), jwt);
    }
    super::access_token::add_header(&state, &active.session, response.headers_mut()).await;
    Ok(response)
}
