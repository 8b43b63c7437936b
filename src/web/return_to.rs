//! ReturnTo: where a sign-in returns to, from the `next` parameter, the
//! X-Auth-Request-Redirect header (nginx), or X-Forwarded-Uri from a trusted
//! proxy (Traefik), validated like `next`.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::flow::original_uri;
use crate::state::AppState;

/// The validated original URI of the request (`/` when there is none).
pub struct ReturnTo(pub String);

impl FromRequestParts<AppState> for ReturnTo {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let next = parts.uri.query().and_then(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "next")
                .map(|(_, value)| value.into_owned())
        });
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let from_trusted_proxy = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|peer| state.trusted_proxies.trusts(peer.0.ip()));
        let forwarded_uri = header("x-forwarded-uri").filter(|_| from_trusted_proxy);
        Ok(ReturnTo(original_uri(
            next.as_deref(),
            header("x-auth-request-redirect"),
            forwarded_uri,
            &state.config.server.allowed_redirect_hosts,
        )))
    }
}
