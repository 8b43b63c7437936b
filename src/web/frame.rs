//! The frame around every doorman answer, as one layer: the request id and
//! the request's log context (observe.rs), error rendering (error_page.rs,
//! left out for the dev IdP's own protocol answers), the security headers
//! and the per-route metrics. One layer rather than a stack of them: every
//! layer is cloned and called once per request, and /auth/verify sits in
//! front of every request of the apps it protects.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use tower::{Layer, Service};

use super::error::{finish, wants_json};
use super::observe::{self, RequestContext, REQUEST_ID};
use crate::state::AppState;

/// Content-Security-Policy of every page.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The layer: [`Frame`] around each route.
#[derive(Clone)]
pub struct FrameLayer {
    state: AppState,
    render_errors: bool,
}

impl FrameLayer {
    /// The frame of doorman's own routes (errors rendered as a page or JSON).
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            render_errors: true,
        }
    }

    /// The frame of routes that answer in their own protocol (the dev IdP).
    pub fn without_error_pages(state: AppState) -> Self {
        Self {
            state,
            render_errors: false,
        }
    }
}

impl<S> Layer<S> for FrameLayer {
    type Service = Frame<S>;

    fn layer(&self, inner: S) -> Frame<S> {
        Frame {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`FrameLayer`] puts around a route.
#[derive(Clone)]
pub struct Frame<S> {
    inner: S,
    layer: FrameLayer,
}

impl<S> Service<Request> for Frame<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let started = Instant::now();
        let state = self.layer.state.clone();
        let id = observe::request_id(&state, &request);
        request.headers_mut().insert(REQUEST_ID, id.clone());
        let json = self.layer.render_errors && wants_json(request.uri(), request.headers());
        let render = self.layer.render_errors;
        let context = RequestContext {
            id: id.clone(),
            method: request.method().clone(),
            route: request.extensions().get::<MatchedPath>().cloned(),
        };
        // The clone is ready only once polled: call the one that was.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let route = context.route.clone();
        Box::pin(observe::scope(context, async move {
            let response = inner.call(request).await?;
            let mut response = if render {
                finish(&state, response, json)
            } else {
                response
            };
            secure(response.headers_mut());
            response.headers_mut().insert(REQUEST_ID, id);
            observe::record(route.as_ref(), response.status(), started);
            Ok(response)
        }))
    }
}

/// The security headers of every answer (a page may set its own CSP and
/// caching). CSP and nosniff only act on a body a browser renders: an answer
/// without one (a redirect, /auth/verify's 200, a 204) goes without them,
/// which keeps the answer a proxy reads on every request short.
fn secure(headers: &mut HeaderMap) {
    if headers.contains_key(header::CONTENT_TYPE) {
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            );
        }
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
