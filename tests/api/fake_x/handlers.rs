//! The fake X's endpoints: request_token, authenticate (a browser page, so
//! unsigned), access_token and verify_credentials; every signed request's
//! signature is checked before anything else.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{verify, FakeX, Inner, Temporary, XState, X};

fn random_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// X's answer to a request it cannot authenticate.
fn unauthorized() -> Response {
    let body = json!({"errors": [{"code": 32, "message": "Could not authenticate you."}]});
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

fn form_answer(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Checks consumer key, timestamp, nonce and signature; `secret_of` gives
/// the token secret for the request's oauth_token (None: unknown token).
/// None means X's 401.
fn check(
    x: &Inner,
    method: &str,
    uri: &Uri,
    headers: &HeaderMap,
    secret_of: impl FnOnce(&XState, Option<&String>) -> Option<String>,
) -> Option<BTreeMap<String, String>> {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let oauth = header.and_then(verify::oauth_params)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let fresh = oauth
        .get("oauth_timestamp")
        .and_then(|t| t.parse::<u64>().ok())
        .is_some_and(|t| t.abs_diff(now) < 300);
    let mut st = x.lock();
    let nonce = oauth.get("oauth_nonce").cloned().unwrap_or_default();
    if oauth.get("oauth_consumer_key").map(String::as_str) != Some(FakeX::CONSUMER_KEY)
        || !fresh
        || nonce.is_empty()
        || !st.nonces.insert(nonce)
    {
        return None;
    }
    let token_secret = secret_of(&st, oauth.get("oauth_token"))?;
    drop(st);
    let base_uri = format!("{}{}", x.base, uri.path());
    let received = verify::Received {
        method,
        base_uri: &base_uri,
        query: uri.query(),
        form: b"",
    };
    if verify::verify(&received, &oauth, FakeX::CONSUMER_SECRET, &token_secret).is_err() {
        x.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return None;
    }
    Some(oauth)
}

pub async fn request_token(State(x): X, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let no_token = |_: &XState, token: Option<&String>| token.is_none().then(String::new);
    let Some(oauth) = check(&x, "POST", &uri, &headers, no_token) else {
        return unauthorized();
    };
    if !body.is_empty() {
        return (StatusCode::BAD_REQUEST, "unexpected body").into_response();
    }
    let knobs = x.lock().knobs.clone();
    if knobs.refuse_request_token {
        return unauthorized();
    }
    if let Some(body) = knobs.request_token_body {
        return form_answer(body);
    }
    let Some(callback) = oauth.get("oauth_callback").cloned() else {
        return (StatusCode::BAD_REQUEST, "oauth_callback is required").into_response();
    };
    let (token, secret) = (random_token(), random_token());
    let temporary = Temporary {
        secret: secret.clone(),
        callback,
        verifier: random_token(),
    };
    x.lock().temporary.insert(token.clone(), temporary);
    form_answer(format!(
        "oauth_token={token}&oauth_token_secret={secret}&oauth_callback_confirmed=true"
    ))
}

/// Auto-approves (or, with `deny()`, refuses) and redirects to the callback.
pub async fn authenticate(State(x): X, Query(q): Query<HashMap<String, String>>) -> Response {
    let st = x.lock();
    let token = q.get("oauth_token").cloned().unwrap_or_default();
    let Some(temporary) = st.temporary.get(&token) else {
        return (StatusCode::BAD_REQUEST, "unknown oauth_token").into_response();
    };
    let Ok(mut callback) = url::Url::parse(&temporary.callback) else {
        return (StatusCode::BAD_REQUEST, "bad oauth_callback").into_response();
    };
    if st.knobs.deny {
        callback.query_pairs_mut().append_pair("denied", &token);
    } else {
        callback
            .query_pairs_mut()
            .append_pair("oauth_token", &token)
            .append_pair("oauth_verifier", &temporary.verifier);
    }
    Redirect::to(callback.as_str()).into_response()
}

pub async fn access_token(State(x): X, uri: Uri, headers: HeaderMap) -> Response {
    let temporary_secret = |st: &XState, token: Option<&String>| {
        token
            .and_then(|t| st.temporary.get(t))
            .map(|t| t.secret.clone())
    };
    let Some(oauth) = check(&x, "POST", &uri, &headers, temporary_secret) else {
        return unauthorized();
    };
    let mut st = x.lock();
    let token = oauth.get("oauth_token").cloned().unwrap_or_default();
    let Some(temporary) = st.temporary.remove(&token) else {
        return unauthorized();
    };
    if oauth.get("oauth_verifier") != Some(&temporary.verifier) {
        return unauthorized();
    }
    let (access, secret) = (format!("{}-{}", st.user.id, random_token()), random_token());
    st.access.insert(access.clone(), secret.clone());
    form_answer(format!(
        "oauth_token={access}&oauth_token_secret={secret}&user_id={}&screen_name={}",
        st.user.id, st.user.screen_name
    ))
}

/// X's documented verify_credentials shape; `email` only with include_email=true.
pub async fn verify_credentials(State(x): X, uri: Uri, headers: HeaderMap) -> Response {
    let access_secret =
        |st: &XState, token: Option<&String>| token.and_then(|t| st.access.get(t)).cloned();
    if check(&x, "GET", &uri, &headers, access_secret).is_none() {
        return unauthorized();
    }
    let mut st = x.lock();
    st.last_profile_query = uri.query().map(str::to_owned);
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let u = &st.user;
    let avatar = format!("pbs.twimg.com/profile_images/{}/photo_normal.jpg", u.id);
    let mut body = json!({
        "id": u.id, "id_str": u.id.to_string(), "name": u.name, "screen_name": u.screen_name,
        "location": "", "description": "", "url": null, "protected": false,
        "followers_count": 0, "friends_count": 0, "verified": false,
        "profile_image_url": format!("http://{avatar}"),
        "profile_image_url_https": format!("https://{avatar}"),
    });
    if query.get("include_email").map(String::as_str) == Some("true") {
        body["email"] = u.email.clone().map_or(Value::Null, Value::String);
    }
    if query.get("skip_status").map(String::as_str) != Some("true") {
        body["status"] = json!({"id_str": "1", "text": "hello"});
    }
    Json(body).into_response()
}
