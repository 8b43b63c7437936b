//! The `Client` extractor: the request's client IP (through trusted proxies)
//! and its User-Agent, shortened, as kept on sessions and events.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use crate::state::AppState;
use crate::store::ClientMeta;

/// User-Agents are cut to this many characters before they are stored.
pub const MAX_USER_AGENT: usize = 512;

/// Where the request came from.
pub struct Client(pub ClientMeta);

/// The client of a request from `peer` (when the server knows it) with `headers`.
/// The IP is unknown without a peer address unless a trusted proxy vouches
/// for it (see [`crate::client_ip::TrustedProxies::client_ip_of`]).
pub fn client_meta(state: &AppState, peer: Option<SocketAddr>, headers: &HeaderMap) -> ClientMeta {
    let ip = state
        .trusted_proxies
        .client_ip_of(peer.map(|p| p.ip()), headers);
    ClientMeta {
        ip: ip.map(|ip| ip.to_string()),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(MAX_USER_AGENT).collect()),
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Client(client_meta(state, peer, &parts.headers)))
    }
}
