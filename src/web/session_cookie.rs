//! The session cookie: read it, set it, clear it; the SignedIn extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use tower_cookies::cookie::{time::Duration as CookieDuration, SameSite};
use tower_cookies::{Cookie, Cookies};

use super::error::AppError;
use crate::session::{ActiveSession, Lookup};
use crate::state::AppState;

/// The session token the request carries, if any.
pub fn token(headers: &HeaderMap, name: &str) -> Option<String> {
    token_str(headers, name).map(str::to_owned)
}

/// The session token as it stands in the Cookie header (no copy: this runs
/// on every forward-auth request). Cookie pairs are separated by `;` and
/// optional spaces (RFC 6265 5.4); the first pair with the name wins.
fn token_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n.trim_end() == name).then(|| value.trim())
        })
}

/// Looks up the request's session.
pub async fn lookup(state: &AppState, headers: &HeaderMap) -> Result<Lookup, AppError> {
    match token_str(headers, state.session_cookie) {
        Some(t) => Ok(state.sessions.lookup(t).await?),
        None => Ok(Lookup::None),
    }
}

/// Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure on https,
/// Domain=`[server] cookie_domain` when set.
pub fn set(state: &AppState, cookies: &Cookies, token: String) {
    let max_age = CookieDuration::seconds(state.config.session.absolute_lifetime.as_secs() as i64);
    cookies.add(base(state, token).max_age(max_age).build());
}

/// Deletes the session cookie in the browser.
pub fn clear(state: &AppState, cookies: &Cookies) {
    cookies.remove(base(state, String::new()).build());
}

fn base(state: &AppState, value: String) -> tower_cookies::cookie::CookieBuilder<'static> {
    let cookie = Cookie::build((state.session_cookie, value))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax);
    match &state.config.server.cookie_domain {
        Some(domain) => cookie.domain(domain.clone()),
        None => cookie,
    }
}

/// A request from a signed-in, enabled user, by session cookie or Bearer
/// access token (else 401, or 403 when disabled).
pub struct SignedIn(pub ActiveSession);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match super::bearer::authenticate(state, &parts.headers).await? {
            Lookup::Active(s) => Ok(SignedIn(*s)),
            Lookup::Disabled => Err(AppError::Disabled),
            Lookup::None => Err(AppError::Unauthenticated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            "a=1; xdoorman_session=no;doorman_session=tok; doorman_session=second"
                .parse()
                .unwrap(),
        );
        assert_eq!(token_str(&h, "doorman_session"), Some("tok"));
        assert_eq!(token_str(&h, "b"), None);
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "a=1".parse().unwrap());
        h.append(header::COOKIE, "doorman_session=t2".parse().unwrap());
        assert_eq!(token(&h, "doorman_session").as_deref(), Some("t2"));
    }
}
