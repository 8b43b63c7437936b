//! The user's sessions: GET /api/sessions lists the live ones; POST
//! /api/sessions/{id}/revoke ends one, POST /api/sessions/revoke-others all
//! but this one. Actions answer 204 to JSON and Bearer clients, else 303 to
//! /account.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::client::Client;
use super::error::AppError;
use super::same_origin::{self, CsrfForm};
use super::session_cookie::SignedIn;
use crate::state::AppState;

/// GET /api/sessions: [{id, created_at, last_seen_at, ip, user_agent, current}].
pub async fn list(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
) -> Result<Json<Value>, AppError> {
    let current = active.session.id;
    let rows = state.sessions.list(active.session.user.id).await?;
    let list = rows
        .iter()
        .map(|s| {
            json!({
                "id": s.id.to_string(),
                "created_at": rfc3339(s.created_at),
                "last_seen_at": rfc3339(s.last_seen_at),
                "ip": s.ip,
                "user_agent": s.user_agent,
                "current": s.id == current,
            })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

/// POST /api/sessions/{id}/revoke: another user's (or an unknown) id is a 404.
pub async fn revoke(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
    Client(client): Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let csrf = form.ok().and_then(|f| f.0.csrf_token);
    same_origin::check(&state, &headers, &active.token_hash, csrf.as_deref())?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::Missing("no such session"))?;
    let owner = active.session.user.id;
    state
        .sessions
        .revoke(id, Some(owner), &client)
        .await
        .map_err(|e| AppError::not_found(e, "no such session"))?;
    Ok(done(&state, &headers))
}

/// POST /api/sessions/revoke-others: ends every session but this one.
pub async fn revoke_others(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
    Client(client): Client,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let csrf = form.ok().and_then(|f| f.0.csrf_token);
    same_origin::check(&state, &headers, &active.token_hash, csrf.as_deref())?;
    let user = active.session.user.id;
    state
        .sessions
        .revoke_others(user, active.session.id, &client)
        .await?;
    Ok(done(&state, &headers))
}

/// 204 for JSON and Bearer clients, 303 to the account page for forms.
fn done(state: &AppState, headers: &HeaderMap) -> Response {
    if same_origin::wants_no_page(headers) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        Redirect::to(&state.config.path("/account")).into_response()
    }
}

/// RFC 3339 text of a time (empty if it cannot be formatted).
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}
