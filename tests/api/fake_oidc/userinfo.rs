//! /userinfo of the fake OP: JSON or a signed JWT, with its knobs.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use super::{quirks, status, FakeOidc, Op};

pub(super) async fn userinfo_or_redirect(State(op): Op, headers: HeaderMap) -> Response {
    if op.lock().knobs.userinfo_redirect {
        return (StatusCode::FOUND, [(header::LOCATION, "/userinfo-moved")]).into_response();
    }
    userinfo(State(op), headers).await
}

pub(super) async fn userinfo(State(op): Op, headers: HeaderMap) -> Response {
    op.userinfo_requests.fetch_add(1, Ordering::SeqCst);
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let bearer = auth
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let st = op.lock();
    let Some(user) = st.access_tokens.get(bearer.trim()) else {
        let www = [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")];
        return (StatusCode::UNAUTHORIZED, www).into_response();
    };
    let k = &st.knobs;
    if k.quirks.no_userinfo {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(code) = k.userinfo_status {
        return (status(code), Json(json!({"error": "server_error"}))).into_response();
    }
    if let Some((body, content_type)) = &k.userinfo_body {
        return ([(header::CONTENT_TYPE, content_type.clone())], body.clone()).into_response();
    }
    let mut info = quirks::user_claims(&k.quirks, user);
    if let Some(sub) = &k.userinfo_sub {
        info["sub"] = json!(sub);
    }
    if k.userinfo_signed {
        info["iss"] = json!(op.issuer);
        info["aud"] = json!(FakeOidc::CLIENT_ID);
        let mut jwt_header = Header::new(Algorithm::ES256);
        jwt_header.kid = Some(st.key.kid.clone());
        let key = EncodingKey::from_ec_der(&st.key.der);
        let jwt = jsonwebtoken::encode(&jwt_header, &info, &key).expect("sign");
        return ([(header::CONTENT_TYPE, "application/jwt")], jwt).into_response();
    }
    Json(info).into_response()
}
