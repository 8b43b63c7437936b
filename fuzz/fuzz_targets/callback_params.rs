//! Fuzz target `callback_params`: arbitrary query strings and form bodies
//! parsed into `CallbackParams` as axum's Query and Form do (serde_urlencoded),
//! then the login-state checks every protocol shares; and `sanitize_next` on
//! arbitrary strings, with its invariants asserted.
#![no_main]

use std::sync::{Arc, OnceLock};

use doorman::config::Config;
use doorman::flow::{check_login_state, oauth1_core, sanitize_next, unix_now};
use doorman::flow::{CallbackParams, FlowError, LoginState};
use doorman::providers::{Protocol, Provider, Registry};
use libfuzzer_sys::fuzz_target;

/// One provider per protocol: dev (OIDC), github (OAuth 2.0), x (OAuth 1.0a).
fn providers() -> &'static [Arc<Provider>] {
    static PROVIDERS: OnceLock<Vec<Arc<Provider>>> = OnceLock::new();
    PROVIDERS.get_or_init(|| {
        let text = "[dev_idp]\nenabled = true\n\
            [providers.github]\npreset = \"github\"\nclient_id = \"id\"\nclient_secret = \"s\"\n\
            [providers.x]\npreset = \"x\"\nclient_id = \"key\"\nclient_secret = \"s\"\n";
        let config = Config::from_toml(text, "fuzz.toml".as_ref()).expect("a valid config");
        let registry = Registry::from_config(&config).expect("valid providers");
        ["dev", "github", "x"]
            .iter()
            .map(|name| registry.get(name).expect("configured"))
            .collect()
    })
}

/// The value the login state's `state` is compared with, per protocol.
fn sent_state<'a>(provider: &Provider, params: &'a CallbackParams) -> Option<&'a str> {
    match provider.protocol {
        Protocol::OAuth1(_) => params.oauth_token.as_deref().or(params.denied.as_deref()),
        _ => params.state.as_deref(),
    }
}

/// A login state for `provider`: `mode` 0 none, 1 matching the callback,
/// 2 a fixed state, 3 expired, 4 another provider's.
fn login_state(mode: u8, provider: &Provider, params: &CallbackParams) -> Option<LoginState> {
    let login = LoginState {
        provider: provider.name.clone(),
        state: match mode {
            2 => "fixed-state".into(),
            _ => sent_state(provider, params).unwrap_or_default().to_owned(),
        },
        pkce_verifier: Some("verifier".into()),
        nonce: Some("nonce".into()),
        next: "/".into(),
        oauth1_token_secret: Some("secret".into()),
        created_at: unix_now(),
        link_session: None,
    };
    match mode {
        0 => None,
        3 => Some(LoginState {
            created_at: login.created_at - 3600,
            ..login
        }),
        4 => Some(LoginState {
            provider: "elsewhere".into(),
            ..login
        }),
        _ => Some(login),
    }
}

fn check_callback(selector: u8, params: &CallbackParams) {
    let provider = &providers()[usize::from(selector % 3)];
    let mode = (selector / 3) % 5;
    let login = login_state(mode, provider, params);
    match check_login_state(provider, login.clone(), params) {
        Ok(checked) => {
            assert!(matches!(mode, 1 | 2), "mode {mode} was accepted");
            assert_eq!(Some(&checked), login.as_ref());
            assert_eq!(sent_state(provider, params), Some(checked.state.as_str()));
            assert!(params.error.is_none() && params.denied.is_none());
            if let Protocol::OAuth1(_) = provider.protocol {
                let callback = oauth1_core::Callback::new(&checked, params);
                assert_eq!(callback.is_ok(), params.oauth_verifier.is_some());
            }
        }
        Err(FlowError::MissingLoginState) => assert!(matches!(mode, 0 | 4)),
        Err(FlowError::Expired) => assert_eq!(mode, 3),
        Err(FlowError::ProviderDenied(code)) => {
            assert!(
                matches!(mode, 1 | 2),
                "mode {mode} reached the provider's error"
            );
            assert!(code.len() <= 64, "code too long: {code}");
            assert!(code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')));
        }
        Err(FlowError::StateMismatch) => assert!(matches!(mode, 1 | 2)),
        Err(other) => panic!("unexpected error from the login-state checks: {other}"),
    }
}

fn check_next(next: &str) {
    let kept = sanitize_next(Some(next));
    assert!(kept == "/" || kept == next, "{next:?} became {kept:?}");
    assert!(kept.starts_with('/') && !kept.starts_with("//"), "{kept:?}");
    assert!(kept.len() <= 2048);
    assert!(
        !kept
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace()),
        "{kept:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    // Form (POST callbacks) reads bytes; Query (GET) reads the URI's text.
    if let Ok(params) = serde_urlencoded::from_bytes::<CallbackParams>(body) {
        check_callback(selector, &params);
    }
    let query = String::from_utf8_lossy(body);
    if let Ok(params) = serde_urlencoded::from_str::<CallbackParams>(&query) {
        check_callback(selector, &params);
    }
    // `next` as GET /auth/{name}?next= decodes it, and as raw text.
    check_next(&query);
    if let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(&query) {
        for (_, value) in pairs {
            check_next(&value);
        }
    }
});
