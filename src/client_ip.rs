//! The client's IP: the peer address, or, when the peer is a trusted proxy,
//! the nearest untrusted hop of X-Forwarded-For.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use ipnet::IpNet;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::GovernorError;

/// The proxies whose X-Forwarded-For is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// From `server.trusted_proxies` (CIDRs or single addresses; validated at start).
    pub fn new(entries: &[String]) -> Self {
        let nets = entries
            .iter()
            .filter_map(|e| {
                e.parse::<IpNet>()
                    .ok()
                    .or_else(|| e.parse::<IpAddr>().ok().map(IpNet::from))
            })
            .collect();
        Self(Arc::new(nets))
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// Whether the peer's headers are believed. Without ConnectInfo (a host
    /// app on plain `axum::serve`), they are when trusted_proxies is set:
    /// the operator then says a proxy stands in front.
    pub fn trusts_peer(&self, peer: Option<IpAddr>) -> bool {
        peer.map_or(!self.0.is_empty(), |ip| self.trusts(ip))
    }

    /// The client's address, when it can be known: from the peer (ConnectInfo)
    /// and a trusted proxy's X-Forwarded-For, else from X-Forwarded-For alone
    /// when the peer is unknown and trusted_proxies is set.
    pub fn client_ip_of(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        match peer {
            Some(peer) => Some(self.client_ip(peer, headers)),
            None if self.trusts_peer(None) => {
                let unspecified = IpAddr::from([0, 0, 0, 0]);
                let ip = self.client_ip(self.0[0].addr(), headers);
                (ip != self.0[0].addr() && ip != unspecified).then_some(ip)
            }
            None => None,
        }
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !self.trusts(**ip))
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }
}

/// The peer address the server recorded (ConnectInfo), if any.
pub fn peer<T>(request: &Request<T>) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

impl KeyExtractor for TrustedProxies {
    type Key = IpAddr;

    /// An unknown client (no ConnectInfo, no trusted proxy) shares one bucket.
    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(self
            .client_ip_of(peer(req), req.headers())
            .unwrap_or(IpAddr::from([0, 0, 0, 0])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let proxies = TrustedProxies::new(&["10.0.0.0/8".into()]);
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(proxies.client_ip(peer, &headers("1.2.3.4")), peer);
    }

    #[test]
    fn without_a_peer_only_a_configured_proxy_makes_the_client_known() {
        let none = TrustedProxies::new(&[]);
        assert_eq!(none.client_ip_of(None, &headers("1.2.3.4")), None);
        let proxies = TrustedProxies::new(&["10.0.0.0/8".into()]);
        let h = headers("198.51.100.7, 10.0.0.2");
        assert_eq!(
            proxies.client_ip_of(None, &h),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(proxies.client_ip_of(None, &HeaderMap::new()), None);
    }

    #[test]
    fn a_trusted_proxy_forwards_the_nearest_untrusted_hop() {
        let proxies = TrustedProxies::new(&["10.0.0.0/8".into(), "192.0.2.1".into()]);
        let peer: IpAddr = "10.1.2.3".parse().unwrap();
        let h = headers("6.6.6.6, 198.51.100.7, 192.0.2.1");
        assert_eq!(
            proxies.client_ip(peer, &h),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(proxies.client_ip(peer, &HeaderMap::new()), peer);
    }
}
