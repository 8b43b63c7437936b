//! The fake OP's refresh tokens: issued with every code exchange, accepted
//! by the refresh_token grant, rotated on use when asked, with knobs for an
//! access token lifetime, a refused (invalid_grant) refresh, a slow or
//! garbled answer, and counters of what was asked.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::token::{oauth_error, token_json};
use super::{random_token, FakeOidc, FakeUser, OpState};

/// Refresh knobs; cleared by `reset()` with the others.
#[derive(Default)]
pub(super) struct RefreshKnobs {
    lifetime: Option<i64>,
    rotate: bool,
    refuse: bool,
    pub(super) delay: Option<Duration>,
    body: Option<String>,
}

impl RefreshKnobs {
    /// expires_in of access tokens issued now (default 3600).
    pub(super) fn lifetime(&self) -> i64 {
        self.lifetime.unwrap_or(3600)
    }
}

impl FakeOidc {
    fn refresh_knob(&self, f: impl FnOnce(&mut RefreshKnobs)) {
        f(&mut self.inner.lock().knobs.refresh);
    }

    /// Access tokens issued from now on expire after `secs` (expires_in).
    pub fn access_token_lifetime(&self, secs: i64) {
        self.refresh_knob(|k| k.lifetime = Some(secs));
    }

    /// Each refresh issues a new refresh token and spends the one used.
    pub fn rotate_refresh_tokens(&self) {
        self.refresh_knob(|k| k.rotate = true);
    }

    /// Refreshes answer 400 invalid_grant.
    pub fn refuse_refresh(&self) {
        self.refresh_knob(|k| k.refuse = true);
    }

    /// Refreshes sleep this long before answering.
    pub fn refresh_delay(&self, delay: Duration) {
        self.refresh_knob(|k| k.delay = Some(delay));
    }

    /// Refreshes answer 200 with this raw body as application/json.
    pub fn refresh_body(&self, body: impl Into<String>) {
        let body = body.into();
        self.refresh_knob(|k| k.body = Some(body));
    }

    /// How many refresh_token grants reached /token.
    pub fn refresh_requests(&self) -> usize {
        self.inner.refresh_requests.load(Ordering::SeqCst)
    }

    /// The refresh tokens presented to /token, in order.
    pub fn refresh_tokens_used(&self) -> Vec<String> {
        self.inner.lock().refresh_tokens_used.clone()
    }

    /// Every refresh token issued and still accepted.
    pub fn live_refresh_tokens(&self) -> Vec<String> {
        self.inner.lock().refresh_tokens.keys().cloned().collect()
    }
}

/// Adds a new refresh token for `user` to a token answer.
pub(super) fn issue(st: &mut OpState, user: &FakeUser, answer: &mut Value) {
    let refresh_token = random_token();
    st.refresh_tokens
        .insert(refresh_token.clone(), user.clone());
    answer["refresh_token"] = json!(refresh_token);
}

/// The refresh_token grant (client already authenticated).
pub(super) fn grant(st: &mut OpState, form: &HashMap<String, String>) -> Response {
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    st.refresh_tokens_used.push(presented.clone());
    if let Some(raw) = st.knobs.refresh.body.clone() {
        return ([(header::CONTENT_TYPE, "application/json")], raw).into_response();
    }
    let user = if st.knobs.refresh.rotate {
        st.refresh_tokens.remove(&presented)
    } else {
        st.refresh_tokens.get(&presented).cloned()
    };
    let Some(user) = user.filter(|_| !st.knobs.refresh.refuse) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let access_token = random_token();
    st.access_tokens.insert(access_token.clone(), user.clone());
    let mut answer = json!({"access_token": access_token, "token_type": "Bearer",
        "expires_in": st.knobs.refresh.lifetime()});
    if st.knobs.refresh.rotate {
        issue(st, &user, &mut answer);
    }
    token_json(StatusCode::OK, answer)
}
