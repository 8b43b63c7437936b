//! Renders the answers AppError chose: an HTML page (with "Try again" for a
//! failed sign-in, keeping where it was headed) or, for clients that want
//! JSON, {"error": CODE, "message": TEXT}.

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::error::{AppError, ErrorMeta};
use super::rejections::framework_rejection;
use crate::state::AppState;

/// Where a failed sign-in was headed: its page's "Try again" keeps it.
#[derive(Clone, Debug)]
pub struct RetryNext(pub String);

/// `result`, with `next` remembered for the error page if it failed.
pub fn retrying(result: Result<Response, AppError>, next: &str) -> Response {
    match result {
        Ok(response) => response,
        Err(e) => {
            let mut response = e.into_response();
            response.extensions_mut().insert(RetryNext(next.to_owned()));
            response
        }
    }
}

/// Gives an AppError response, or one of axum's own rejections, its body:
/// a page, or JSON when `wants_json`. Other responses pass unchanged.
pub fn finish(state: &AppState, response: Response, wants_json: bool) -> Response {
    if response.status().as_u16() < 400 && response.extensions().get::<ErrorMeta>().is_none() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let meta = match parts.extensions.get::<ErrorMeta>().cloned() {
        Some(meta) => meta,
        None => match framework_rejection(&mut parts) {
            Some(meta) => meta,
            None => return Response::from_parts(parts, body),
        },
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if wants_json {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let mut body = json!({ "error": meta.code, "message": meta.message });
        if let Some(login_url) = meta.login_url {
            body["login_url"] = login_url.into();
        }
        Json(body).into_response().into_body()
    } else {
        let retry = meta.sign_in.then(|| {
            parts
                .extensions
                .get::<RetryNext>()
                .map_or_else(|| "/".to_owned(), |r| r.0.clone())
        });
        let ctx =
            minijinja::context! { title => meta.title, message => meta.message.clone(), retry };
        let html = state
            .live()
            .templates
            .render("error.html", ctx)
            .unwrap_or_else(|_| meta.message.clone());
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        Html(html).into_response().into_body()
    };
    Response::from_parts(parts, body)
}

/// Whether a request asks for JSON: Accept names application/json; a
/// back-channel logout; or an /api/ path whose Accept does not ask for HTML
/// (a browser's form post to an /api/ action gets a page).
pub fn wants_json(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accepts_json(headers)
        || uri.path().ends_with("/backchannel-logout")
        || (uri.path().starts_with("/api/") && !accept.contains("text/html"))
}

/// Whether the request asks for JSON (Accept: application/json).
pub fn accepts_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}
