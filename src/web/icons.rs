//! GET /icons/{name}.svg: the presets' brand icons; GET /favicon.svg (and
//! /favicon.ico): doorman's own. All embedded in the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::providers::icons;

/// The icon's SVG, cacheable for a day; an unknown name is a 404.
pub async fn icon(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".svg").and_then(icons::svg) {
        Some(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// doorman's favicon (an SVG, also answered at /favicon.ico).
pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../assets/favicon.svg"),
    )
        .into_response()
}
