//! The login-state cookie: the flow's [`LoginState`] sealed with
//! tower-cookies' private jar (AES-256-GCM under the login-state key, the
//! cookie's name as associated data), stored per attempt and taken (read and
//! deleted) by every callback.

use tower_cookies::cookie::{time::Duration as CookieDuration, CookieJar, SameSite};
use tower_cookies::{Cookie, Cookies, Key};

use crate::flow::login_state::MAX_AGE_SECS;
use crate::flow::LoginState;
use crate::providers::Provider;

/// Reads and writes the login-state cookie.
#[derive(Clone)]
pub struct LoginCookie {
    key: Key,
    name: &'static str,
    secure: bool,
}

impl LoginCookie {
    /// The application's login-state cookie (its key and public_url's scheme).
    pub fn for_app(state: &crate::state::AppState) -> Self {
        Self::new(state.keys.login_state.clone(), state.config.is_https())
    }

    /// `doorman_login`, or `__Host-doorman_login` (Secure) on https.
    pub fn new(key: Key, https: bool) -> Self {
        let name = if https {
            "__Host-doorman_login"
        } else {
            "doorman_login"
        };
        Self {
            key,
            name,
            secure: https,
        }
    }

    /// Stores `state` for a sign-in or link at `provider`: cross-site
    /// (SameSite=None) when its callback is a cross-site POST, else Lax.
    pub fn store_for(&self, cookies: &Cookies, provider: &Provider, state: &LoginState) {
        if provider.cross_site_callback() {
            self.store_cross_site(cookies, state);
        } else {
            self.store(cookies, state);
        }
    }

    /// Replaces the browser's login state with `state` (SameSite=Lax).
    pub fn store(&self, cookies: &Cookies, state: &LoginState) {
        self.store_with(cookies, state, SameSite::Lax, self.secure);
    }

    /// Like [`LoginCookie::store`] for a callback that is a cross-site POST
    /// (form_post), which a Lax cookie would not reach: SameSite=None; Secure.
    /// The registry allows such providers only on https.
    pub fn store_cross_site(&self, cookies: &Cookies, state: &LoginState) {
        self.store_with(cookies, state, SameSite::None, true);
    }

    fn store_with(&self, cookies: &Cookies, state: &LoginState, site: SameSite, secure: bool) {
        let Some(value) = self.seal(state) else {
            return;
        };
        let cookie = Cookie::build((self.name, value))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(site)
            .max_age(CookieDuration::seconds(MAX_AGE_SECS))
            .build();
        cookies.add(cookie);
    }

    /// The cookie value for `state`: its JSON encrypted and authenticated
    /// (AES-256-GCM, the cookie's name as associated data).
    pub fn seal(&self, state: &LoginState) -> Option<String> {
        let value = serde_json::to_string(state).ok()?;
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key)
            .add(Cookie::new(self.name, value));
        jar.get(self.name).map(|c| c.value().to_owned())
    }

    /// The login state in a cookie value, if it decrypts under this key and
    /// name and holds a login state; anything else is `None`.
    pub fn open(&self, value: &str) -> Option<LoginState> {
        let jar = CookieJar::new();
        let cookie = jar
            .private(&self.key)
            .decrypt(Cookie::new(self.name, value.to_owned()))?;
        serde_json::from_str(cookie.value()).ok()
    }

    /// Reads the login state (if any, and if it decrypts) and deletes the cookie.
    pub fn take(&self, cookies: &Cookies) -> Option<LoginState> {
        let cookie = cookies.get(self.name);
        let state = cookie.as_ref().and_then(|c| self.open(c.value()));
        if cookie.is_some() {
            let removal = Cookie::build((self.name, ""))
                .path("/")
                .http_only(true)
                .secure(self.secure)
                .same_site(SameSite::Lax)
                .build();
            cookies.remove(removal);
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(created_at: i64) -> LoginState {
        LoginState {
            provider: "dev".into(),
            state: "abc".into(),
            pkce_verifier: None,
            nonce: None,
            next: "/".into(),
            oauth1_token_secret: None,
            created_at,
            link_session: None,
        }
    }

    fn login_cookie(https: bool) -> LoginCookie {
        LoginCookie::new(Key::from(&[7; 64][..]), https)
    }

    #[test]
    fn a_sealed_state_opens_to_the_same_state() {
        let cookie = login_cookie(false);
        let sealed = cookie.seal(&state(1000)).unwrap();
        assert!(
            !sealed.contains("abc"),
            "the value is not encrypted: {sealed}"
        );
        assert_eq!(cookie.open(&sealed), Some(state(1000)));
    }

    #[test]
    fn a_value_sealed_under_another_key_or_name_or_altered_does_not_open() {
        let sealed = login_cookie(false).seal(&state(1000)).unwrap();
        let other_key = LoginCookie::new(Key::from(&[8; 64][..]), false);
        assert_eq!(other_key.open(&sealed), None);
        // The https cookie has another name, which is the associated data.
        assert_eq!(login_cookie(true).open(&sealed), None);
        let mut altered = sealed.into_bytes();
        altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        assert_eq!(login_cookie(false).open(&altered), None);
        assert_eq!(login_cookie(false).open(""), None);
    }
}
