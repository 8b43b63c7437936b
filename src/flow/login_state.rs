//! The per-attempt login state: an encrypted cookie (tower-cookies private
//! jar, AES-GCM under the login-state key) that is single use and expires
//! after ten minutes.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tower_cookies::cookie::{time::Duration as CookieDuration, CookieJar, SameSite};
use tower_cookies::{Cookie, Cookies, Key};

/// Seconds a sign-in attempt may take.
pub const MAX_AGE_SECS: i64 = 600;

/// What a callback needs to finish the attempt that the browser began.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoginState {
    /// The provider the attempt went to.
    pub provider: String,
    /// The `state` sent to the provider.
    pub state: String,
    /// PKCE code verifier.
    pub pkce_verifier: Option<String>,
    /// OIDC nonce.
    pub nonce: Option<String>,
    /// Where to go after sign-in (already sanitized).
    pub next: String,
    /// OAuth 1.0a temporary credentials secret.
    pub oauth1_token_secret: Option<String>,
    /// Unix time the attempt began.
    pub created_at: i64,
}

impl LoginState {
    /// A fresh attempt at `provider`, begun now.
    pub fn new(
        provider: &crate::providers::Provider,
        state: String,
        pkce_verifier: Option<String>,
        next: String,
    ) -> Self {
        LoginState {
            provider: provider.name.clone(),
            state,
            pkce_verifier,
            nonce: None,
            next,
            oauth1_token_secret: None,
            created_at: super::unix_now(),
        }
    }

    /// Whether the attempt is older than [`MAX_AGE_SECS`] (or from the future).
    pub fn is_expired(&self, now: i64) -> bool {
        now < self.created_at - 60 || now - self.created_at > MAX_AGE_SECS
    }

    /// Constant-time comparison of the callback's `state`.
    pub fn state_matches(&self, state: &str) -> bool {
        bool::from(self.state.as_bytes().ct_eq(state.as_bytes()))
    }
}

/// Reads and writes the login-state cookie.
#[derive(Clone)]
pub struct LoginCookie {
    key: Key,
    name: &'static str,
    secure: bool,
}

impl LoginCookie {
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

    /// Reads the login state (if any, and if it decrypts) and deletes the cookie.
    pub fn take(&self, cookies: &Cookies) -> Option<LoginState> {
        let value = cookies.get(self.name)?.value().to_owned();
        let removal = Cookie::build((self.name, ""))
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .build();
        cookies.remove(removal);
        self.open(&value)
    }

    /// The cookie value carrying `state`: JSON, encrypted and authenticated
    /// under the login-state key with the cookie's name bound in.
    pub fn seal(&self, state: &LoginState) -> Option<String> {
        let json = serde_json::to_string(state).ok()?;
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key).add(Cookie::new(self.name, json));
        jar.get(self.name).map(|c| c.value().to_owned())
    }

    /// The login state a cookie value carries, if it decrypts under the
    /// login-state key (for this cookie's name) and parses.
    pub fn open(&self, value: &str) -> Option<LoginState> {
        let sealed = Cookie::new(self.name, value.to_owned());
        let cookie = CookieJar::new().private(&self.key).decrypt(sealed)?;
        serde_json::from_str(cookie.value()).ok()
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
        }
    }

    #[test]
    fn a_state_expires_after_ten_minutes() {
        assert!(!state(1000).is_expired(1000 + 599));
        assert!(state(1000).is_expired(1000 + 601));
        assert!(state(1000).is_expired(1000 - 3600));
    }

    fn login_cookie(https: bool) -> LoginCookie {
        LoginCookie::new(Key::from(&[7u8; 64]), https)
    }

    #[test]
    fn a_sealed_state_opens_to_the_same_state() {
        let cookie = login_cookie(false);
        let sealed = cookie.seal(&state(1000)).unwrap();
        assert!(!sealed.contains("abc"), "the state is encrypted");
        assert_eq!(cookie.open(&sealed), Some(state(1000)));
    }

    #[test]
    fn a_tampered_or_foreign_value_does_not_open() {
        let sealed = login_cookie(false).seal(&state(1000)).unwrap();
        let mut tampered = sealed.clone().into_bytes();
        let middle = tampered.len() / 2;
        tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(login_cookie(false).open(&tampered), None);
        assert_eq!(login_cookie(false).open(""), None);
        assert_eq!(login_cookie(false).open("not sealed"), None);
        let other_key = LoginCookie::new(Key::from(&[8u8; 64]), false);
        assert_eq!(other_key.open(&sealed), None);
        assert_eq!(
            login_cookie(true).open(&sealed),
            None,
            "the name is bound in"
        );
    }

    #[test]
    fn states_are_compared_exactly() {
        assert!(state(0).state_matches("abc"));
        assert!(!state(0).state_matches("abd"));
        assert!(!state(0).state_matches("ab"));
        assert!(!state(0).state_matches(""));
    }
}
