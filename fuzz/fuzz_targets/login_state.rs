//! Fuzz target `login_state`: arbitrary bytes as the login-state cookie value
//! through the production decoder (`LoginCookie::open`, which `take` uses),
//! arbitrary text as the decrypted JSON, and a seal-then-open round trip of
//! a state made from the input.
#![no_main]

use std::sync::OnceLock;

use doorman::flow::LoginState;
use doorman::web::LoginCookie;
use doorman::keys::Keys;
use libfuzzer_sys::fuzz_target;

fn cookies() -> &'static (LoginCookie, LoginCookie) {
    static COOKIES: OnceLock<(LoginCookie, LoginCookie)> = OnceLock::new();
    COOKIES.get_or_init(|| {
        let keys = Keys::derive(&[7; 32]);
        (
            LoginCookie::new(keys.login_state.clone(), false),
            LoginCookie::new(keys.login_state, true),
        )
    })
}

/// Seals `state`, checks the value is cookie-safe, opens only under its own
/// name and gives back the same state.
fn round_trip(state: &LoginState) {
    let (http, https) = cookies();
    let sealed = http.seal(state).expect("a login state always seals");
    assert!(
        sealed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
        "not a cookie-safe value: {sealed}"
    );
    assert_eq!(http.open(&sealed).as_ref(), Some(state));
    assert_eq!(
        https.open(&sealed),
        None,
        "opened under the other cookie name"
    );
}

/// A state whose fields are the input's NUL-separated pieces.
fn state_from(text: &str, data: &[u8]) -> LoginState {
    let mut parts = text.split('\0').map(str::to_owned);
    let mut next = || parts.next().unwrap_or_default();
    let optional = |s: String| Some(s).filter(|s| !s.is_empty());
    let mut created = [0u8; 8];
    let n = data.len().min(8);
    created[..n].copy_from_slice(&data[..n]);
    LoginState {
        provider: next(),
        state: next(),
        pkce_verifier: optional(next()),
        nonce: optional(next()),
        next: next(),
        oauth1_token_secret: optional(next()),
        created_at: i64::from_le_bytes(created),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (http, https) = cookies();
    // The decoder: never panics; whatever it accepts survives a round trip.
    for cookie in [http, https] {
        if let Some(state) = cookie.open(&text) {
            round_trip(&state);
        }
    }
    // The stage after decryption, which only a key holder could reach.
    if let Ok(state) = serde_json::from_str::<LoginState>(&text) {
        round_trip(&state);
    }
    round_trip(&state_from(&text, data));
});
