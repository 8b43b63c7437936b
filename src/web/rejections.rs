//! The web framework's own rejections, answered through the error
//! contract like doorman's.

use axum::http::{header, StatusCode};

use super::error::ErrorMeta;

/// axum's own rejections (a malformed or duplicated parameter, a wrong
/// Content-Type, a body over the limit, a wrong method) come as plain
/// text: they are answered through the contract too, keeping their status
/// (a form that does not deserialize is a 400, as a query is) and headers
/// such as Allow.
pub(super) fn framework_rejection(parts: &mut axum::http::response::Parts) -> Option<ErrorMeta> {
    let plain = parts
        .headers
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain || !parts.status.is_client_error() {
        return None;
    }
    if parts.status == StatusCode::UNPROCESSABLE_ENTITY {
        parts.status = StatusCode::BAD_REQUEST;
    }
    let (code, title, message) = match parts.status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "Method not allowed",
            "This address does not accept that method.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "Request too large",
            "The request's body is larger than doorman accepts.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Unsupported content type",
            "The request's body is not in a format this address accepts.",
        ),
        StatusCode::NOT_FOUND => ("not_found", "Not found", "There is nothing here."),
        _ => (
            "bad_request",
            "Bad request",
            "The request could not be read.",
        ),
    };
    Some(ErrorMeta {
        code,
        title,
        message: message.into(),
        login_url: None,
        sign_in: false,
    })
}
