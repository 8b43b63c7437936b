//! What the OAuth 2.0 fakes share: serving a router on 127.0.0.1:0, random
//! codes and tokens, PKCE S256 checks, credentials and redirects.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Serves `app` on 127.0.0.1:0 in a spawned task; returns `http://127.0.0.1:PORT`.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://127.0.0.1:{port}")
}

/// 32 random bytes, base64url: a code or an access token.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// RFC 7636 S256: the verifier hashes to the challenge (no challenge: nothing to check).
pub fn pkce_ok(challenge: Option<&String>, verifier: Option<&String>) -> bool {
    match challenge {
        None => true,
        Some(c) => verifier.is_some_and(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v)) == *c),
    }
}

/// A form-encoded body as a map.
pub fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The `Authorization` credential after one of `schemes` ("Bearer", "token", "OAuth").
pub fn credential<'h>(headers: &'h HeaderMap, schemes: &[&str]) -> Option<&'h str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credential) = value.split_once(' ')?;
    schemes
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
        .then(|| credential.trim())
}

/// HTTP Basic client credentials (each half form-decoded, RFC 6749 section 2.3.1).
pub fn basic_client(headers: &HeaderMap) -> Option<(String, String)> {
    let raw = STANDARD.decode(credential(headers, &["Basic"])?).ok()?;
    let (id, secret) = std::str::from_utf8(&raw).ok()?.split_once(':')?;
    let decode = |s: &str| form(format!("{s}=").as_bytes()).into_keys().next();
    Some((
        decode(id).unwrap_or_default(),
        decode(secret).unwrap_or_default(),
    ))
}

/// `redirect_uri` with `pairs` appended, as a redirect with `status` (GitHub: 302).
pub fn redirect_back(redirect_uri: &str, pairs: &[(&str, &str)], status: StatusCode) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "bad redirect_uri").into_response();
    };
    url.query_pairs_mut().extend_pairs(pairs);
    (status, [(header::LOCATION, url.to_string())]).into_response()
}

/// The query's `name`, if present and not empty.
pub fn param<'q>(q: &'q HashMap<String, String>, name: &str) -> Option<&'q String> {
    q.get(name).filter(|v| !v.is_empty())
}
