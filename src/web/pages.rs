//! HTML pages: GET / (who you are, with a link to the account page), POST /logout.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use tower_cookies::Cookies;

use super::client::Client;
use super::error::AppError;
use super::same_origin::{self, CsrfForm};
use super::session_cookie;
use crate::flow::end_session;
use crate::session::{hash_token, Lookup};
use crate::state::AppState;

/// GET /: the signed-in page, or 303 to /login.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let active = match session_cookie::lookup(&state, &headers).await? {
        Lookup::Active(s) => s,
        Lookup::Disabled => return Err(AppError::Disabled),
        Lookup::None => return Ok(Redirect::to(&state.config.path("/login")).into_response()),
    };
    let active = *active;
    let ctx = minijinja::context! {
        user => minijinja::context! {
            id => active.session.user.id.to_string(),
            name => active.session.user.name.clone(),
            email => active.session.user.email.clone(),
            email_verified => active.session.user.email_verified,
        },
        csrf_token => state.keys.csrf_token(&active.token_hash),
    };
    Ok(Html(state.live().templates.render("home.html", ctx)?).into_response())
}

/// POST /logout: ends the session server-side when the request is from this
/// site, then continues at the provider's end_session_endpoint when its
/// provider says end_session.
pub async fn logout(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    cookies: Cookies,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, AppError> {
    let token = session_cookie::token(&headers, state.session_cookie);
    let csrf = form.ok().and_then(|f| f.0.csrf_token);
    let Some(token) = token else {
        if same_origin::same_origin(&state, &headers) == Some(false) {
            return Err(AppError::CrossSite);
        }
        return Ok(Redirect::to(&state.config.path("/login")).into_response());
    };
    same_origin::check(&state, &headers, &hash_token(&token), csrf.as_deref())?;
    let end_session = end_session::prepare(&state, &token).await;
    state.sessions.sign_out(&token, &client).await?;
    session_cookie::clear(&state, &cookies);
    super::login::mark_signed_out(&state, &cookies);
    let login = state.config.path("/login");
    let plan = match end_session {
        Some(plan) => {
            plan.url(
                &state.engine,
                format!("{}{login}", state.config.public_origin()),
            )
            .await
        }
        None => None,
    };
    match plan {
        Some(url) => Ok(Redirect::to(url.as_str()).into_response()),
        None => Ok(Redirect::to(&login).into_response()),
    }
}
