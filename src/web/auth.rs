//! Sign-in routes: GET /auth/{name} begins, GET|POST /auth/{name}/callback completes.

use std::net::IpAddr;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use tower_cookies::Cookies;

use super::client_ip::ClientIp;
use super::error::AppError;
use super::session_cookie;
use crate::flow::{sanitize_next, CallbackParams};
use crate::session::ClientMeta;
use crate::state::AppState;
use crate::store;

/// `?next=`
#[derive(Debug, Deserialize)]
pub struct BeginQuery {
    next: Option<String>,
}

/// GET /auth/{name}: 303 to the provider with a fresh login state.
pub async fn begin(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<BeginQuery>,
    cookies: Cookies,
) -> Result<Response, AppError> {
    let provider = state
        .providers
        .get(&name)
        .ok_or(AppError::UnknownProvider)?;
    let next = sanitize_next(query.next.as_deref());
    let (url, login) = state.engine.begin(&provider, next).await?;
    if provider.cross_site_callback() {
        state.login_cookie.store_cross_site(&cookies, &login);
    } else {
        state.login_cookie.store(&cookies, &login);
    }
    Ok(Redirect::to(url.as_str()).into_response())
}

/// GET /auth/{name}/callback
pub async fn callback_get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    cookies: Cookies,
    Query(params): Query<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, ip, headers, cookies, params).await
}

/// POST /auth/{name}/callback (response_mode=form_post)
pub async fn callback_post(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    cookies: Cookies,
    Form(params): Form<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, ip, headers, cookies, params).await
}

async fn complete(
    state: AppState,
    name: String,
    ip: Option<IpAddr>,
    headers: HeaderMap,
    cookies: Cookies,
    params: CallbackParams,
) -> Result<Response, AppError> {
    let provider = state
        .providers
        .get(&name)
        .ok_or(AppError::UnknownProvider)?;
    let login = state.login_cookie.take(&cookies);
    let next = login
        .as_ref()
        .map(|l| l.next.clone())
        .unwrap_or_else(|| "/".into());
    let signed_in = match state.engine.complete(&provider, login, &params).await {
        Ok(profile) => store::upsert_identity(&state.db, &profile)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::from(e)),
    };
    metrics::counter!("doorman_sign_ins_total", "provider" => name.clone(),
        "outcome" => outcome(&signed_in))
    .increment(1);
    let sign_in = signed_in?;
    if let Some(old) = session_cookie::token(&headers, state.session_cookie) {
        state.sessions.end(&old).await?;
    }
    let meta = ClientMeta {
        ip: ip.map(|ip| ip.to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect()),
    };
    let token = state
        .sessions
        .start(sign_in.user.id, sign_in.identity.id, meta)
        .await?;
    state.sessions.forget_user(sign_in.user.id);
    tracing::info!(provider = %name, user = %sign_in.user.id, created = sign_in.created, "signed in");
    session_cookie::set(&state, &cookies, token);
    Ok(Redirect::to(&next).into_response())
}

/// The sign-in's outcome label: refused (disabled user, access rules),
/// failed (anything else), success.
fn outcome<T>(result: &Result<T, AppError>) -> &'static str {
    match result {
        Ok(_) => "success",
        Err(AppError::Store(store::Error::Disabled))
        | Err(AppError::Flow(crate::flow::FlowError::NotAllowed(_))) => "refused",
        Err(_) => "failed",
    }
}
