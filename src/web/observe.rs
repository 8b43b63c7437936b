//! Per-request observability: a request id (X-Request-Id from a trusted
//! proxy, else generated) on the request's span, so on every log line of
//! the request, and echoed in the answer; Prometheus series by matched
//! route pattern, never by raw path.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::state::AppState;

/// The request id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id kept from a proxy.
const MAX_ID: usize = 128;

/// Middleware: request id, request span, metrics.
pub async fn observe(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let id = request_id(&state, &request);
    request.headers_mut().insert(REQUEST_ID, id.clone());
    let span = tracing::info_span!(
        "request",
        request_id = id.to_str().unwrap_or_default(),
        method = %request.method(),
        route = %route,
    );
    let mut response = next.run(request).instrument(span).await;
    response.headers_mut().insert(REQUEST_ID, id);
    let status = response.status().as_str().to_owned();
    metrics::counter!("doorman_http_requests_total", "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("doorman_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The proxy's id when the peer is a trusted proxy and the id is sane, else a new one.
fn request_id(state: &AppState, request: &Request) -> HeaderValue {
    let peer = crate::client_ip::peer(request);
    if state.trusted_proxies.trusts_peer(peer) {
        let incoming = request.headers().get(REQUEST_ID).filter(|v| {
            let bytes = v.as_bytes();
            !bytes.is_empty() && bytes.len() <= MAX_ID && bytes.iter().all(|b| b.is_ascii_graphic())
        });
        if let Some(id) = incoming {
            return id.clone();
        }
    }
    let mut buffer = uuid::Uuid::encode_buffer();
    let id = uuid::Uuid::new_v4().simple().encode_lower(&mut buffer);
    HeaderValue::from_str(id).unwrap_or_else(|_| HeaderValue::from_static("-"))
}
