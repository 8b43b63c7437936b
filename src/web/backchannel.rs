//! POST /auth/{name}/backchannel-logout: OpenID Connect Back-Channel Logout
//! 1.0. Server to server: no cookie, no same-origin rule; 200 with
//! Cache-Control: no-store (also when no session matched), 400
//! {"error": "invalid_request"} for anything invalid.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use super::error::AppError;
use crate::flow::backchannel::{self, LogoutError};
use crate::state::AppState;

/// The largest body accepted (a logout token over 64 KiB is refused).
pub const BODY_LIMIT: usize = 64 * 1024 + 1024;

/// The form the provider posts.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    logout_token: String,
}

/// POST /auth/{name}/backchannel-logout
pub async fn logout(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Result<Response, AppError> {
    let invalid = |why: String| AppError::Logout(LogoutError::Invalid(why));
    let Form(form) = form.map_err(|e| invalid(e.body_text()))?;
    let provider = state
        .providers
        .get(&name)
        .ok_or_else(|| invalid("unknown provider".into()))?;
    let token = form.logout_token.trim();
    backchannel::logout(&state.engine, &state.sessions, &state.db, &provider, token).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], StatusCode::OK).into_response())
}
