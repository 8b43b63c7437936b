//! HTML pages: GET / (who you are), GET /login (one button per provider), POST /logout.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use tower_cookies::Cookies;

use super::error::{accepts_json, AppError};
use super::return_to::ReturnTo;
use super::session_cookie;
use crate::flow::{end_session, host_matches};
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
    Ok(Html(state.templates.render("home.html", ctx)?).into_response())
}

#[derive(Debug, Clone, Serialize)]
struct Button<'a> {
    name: &'a str,
    label: &'a str,
    icon: Option<&'a str>,
    /// The brand colour, for templates that colour the buttons.
    color: &'a str,
}

/// GET /login: the sign-in page; a client that asks for JSON gets 401 with
/// the page's URL (a proxy may serve this page in place of a 401).
pub async fn login(
    State(state): State<AppState>,
    ReturnTo(next): ReturnTo,
    headers: HeaderMap,
) -> Result<Html<String>, AppError> {
    if accepts_json(&headers) {
        let login_url = format!(
            "{}/login?next={}",
            state.config.base_url(),
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return Err(AppError::SignInRequired { login_url });
    }
    let registry = state.providers.load();
    let providers: Vec<Button> = registry
        .iter()
        .map(|p| Button {
            name: &p.name,
            label: &p.label,
            icon: p.icon.as_deref(),
            color: p.color,
        })
        .collect();
    let ctx = minijinja::context! { providers => Serde(providers), next };
    Ok(Html(state.templates.render("login.html", ctx)?))
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf_token: Option<String>,
}

/// POST /logout: ends the session server-side when the request is from this
/// site, then continues at the provider's end_session_endpoint when its
/// provider says end_session.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    cookies: Cookies,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Result<Response, AppError> {
    let token = session_cookie::token(&headers, state.session_cookie);
    let csrf = form.ok().and_then(|f| f.0.csrf_token);
    let origin = same_origin(&state, &headers);
    let Some(token) = token else {
        if origin == Some(false) {
            return Err(AppError::CrossSite);
        }
        return Ok(Redirect::to(&state.config.path("/login")).into_response());
    };
    let csrf_ok = csrf.is_some_and(|c| state.keys.csrf_valid(&hash_token(&token), &c));
    if origin != Some(true) && !csrf_ok {
        return Err(AppError::CrossSite);
    }
    let end_session = end_session::prepare(&state, &token).await;
    state.sessions.end(&token).await?;
    session_cookie::clear(&state, &cookies);
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

/// Some(true): Origin is ours, or no Origin and Sec-Fetch-Site says same-origin.
/// Some(false): another site. None: the request does not say.
pub(super) fn same_origin(state: &AppState, headers: &HeaderMap) -> Option<bool> {
    let value = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = value(header::ORIGIN) {
        return Some(origin == state.config.public_origin() || is_allowed_origin(state, origin));
    }
    match value(header::HeaderName::from_static("sec-fetch-site")) {
        Some("same-origin") => Some(true),
        Some("none") | None => None,
        Some(_) => Some(false),
    }
}

/// An https origin on one of the allowed redirect hosts (no explicit port)
/// is one of ours too (they need cookie_domain, checked at start).
fn is_allowed_origin(state: &AppState, origin: &str) -> bool {
    origin.strip_prefix("https://").is_some_and(|host| {
        state
            .config
            .server
            .allowed_redirect_hosts
            .iter()
            .any(|pattern| host_matches(pattern, host))
    })
}
