//! GET /api/me (JSON) and GET /auth/verify (forward-auth headers).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

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

const X_USER: HeaderName = HeaderName::from_static("x-auth-request-user");
const X_EMAIL: HeaderName = HeaderName::from_static("x-auth-request-email");
const X_PREFERRED_USERNAME: HeaderName =
    HeaderName::from_static("x-auth-request-preferred-username");
const X_GROUPS: HeaderName = HeaderName::from_static("x-auth-request-groups");

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
    // Encoded once, when the session was cached.
    let identity = &active.session.headers;
    for (name, value) in [
        (X_USER, &identity.user),
        (X_EMAIL, &identity.email),
        (X_PREFERRED_USERNAME, &identity.preferred_username),
    ] {
        if let Some(value) = value {
            headers.insert(name, value.clone());
        }
    }
    // Already encoded (`,` and `%` inside names too): set as it is.
    if let Some(groups) = active.groups().header.as_deref() {
        if let Ok(v) = HeaderValue::from_str(groups) {
            headers.insert(X_GROUPS, v);
        }
    }
    if let Some(jwt) = assertion {
        headers.insert(HeaderName::from_static("x-auth-request-jwt"), jwt);
    }
    super::access_token::add_header(&state, &active.session, response.headers_mut()).await;
    Ok(response)
}
