//! Real providers' documented deviations, as knobs on the fake OP: their own
//! claim shapes (Slack's namespaced claims, Apple's string booleans),
//! Microsoft's templated multi-tenant issuer, client_secret_post only
//! (LinkedIn, Slack, Apple), no PKCE (LinkedIn), no userinfo and a
//! form_post callback with a first-sign-in `user` field (Apple), and a
//! client secret checked by the test's own code (Apple's signed JWT).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};
use url::Url;

use super::token::form_decode;
use super::{FakeOidc, FakeUser, Op};

/// Builds the user's claims in a provider's own shape.
pub type ClaimsFn = fn(&FakeUser) -> Value;
/// Checks a client secret; Err says why it is refused.
pub type SecretCheck = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// Quirk knobs; cleared by `reset()` with the others.
#[derive(Default)]
pub(super) struct Quirks {
    user_claims: Option<ClaimsFn>,
    extra_claims: Map<String, Value>,
    pub(super) no_userinfo: bool,
    published_issuer: Option<String>,
    token_iss: Option<String>,
    post_only: Option<bool>,
    pub(super) no_pkce: bool,
    first_user: Option<Value>,
    authorized_subs: HashSet<String>,
    secret_check: Option<SecretCheck>,
    no_end_session: bool,
}

impl FakeOidc {
    fn quirk(&self, f: impl FnOnce(&mut Quirks)) {
        f(&mut self.inner.lock().knobs.quirks);
    }

    /// Sends the user's claims (ID token and userinfo) in this shape instead of the standard one.
    pub fn user_claims(&self, f: ClaimsFn) {
        self.quirk(|q| q.user_claims = Some(f));
    }

    /// Adds these claims to ID tokens and userinfo answers.
    pub fn extra_claims(&self, claims: Value) {
        let Value::Object(claims) = claims else {
            panic!("extra claims are an object")
        };
        self.quirk(|q| q.extra_claims.extend(claims));
    }

    /// Publishes no userinfo endpoint, as Apple.
    pub fn no_userinfo(&self) {
        self.quirk(|q| q.no_userinfo = true);
    }

    /// Microsoft's multi-tenant metadata: the published issuer is
    /// `{issuer}/{tenantid}/v2.0`, tokens carry `tid` and `iss` `{issuer}/{tid}/v2.0`.
    pub fn multi_tenant(&self, tid: &str) {
        let root = self.issuer();
        self.quirk(|q| {
            q.published_issuer = Some(format!("{root}/{{tenantid}}/v2.0"));
            q.token_iss = Some(format!("{root}/{tid}/v2.0"));
            q.extra_claims.insert("tid".into(), json!(tid));
        });
    }

    /// Puts this `iss` in ID tokens.
    pub fn token_iss(&self, iss: impl Into<String>) {
        let iss = iss.into();
        self.quirk(|q| q.token_iss = Some(iss));
    }

    /// Refuses HTTP Basic client authentication (invalid_client); the metadata
    /// lists `client_secret_post` only when `published` (LinkedIn does not list it).
    pub fn client_secret_post_only(&self, published: bool) {
        self.quirk(|q| q.post_only = Some(published));
    }

    /// LinkedIn for web apps: no PKCE at /authorize, and a code_verifier at
    /// /token is refused with invalid_client.
    pub fn no_pkce(&self) {
        self.quirk(|q| q.no_pkce = true);
    }

    /// Apple: a form_post callback carries this `user` JSON, on each user's first authorization only.
    pub fn first_sign_in_user(&self, user: Value) {
        self.quirk(|q| q.first_user = Some(user));
    }

    /// Publishes no end_session_endpoint, as Google.
    pub fn no_end_session(&self) {
        self.quirk(|q| q.no_end_session = true);
    }

    /// Checks client secrets with `check` instead of comparing them to CLIENT_SECRET.
    pub fn client_secret_check(&self, check: SecretCheck) {
        self.quirk(|q| q.secret_check = Some(check));
    }
}

