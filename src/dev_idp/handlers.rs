//! The dev IdP's endpoints.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::grants::DevUser;
use super::DevIdp;
use crate::providers::dev::CLIENT_ID;

type Idp = State<Arc<DevIdp>>;

/// The authorization request, carried through the form as hidden fields.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// The form as posted: the request plus what the person typed.
#[derive(Debug, Deserialize)]
pub struct AuthorizeForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    name: Option<String>,
    email: Option<String>,
}

/// The token request.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
}

pub async fn discovery(State(idp): Idp) -> Json<serde_json::Value> {
    let issuer = &idp.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "name", "email", "email_verified", "preferred_username"],
        "authorization_response_iss_parameter_supported": true,
    }))
}

pub async fn jwks(State(idp): Idp) -> Json<serde_json::Value> {
    Json(json!({ "keys": [idp.jwk] }))
}

pub async fn authorize_form(State(idp): Idp, Query(params): Query<AuthorizeParams>) -> Response {
    if let Err(problem) = idp.check(&params) {
        return (StatusCode::BAD_REQUEST, problem).into_response();
    }
    idp.form(&params, "", "", None, StatusCode::OK)
}

pub async fn authorize_submit(State(idp): Idp, Form(form): Form<AuthorizeForm>) -> Response {
    if let Err(problem) = idp.check(&form.params) {
        return (StatusCode::BAD_REQUEST, problem).into_response();
    }
    let name = form.name.as_deref().unwrap_or_default().trim();
    let email = form.email.as_deref().unwrap_or_default().trim();
    if name.is_empty() || !email.contains('@') || email.len() > 254 || name.len() > 200 {
        let error = Some("Both a name and an email address are required.");
        return idp.form(&form.params, name, email, error, StatusCode::BAD_REQUEST);
    }
    let p = form.params;
    let user = DevUser {
        name: name.to_owned(),
        email: email.to_owned(),
    };
    let code = idp.grants.issue_code(
        p.code_challenge.unwrap_or_default(),
        p.nonce.unwrap_or_default(),
        user,
    );
    let mut target = match url::Url::parse(&idp.redirect_uri) {
        Ok(u) => u,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", p.state.as_deref().unwrap_or_default())
        .append_pair("iss", &idp.issuer);
    Redirect::to(target.as_str()).into_response()
}

pub async fn token(State(idp): Idp, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    let client = form.client_id.clone().or_else(|| basic_client_id(&headers));
    if client.as_deref() != Some(CLIENT_ID) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if form.grant_type.as_deref() != Some("authorization_code") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let Some(grant) = form.code.as_deref().and_then(|c| idp.grants.take_code(c)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let verifier = form.code_verifier.as_deref().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let pkce_ok = bool::from(challenge.as_bytes().ct_eq(grant.code_challenge.as_bytes()));
    if !pkce_ok || form.redirect_uri.as_deref() != Some(idp.redirect_uri.as_str()) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut claims = user_claims(&grant.user);
    claims["iss"] = json!(idp.issuer);
    claims["aud"] = json!(CLIENT_ID);
    claims["iat"] = json!(now);
    claims["exp"] = json!(now + 300);
    claims["nonce"] = json!(grant.nonce);
    let Ok(id_token) = idp.sign(&claims) else {
        return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error");
    };
    let access_token = idp.grants.issue_token(grant.user);
    let body = json!({
        "access_token": access_token, "token_type": "Bearer",
        "expires_in": 3600, "id_token": id_token, "scope": "openid email profile",
    });
    ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

pub async fn userinfo(State(idp): Idp, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token.and_then(|t| idp.grants.user_for_token(t)) {
        Some(user) => Json(user_claims(&user)).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
        )
            .into_response(),
    }
}

impl DevIdp {
    /// The checks DESIGN.md sets: client `dev`, its one redirect URI, code
    /// flow, openid scope, PKCE S256 and a nonce.
    fn check(&self, p: &AuthorizeParams) -> Result<(), &'static str> {
        let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        if p.client_id.as_deref() != Some(CLIENT_ID) {
            return Err("unknown client_id");
        }
        if p.redirect_uri.as_deref() != Some(self.redirect_uri.as_str()) {
            return Err("redirect_uri is not registered");
        }
        if p.response_type.as_deref() != Some("code") {
            return Err("response_type must be code");
        }
        if !p
            .scope
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .any(|s| s == "openid")
        {
            return Err("scope must include openid");
        }
        if !present(&p.code_challenge) || p.code_challenge_method.as_deref() != Some("S256") {
            return Err("PKCE with S256 is required");
        }
        if !present(&p.nonce) || !present(&p.state) {
            return Err("nonce and state are required");
        }
        Ok(())
    }

    fn form(
        &self,
        params: &AuthorizeParams,
        name: &str,
        email: &str,
        error: Option<&str>,
        status: StatusCode,
    ) -> Response {
        let ctx = minijinja::context! { params => Serde(params), name, email, error };
        match self.templates.render("dev_idp.html", ctx) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "dev IdP form failed to render");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

fn user_claims(user: &DevUser) -> serde_json::Value {
    let email = user.email.to_lowercase();
    let username = email.split('@').next().unwrap_or_default().to_owned();
    json!({
        "sub": format!("dev:{email}"),
        "name": user.name,
        "email": user.email,
        "email_verified": true,
        "preferred_username": username,
    })
}

fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let decoded = STANDARD.decode(value.strip_prefix("Basic ")?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let id = text.split(':').next()?;
    Some(
        percent_encoding::percent_decode_str(id)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn oauth_error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}
