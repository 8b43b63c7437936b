//! `require_group(name)`: a route layer that lets through only users in a
//! group (401 or 303 to /login when signed out, 403 without the group).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use super::error::{finish, wants_json, AppError};
use super::extract::CurrentUser;
use crate::embed::Doorman;

/// Lets through only signed-in users in `group` (compared ASCII
/// case-insensitively): `.route("/admin", get(admin).route_layer(require_group("admin")))`.
pub fn require_group(group: impl Into<String>) -> RequireGroup {
    RequireGroup {
        group: Arc::from(group.into()),
    }
}

/// The layer [`require_group`] returns.
#[derive(Debug, Clone)]
pub struct RequireGroup {
    group: Arc<str>,
}

impl<S> Layer<S> for RequireGroup {
    type Service = RequireGroupService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireGroupService {
            inner,
            group: self.group.clone(),
        }
    }
}

/// The service [`RequireGroup`] wraps a route in.
#[derive(Debug, Clone)]
pub struct RequireGroupService<S> {
    inner: S,
    group: Arc<str>,
}

impl<S> Service<Request> for RequireGroupService<S>
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

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone that was polled ready serves this request.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let group = self.group.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let user = match CurrentUser::from_request_parts(&mut parts, &()).await {
                Ok(user) => user,
                Err(rejection) => return Ok(rejection),
            };
            if !user.in_group(&group) {
                let json = wants_json(&parts.uri, &parts.headers);
                let refused = AppError::MissingGroup.into_response();
                return Ok(match parts.extensions.get::<Doorman>() {
                    Some(doorman) => finish(doorman.state(), refused, json),
                    None => refused,
                });
            }
            inner.call(Request::from_parts(parts, body)).await
        })
    }
}
