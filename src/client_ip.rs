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

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
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

impl KeyExtractor for TrustedProxies {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        Ok(self.client_ip(peer, req.headers()))
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