/// Serves discovery under any path (Microsoft's `/{tenant}/v2.0/.well-known/...`).
pub(super) async fn discovery_at_any_path(op: Op, request: Request) -> Response {
    if request
        .uri()
        .path()
        .ends_with("/.well-known/openid-configuration")
    {
        super::authorize::discovery(op).await.into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

pub(super) fn adjust_discovery(doc: &mut Value, q: &Quirks) {
    if let Some(issuer) = &q.published_issuer {
        doc["issuer"] = json!(issuer);
    }
    if q.no_userinfo {
        doc.as_object_mut().map(|d| d.remove("userinfo_endpoint"));
    }
    match q.post_only {
        Some(true) => doc["token_endpoint_auth_methods_supported"] = json!(["client_secret_post"]),
        Some(false) => drop(
            doc.as_object_mut()
                .map(|d| d.remove("token_endpoint_auth_methods_supported")),
        ),
        None => {}
    }
    if q.no_pkce {
        doc.as_object_mut()
            .map(|d| d.remove("code_challenge_methods_supported"));
    }
    if q.no_end_session {
        doc.as_object_mut()
            .map(|d| d.remove("end_session_endpoint"));
    }
    doc["response_modes_supported"] = json!(["query", "form_post"]);
}

/// The user's claims in the configured shape, plus the extra claims.
pub(super) fn user_claims(q: &Quirks, u: &FakeUser) -> Value {
    let mut claims = match q.user_claims {
        Some(f) => f(u),
        None => json!({"sub": u.sub, "email": u.email, "email_verified": u.email_verified,
                       "name": u.name, "preferred_username": u.preferred_username}),
    };
    if let Some(picture) = u.picture.as_ref().filter(|_| q.user_claims.is_none()) {
        claims["picture"] = json!(picture);
    }
    for (k, v) in &q.extra_claims {
        claims[k] = v.clone();
    }
    claims
}

/// The ID token's `iss`.
pub(super) fn token_iss<'a>(q: &'a Quirks, issuer: &'a str) -> &'a str {
    q.token_iss.as_deref().unwrap_or(issuer)
}

/// Client authentication as the provider does it.
pub(super) fn client_ok(q: &Quirks, headers: &HeaderMap, form: &HashMap<String, String>) -> bool {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    if basic.is_some() && q.post_only.is_some() {
        return false;
    }
    if q.no_pkce && form.contains_key("code_verifier") {
        return false;
    }
    let (id, secret) = match basic {
        Some(b64) => {
            let raw = STANDARD.decode(b64.trim()).unwrap_or_default();
            let raw = String::from_utf8(raw).unwrap_or_default();
            let (id, secret) = raw.split_once(':').unwrap_or_default();
            (form_decode(id), form_decode(secret))
        }
        None => {
            let get = |k: &str| form.get(k).cloned().unwrap_or_default();
            (get("client_id"), get("client_secret"))
        }
    };
    let secret_ok = match &q.secret_check {
        Some(check) => check(&secret)
            .map_err(|e| eprintln!("client secret refused: {e}"))
            .is_ok(),
        None => secret == FakeOidc::CLIENT_SECRET,
    };
    id == FakeOidc::CLIENT_ID && secret_ok
}

/// A form_post answer: an auto-submitting form to the redirect URI. Adds
/// Apple's `user` field on the user's first authorization.
pub(super) fn form_post(q: &mut Quirks, sub: &str, url: &Url) -> Response {
    let mut fields: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    if let Some(user) = &q.first_user {
        if q.authorized_subs.insert(sub.to_owned()) && fields.iter().any(|(k, _)| k == "code") {
            fields.push(("user".into(), user.to_string()));
        }
    }
    let mut action = url.clone();
    action.set_query(None);
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                esc(k),
                esc(v)
            )
        })
        .collect();
    Html(format!(
        r#"<html><body onload="document.forms[0].submit()"><form method="post" action="{}">{inputs}</form></body></html>"#,
        esc(action.as_str())
    ))
    .into_response()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
