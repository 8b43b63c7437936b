//! Sign-in routes: GET /auth/{name} begins, GET|POST /auth/{name}/callback
//! completes. The work is flow/'s; these handlers own the cookies.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use tower_cookies::Cookies;

use super::client::Client;
use super::error::{retrying, AppError};
use super::login_cookie::LoginCookie;
use super::return_to::ReturnTo;
use super::session_cookie;
use crate::flow::signin::{self, Callback, SignInContext};
use crate::flow::CallbackParams;
use crate::state::AppState;
use crate::store::ClientMeta;

/// GET /auth/{name}: 303 to the provider with a fresh login state.
pub async fn begin(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ReturnTo(next): ReturnTo,
    cookies: Cookies,
) -> Response {
    retrying(start(&state, &name, next.clone(), &cookies).await, &next)
}

async fn start(
    state: &AppState,
    name: &str,
    next: String,
    cookies: &Cookies,
) -> Result<Response, AppError> {
    let provider = state.providers.get(name).ok_or(AppError::UnknownProvider)?;
    let (url, login) = state.engine.begin(&provider, next).await?;
    LoginCookie::for_app(state).store_for(cookies, &provider, &login);
    Ok(Redirect::to(url.as_str()).into_response())
}

/// GET /auth/{name}/callback
pub async fn callback_get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Client(client): Client,
    headers: HeaderMap,
    cookies: Cookies,
    Query(params): Query<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, client, headers, cookies, params).await
}

/// POST /auth/{name}/callback (response_mode=form_post)
pub async fn callback_post(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Client(client): Client,
    headers: HeaderMap,
    cookies: Cookies,
    Form(params): Form<CallbackParams>,
) -> Result<Response, AppError> {
    complete(state, name, client, headers, cookies, params).await
}

async fn complete(
    state: AppState,
    name: String,
    client: ClientMeta,
    headers: HeaderMap,
    cookies: Cookies,
    params: CallbackParams,
) -> Result<Response, AppError> {
    let login = LoginCookie::for_app(&state).take(&cookies);
    let next = login
        .as_ref()
        .map_or_else(|| "/".to_owned(), |l| l.next.clone());
    let provider = state.providers.get(&name);
    let provider = match provider {
        Some(p) => p,
        None => return Ok(retrying(Err(AppError::UnknownProvider), &next)),
    };
    let callback = Callback {
        provider: &provider,
        login,
        params: &params,
        client,
        previous_session: session_cookie::token(&headers, state.session_cookie),
    };
    let live = state.live();
    let ctx = SignInContext {
        engine: &state.engine,
        db: &state.db,
        sessions: &state.sessions,
        access: &live.config.access,
        sealer: &state.keys.provider_tokens,
    };
    let done = match signin::complete(&ctx, callback).await {
        Ok(done) => done,
        Err(e) => return Ok(retrying(Err(e.into()), &next)),
    };
    if let Some(token) = done.token {
        session_cookie::set(&state, &cookies, token);
        super::login::remember_provider(&state, &cookies, &name);
    }
    Ok(Redirect::to(&done.next).into_response())
}
