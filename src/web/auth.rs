//! Sign-in routes: GET /auth/{name} begins, GET|POST /auth/{name}/callback completes.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use tower_cookies::Cookies;

use super::error::AppError;
use super::return_to::ReturnTo;
use super::session_cookie;
use crate::flow::CallbackParams;
use crate::session::ClientMeta;
use crate::state::AppState;
use crate::store;

/// GET /auth/{name}: 303 to the provider with a fresh login state.
pub async fn begin(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ReturnTo(next): ReturnTo,
    cookies: Cookies,
) -> Result<Response, AppError> {
    let provider = state
        .providers
        .get(&name)
        .ok_or(AppError::UnknownProvider)?;
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    cookies: Cookies,
    Query(params): Query<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, peer, headers, cookies, params).await
}

/// POST /auth/{name}/callback (response_mode=form_post)
pub async fn callback_post(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    cookies: Cookies,
    Form(params): Form<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, peer, headers, cookies, params).await
}

async fn complete(
    state: AppState,
    name: String,
    peer: SocketAddr,
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
    let result = state.engine.complete(&provider, login, &params).await;
    metrics::counter!("doorman_sign_ins_total", "provider" => name.clone(),
        "outcome" => if result.is_ok() { "success" } else { "failure" })
    .increment(1);
    let sign_in = store::upsert_identity(&state.db, &result?).await?;
    if let Some(old) = session_cookie::token(&headers, state.session_cookie) {
        state.sessions.end(&old).await?;
    }
    let meta = ClientMeta {
        ip: Some(
            state
                .trusted_proxies
                .client_ip(peer.ip(), &headers)
                .to_string(),
        ),
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
