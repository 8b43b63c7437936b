//! Per-request observability: a request id (X-Request-Id from a trusted
//! proxy, else generated), carried with the request's method and route as
//! the request's log context (a task-local that logging.rs adds to every
//! line written while the request runs) and echoed in the answer;
//! Prometheus series by matched route pattern, never by raw path.
//!
//! Nothing here costs a span or a label lookup per request: the context is
//! made only of what the request already holds, and each route's series
//! handles are looked up once and kept.

use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::sync::{LazyLock, PoisonError, RwLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use metrics::{Counter, Histogram};

use crate::state::AppState;

/// The request id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id kept from a proxy.
const MAX_ID: usize = 128;

/// What every log line written during a request carries.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// The request id (echoed in X-Request-Id).
    pub id: HeaderValue,
    /// The request's method.
    pub method: Method,
    /// The matched route pattern, if any.
    pub route: Option<MatchedPath>,
}

impl RequestContext {
    /// The route pattern, or "unmatched".
    pub fn route(&self) -> &str {
        self.route.as_ref().map_or("unmatched", MatchedPath::as_str)
    }

    /// The request id as text.
    pub fn id(&self) -> &str {
        self.id.to_str().unwrap_or("-")
    }
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// Runs `future` with `context` as its request's log context.
pub async fn scope<F: Future>(context: RequestContext, future: F) -> F::Output {
    CONTEXT.scope(context, future).await
}

/// The log context of the request being served on this task, if any.
pub fn current() -> Option<RequestContext> {
    CONTEXT.try_with(RequestContext::clone).ok()
}

/// The proxy's id when the peer is a trusted proxy and the id is sane, else a new one.
pub fn request_id(state: &AppState, request: &Request) -> HeaderValue {
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
    new_id()
}

/// A new id: 128 random bits as 32 hex digits (from the thread's generator,
/// no system call).
fn new_id() -> HeaderValue {
    let mut text = [0u8; 32];
    let _ = write!(&mut text[..], "{:032x}", rand::random::<u128>());
    HeaderValue::from_bytes(&text).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// One route's series handles.
struct RouteSeries {
    duration: Histogram,
    requests: Vec<(u16, Counter)>,
}

/// Every route's handles, made on a route's (or status's) first answer.
static SERIES: LazyLock<RwLock<HashMap<String, RouteSeries>>> = LazyLock::new(Default::default);

/// Counts an answer and its duration under its route pattern.
pub fn record(route: Option<&MatchedPath>, status: StatusCode, started: Instant) {
    let route = route.map_or("unmatched", MatchedPath::as_str);
    let seconds = started.elapsed().as_secs_f64();
    let status = status.as_u16();
    {
        let series = SERIES.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = series.get(route) {
            if let Some((_, counter)) = s.requests.iter().find(|(code, _)| *code == status) {
                counter.increment(1);
                s.duration.record(seconds);
                return;
            }
        }
    }
    let mut series = SERIES.write().unwrap_or_else(PoisonError::into_inner);
    let s = series
        .entry(route.to_owned())
        .or_insert_with(|| RouteSeries {
            duration: metrics::histogram!(
                "doorman_http_request_duration_seconds", "route" => route.to_owned()
            ),
            requests: Vec::new(),
        });
    let counter = metrics::counter!(
        "doorman_http_requests_total", "route" => route.to_owned(), "status" => status.to_string()
    );
    counter.increment(1);
    s.duration.record(seconds);
    s.requests.push((status, counter));
}
