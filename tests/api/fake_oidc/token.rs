//! /token of the fake OP: client authentication, the authorization_code
//! grant with PKCE, and the ID token with its knobs.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{now, quirks, random_token, refresh, status, FakeOidc, Grant, Key, Knobs, Op, OpState};

pub(super) fn token_json(code: StatusCode, body: Value) -> Response {
    let no_store = [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
    ];
    (code, no_store, Json(body)).into_response()
}

pub(super) fn oauth_error(code: StatusCode, error: &str) -> Response {
    token_json(code, json!({ "error": error }))
}

/// Decodes one half of an HTTP Basic credential (RFC 6749 section 2.3.1 form-encodes it).
pub(super) fn form_decode(s: &str) -> String {
    let pair = url::form_urlencoded::parse(s.as_bytes()).next();
    pair.map(|(k, _)| k.into_owned()).unwrap_or_default()
}

fn pkce_ok(verifier: Option<&String>, challenge: &str) -> bool {
    verifier.is_some_and(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())) == challenge)
}

pub(super) async fn token(State(op): Op, headers: HeaderMap, body: Bytes) -> Response {
    op.token_requests.fetch_add(1, Ordering::SeqCst);
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let refreshing = form.get("grant_type").map(String::as_str) == Some("refresh_token");
    if refreshing {
        op.refresh_requests.fetch_add(1, Ordering::SeqCst);
    }
    let delay = {
        let k = &op.lock().knobs;
        if refreshing {
            k.refresh.delay
        } else {
            k.token_delay
        }
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut st = op.lock();
    if let Some(code) = st.knobs.fail_token {
        return oauth_error(status(code), "server_error");
    }
    if let Some(raw) = st.knobs.token_body.clone() {
        return ([(header::CONTENT_TYPE, "application/json")], raw).into_response();
    }
    if !quirks::client_ok(&st.knobs.quirks, &headers, &form) {
        let www = [(header::WWW_AUTHENTICATE, "Basic realm=\"fake-oidc\"")];
        return (www, oauth_error(StatusCode::UNAUTHORIZED, "invalid_client")).into_response();
    }
    if refreshing {
        return refresh::grant(&mut st, &form);
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let grant = form.get("code").and_then(|c| st.codes.remove(c));
    let Some(grant) = grant.filter(|g| form.get("redirect_uri") == Some(&g.redirect_uri)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    if !st.knobs.quirks.no_pkce && !pkce_ok(form.get("code_verifier"), &grant.code_challenge) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let access_token = random_token();
    st.access_tokens
        .insert(access_token.clone(), grant.user.clone());
    let id_token = id_token(&st, &op.issuer, &grant);
    st.id_tokens.push(id_token.clone());
    let mut answer = json!({"access_token": access_token, "token_type": "Bearer",
        "expires_in": st.knobs.refresh.lifetime(), "id_token": id_token, "scope": grant.scope});
    refresh::issue(&mut st, &grant.user, &mut answer);
    token_json(StatusCode::OK, answer)
}

fn id_claims(k: &Knobs, issuer: &str, g: &Grant) -> Value {
    let now = now();
    let (iat, exp) = match (k.expired, k.iat_in_future) {
        (true, _) => (now - 1200, now - 600),
        (_, true) => (now + 3600, now + 7200),
        _ => (now, now + 300),
    };
    let aud = match (k.wrong_aud, k.extra_aud_without_azp) {
        (true, _) => json!("someone-else"),
        (_, true) => json!([FakeOidc::CLIENT_ID, "other"]),
        _ => json!(FakeOidc::CLIENT_ID),
    };
    let iss = if k.wrong_iss {
        "https://evil.example"
    } else {
        quirks::token_iss(&k.quirks, issuer)
    };
    let mut claims = quirks::user_claims(&k.quirks, &g.user);
    for (name, value) in [
        ("iss", json!(iss)),
        ("aud", aud),
        ("exp", json!(exp)),
        ("iat", json!(iat)),
        ("auth_time", json!(g.auth_time)),
    ] {
        claims[name] = value;
    }
    if !k.no_nonce {
        let nonce = if k.wrong_nonce {
            "not-the-nonce-you-sent"
        } else {
            &g.nonce
        };
        claims["nonce"] = json!(nonce);
    }
    if let Some(azp) = &k.azp {
        claims["azp"] = json!(azp);
    }
    if !k.no_sid {
        claims["sid"] = json!(g.sid);
    }
    claims
}

fn id_token(st: &OpState, issuer: &str, grant: &Grant) -> String {
    let k = &st.knobs;
    let claims = id_claims(k, issuer, grant);
    if k.alg_none {
        let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        return format!(
            "{}.{}.",
            part(json!({"alg": "none", "typ": "JWT"})),
            part(claims)
        );
    }
    let mut header = Header::new(Algorithm::ES256);
    header.kid = (!k.no_kid).then(|| st.key.kid.clone());
    let der = if k.wrong_signature {
        Key::generate().der
    } else {
        st.key.der.clone()
    };
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&der)).expect("sign")
}
