//! Linking and unlinking identities: POST /auth/{name}/link starts a link
//! (a recent session, from this site), POST /account/unlink removes one.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use time::OffsetDateTime;
use tower_cookies::Cookies;
use uuid::Uuid;

use super::client::Client;
use super::error::AppError;
use super::login_cookie::LoginCookie;
use super::same_origin::{self, CsrfForm};
use super::session_cookie::SignedIn;
use crate::state::AppState;
use crate::store;

/// POST /auth/{name}/link: 303 to the provider, with a login state that
/// records the session asking. A session older than link_max_age gets 403.
pub async fn begin(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
    Path(name): Path<String>,
    headers: HeaderMap,
    cookies: Cookies,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let csrf = form.ok().and_then(|f| f.0.csrf_token);
    same_origin::check(&state, &headers, &active.token_hash, csrf.as_deref())?;
    let provider = state
        .providers
        .get(&name)
        .ok_or(AppError::UnknownProvider)?;
    let row = store::find_session_by_id(&state.db, active.session.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let age = OffsetDateTime::now_utc() - row.created_at;
    if age > state.config.accounts.link_max_age {
        return Err(AppError::ReauthRequired);
    }
    let account = state.config.path("/account");
    let (url, mut login) = state.engine.begin(&provider, account).await?;
    login.link_session = Some(active.session.id);
    LoginCookie::for_app(&state).store_for(&cookies, &provider, &login);
    Ok(Redirect::to(url.as_str()).into_response())
}

/// The unlink form.
#[derive(Debug, Deserialize)]
pub struct UnlinkForm {
    /// The identity's id.
    identity: Option<String>,
    /// The page's CSRF token.
    csrf_token: Option<String>,
}

/// POST /account/unlink: removes one of the user's identities (409 for the
/// last one or the one this session signed in with), 303 to /account.
pub async fn unlink(
    State(state): State<AppState>,
    SignedIn(active): SignedIn,
    Client(client): Client,
    headers: HeaderMap,
    form: Result<Form<UnlinkForm>, FormRejection>,
) -> Result<Response, AppError> {
    let form = form.ok().map(|f| f.0);
    let csrf = form.as_ref().and_then(|f| f.csrf_token.as_deref());
    same_origin::check(&state, &headers, &active.token_hash, csrf)?;
    let identity = form
        .and_then(|f| f.identity)
        .and_then(|id| Uuid::parse_str(&id).ok())
        .ok_or(AppError::BadRequest("`identity` must be an identity id"))?;
    let user = active.session.user.id;
    store::unlink_identity(&state.db, user, identity, active.session.id, &client)
        .await
        .map_err(|e| AppError::not_found(e, "no such identity"))?;
    state.sessions.forget_user(user);
    Ok(Redirect::to(&state.config.path("/account")).into_response())
}
