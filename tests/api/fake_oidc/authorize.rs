//! Discovery, JWKS and /authorize of the fake OP.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Value};
use url::Url;

use super::{now, quirks, random_token, FakeOidc, Grant, Op};

pub(super) async fn discovery(State(op): Op) -> Json<Value> {
    let iss = &op.issuer;
    let mut doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "end_session_endpoint": format!("{iss}/end-session"),
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "azp",
            "email", "email_verified", "name", "preferred_username", "picture"],
    });
    let st = op.lock();
    if st.knobs.advertise_iss {
        doc["authorization_response_iss_parameter_supported"] = json!(true);
    }
    quirks::adjust_discovery(&mut doc, &st.knobs.quirks);
    Json(doc)
}

pub(super) async fn jwks(State(op): Op) -> Json<Value> {
    op.jwks_requests.fetch_add(1, Ordering::SeqCst);
    let st = op.lock();
    let mut keys = vec![st.key.jwk()];
    keys.extend(st.knobs.extra_jwks_key.clone());
    Json(json!({ "keys": keys }))
}

fn check_authorize(q: &HashMap<String, String>, pkce: bool) -> Result<Url, String> {
    let required = [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
    ];
    if let Some(missing) = required
        .iter()
        .filter(|p| pkce || !p.starts_with("code_challenge"))
        .find(|p| q.get(**p).is_none_or(|v| v.is_empty()))
    {
        return Err(format!("missing parameter: {missing}"));
    }
    if q["response_type"] != "code" {
        return Err("unsupported response_type".into());
    }
    if q["client_id"] != FakeOidc::CLIENT_ID {
        return Err("unknown client_id".into());
    }
    if !q["scope"].split_whitespace().any(|s| s == "openid") {
        return Err("scope must contain openid".into());
    }
    if pkce && q["code_challenge_method"] != "S256" {
        return Err("code_challenge_method must be S256".into());
    }
    Url::parse(&q["redirect_uri"]).map_err(|e| format!("bad redirect_uri: {e}"))
}

pub(super) async fn authorize(State(op): Op, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut st = op.lock();
    st.last_authorize_query = Some(q.clone());
    let mut url = match check_authorize(&q, !st.knobs.quirks.no_pkce) {
        Ok(url) => url,
        Err(msg) => return (StatusCode::BAD_REQUEST, msg).into_response(),
    };
    let mut pairs = url.query_pairs_mut();
    if st.knobs.deny {
        pairs.append_pair("error", "access_denied");
        pairs.append_pair("error_description", "The user denied the request");
    } else {
        let code = random_token();
        let grant = Grant {
            redirect_uri: q["redirect_uri"].clone(),
            code_challenge: q.get("code_challenge").cloned().unwrap_or_default(),
            nonce: q["nonce"].clone(),
            scope: q["scope"].clone(),
            user: st.user.clone(),
            auth_time: now(),
            sid: random_token(),
        };
        st.sids.push(grant.sid.clone());
        st.codes.insert(code.clone(), grant);
        pairs.append_pair("code", &code);
    }
    pairs.append_pair("state", &q["state"]);
    if st.knobs.advertise_iss {
        pairs.append_pair("iss", &op.issuer);
    }
    drop(pairs);
    if q.get("response_mode").map(String::as_str) == Some("form_post") {
        let sub = st.user.sub.clone();
        return quirks::form_post(&mut st.knobs.quirks, &sub, &url);
    }
    Redirect::to(url.as_str()).into_response()
}
