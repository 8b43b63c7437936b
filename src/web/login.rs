//! GET /login: one brand-coloured button per provider, the one this browser
//! last signed in with first; with `[ui] auto_redirect` and a single
//! provider, straight to it. The `doorman_last_provider` cookie is set here
//! after a successful sign-in and read back by the page.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use serde::Serialize;
use tower_cookies::cookie::{time::Duration as CookieDuration, SameSite};
use tower_cookies::{Cookie, Cookies};

use super::error::{accepts_json, AppError};
use super::return_to::ReturnTo;
use crate::providers::brand::{self, Brand};
use crate::state::AppState;

/// A provider's button.
#[derive(Debug, Clone, Serialize)]
pub struct Button {
    name: String,
    label: String,
    icon: Option<String>,
    brand: Option<Brand>,
    last: bool,
}

/// One button per configured provider, in config order, `last` first.
pub fn buttons(state: &AppState, last: Option<&str>) -> Vec<Button> {
    let mut buttons: Vec<Button> = state
        .providers
        .iter()
        .map(|p| Button {
            name: p.name.clone(),
            label: p.label.clone(),
            icon: p.icon.clone(),
            brand: brand::of(p.preset, p.color),
            last: last == Some(p.name.as_str()),
        })
        .collect();
    buttons.sort_by_key(|b| !b.last);
    buttons
}

/// GET /login: the sign-in page; a client that asks for JSON gets 401 with
/// the page's URL (a proxy may serve this page in place of a 401).
pub async fn login(
    State(state): State<AppState>,
    ReturnTo(next): ReturnTo,
    headers: HeaderMap,
    cookies: Cookies,
) -> Result<Response, AppError> {
    if accepts_json(&headers) {
        let login_url = format!(
            "{}/login?next={}",
            state.config.base_url(),
            urlencode(&next)
        );
        return Err(AppError::SignInRequired { login_url });
    }
    let signed_out = take_signed_out(&state, &cookies);
    let mut only = state.providers.iter();
    if let (Some(p), None) = (only.next(), only.next()) {
        if state.live().config.ui.auto_redirect && !signed_out {
            let to = state
                .config
                .path(&format!("/auth/{}?next={}", p.name, urlencode(&next)));
            return Ok(Redirect::to(&to).into_response());
        }
    }
    let last = last_provider(&state, &cookies);
    let providers = buttons(&state, last.as_deref());
    let ctx = minijinja::context! { providers => Serde(providers), next };
    Ok(Html(state.live().templates.render("login.html", ctx)?).into_response())
}

/// The last-provider cookie's name: `__Host-` on https.
fn cookie_name(state: &AppState) -> &'static str {
    if state.config.is_https() {
        "__Host-doorman_last_provider"
    } else {
        "doorman_last_provider"
    }
}

/// The cookie a logout leaves for the login page it lands on (directly or
/// back from the provider's end_session_endpoint): no auto_redirect there.
fn signed_out_name(state: &AppState) -> &'static str {
    if state.config.is_https() {
        "__Host-doorman_signed_out"
    } else {
        "doorman_signed_out"
    }
}

/// Marks this browser as just signed out (five minutes, read once).
pub fn mark_signed_out(state: &AppState, cookies: &Cookies) {
    if state.live().config.ui.auto_redirect {
        let cookie = base_cookie(state, signed_out_name(state), "1".into())
            .max_age(CookieDuration::minutes(5))
            .build();
        cookies.add(cookie);
    }
}

/// Whether a logout just landed here; the mark is removed.
fn take_signed_out(state: &AppState, cookies: &Cookies) -> bool {
    let name = signed_out_name(state);
    let marked = cookies.get(name).is_some();
    if marked {
        cookies.remove(base_cookie(state, name, String::new()).build());
    }
    marked
}

fn base_cookie(
    state: &AppState,
    name: &'static str,
    value: String,
) -> tower_cookies::cookie::CookieBuilder<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax)
}

/// The provider this browser last signed in with, if it is still configured.
fn last_provider(state: &AppState, cookies: &Cookies) -> Option<String> {
    let name = cookies.get(cookie_name(state))?.value().to_owned();
    state.providers.get(&name).map(|p| p.name.clone())
}

/// Remembers `provider` as this browser's last successful sign-in (a year,
/// HttpOnly, SameSite=Lax; not a secret).
pub fn remember_provider(state: &AppState, cookies: &Cookies, provider: &str) {
    let cookie = base_cookie(state, cookie_name(state), provider.to_owned())
        .max_age(CookieDuration::days(365))
        .build();
    cookies.add(cookie);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
