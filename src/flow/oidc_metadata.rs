//! OIDC provider metadata: discovery (cached for an hour per provider), the
//! JWKS refetch on an unknown key, and Microsoft's multi-tenant metadata,
//! whose published issuer is a template and so is fetched and checked here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, IssuerUrl, JsonWebKeySet, ProviderMetadata};
use serde::{Deserialize, Serialize};

use super::{FlowError, ProviderHttp};
use crate::providers::{OidcSpec, Provider};

/// How long discovered metadata is trusted before it is fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// RFC 9207's metadata flag and RP-Initiated Logout's endpoint, on top of
/// the standard metadata.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IssParameterMetadata {
    /// The provider sends `iss` on every authorization response.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// OpenID Connect RP-Initiated Logout 1.0's end_session_endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<openidconnect::EndSessionUrl>,
}
impl AdditionalProviderMetadata for IssParameterMetadata {}

/// Discovered provider metadata.
pub type Metadata = ProviderMetadata<
    IssParameterMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Metadata per provider name, with the time it was fetched.
#[derive(Default)]
pub struct MetadataCache {
    cache: Mutex<HashMap<String, (Instant, Arc<Metadata>)>>,
}

impl MetadataCache {
    /// Forgets every cached document.
    pub fn forget(&self) {
        self.lock().clear();
    }

    /// The metadata of `provider` (cached for an hour).
    pub async fn get(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
    ) -> Result<Arc<Metadata>, FlowError> {
        if let Some((at, meta)) = self.lock().get(&provider.name) {
            if at.elapsed() < METADATA_TTL {
                return Ok(meta.clone());
            }
        }
        let meta = if spec.tenant_issuer.is_some() {
            fetch_templated(http, &spec.issuer).await?
        } else {
            let issuer = IssuerUrl::new(spec.issuer.clone())
                .map_err(|e| FlowError::Discovery(e.to_string()))?;
            Metadata::discover_async(issuer, http)
                .await
                .map_err(|e| FlowError::from_discovery(&e))?
        };
        check_endpoints(&spec.issuer, &meta)?;
        Ok(self.remember(&provider.name, meta))
    }

    /// Fetches the JWKS again (a token named an unknown key) and keeps it.
    pub async fn refresh_jwks(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        meta: &Metadata,
    ) -> Result<Arc<Metadata>, FlowError> {
        tracing::info!(provider = %provider.name, "unknown signing key; fetching the JWKS again");
        let jwks = JsonWebKeySet::fetch_async(meta.jwks_uri(), http)
            .await
            .map_err(|e| FlowError::from_discovery(&e))?;
        let fresh = meta.clone().set_jwks(jwks);
        Ok(self.remember(&provider.name, fresh))
    }

    fn remember(&self, name: &str, meta: Metadata) -> Arc<Metadata> {
        let meta = Arc::new(meta);
        self.lock()
            .insert(name.to_owned(), (Instant::now(), meta.clone()));
        meta
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Instant, Arc<Metadata>)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Metadata whose `issuer` may differ from the configured one (a template
/// such as `.../{tenantid}/v2.0`); it must stay on the configured origin.
/// Tokens are then checked against it claim by claim (see `claim_rules`).
async fn fetch_templated(http: &ProviderHttp, issuer: &str) -> Result<Metadata, FlowError> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let request = http::Request::get(url.as_str())
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| FlowError::Discovery(e.to_string()))?;
    let response = http.execute(request).await?;
    if !response.status().is_success() {
        return Err(FlowError::Discovery(format!(
            "{url} answered {}",
            response.status()
        )));
    }
    let meta: Metadata = serde_json::from_slice(response.body())
        .map_err(|e| FlowError::Discovery(format!("unreadable metadata at {url}: {e}")))?;
    let same_origin = matches!(
        (origin(meta.issuer().as_str()), origin(issuer)),
        (Some(a), Some(b)) if a == b
    );
    if !same_origin {
        return Err(FlowError::Discovery(format!(
            "the metadata's issuer {} is not on {issuer}'s host",
            meta.issuer().as_str()
        )));
    }
    let jwks = JsonWebKeySet::fetch_async(meta.jwks_uri(), http)
        .await
        .map_err(|e| FlowError::from_discovery(&e))?;
    Ok(meta.set_jwks(jwks))
}

fn origin(url: &str) -> Option<url::Origin> {
    url::Url::parse(url).ok().map(|u| u.origin())
}

/// Discovered endpoints are https; plain http only on loopback, and only
/// when the issuer itself is loopback http (a development provider).
fn check_endpoints(issuer: &str, meta: &Metadata) -> Result<(), FlowError> {
    let local = |u: &url::Url| {
        u.scheme() == "http" && u.host_str().is_some_and(crate::config::is_loopback_host)
    };
    let issuer_local = url::Url::parse(issuer).is_ok_and(|u| local(&u));
    let mut endpoints = vec![meta.authorization_endpoint().url(), meta.jwks_uri().url()];
    endpoints.extend(meta.token_endpoint().map(|u| u.url()));
    endpoints.extend(meta.userinfo_endpoint().map(|u| u.url()));
    for url in endpoints {
        if url.scheme() != "https" && !(issuer_local && local(url)) {
            return Err(FlowError::Discovery(format!(
                "the provider's metadata names a non-https endpoint ({})",
                url.host_str().unwrap_or_default()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(issuer: &str, token: &str) -> Metadata {
        serde_json::from_value(serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": token,
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
        }))
        .unwrap()
    }

    #[test]
    fn discovered_endpoints_are_http_only_for_a_loopback_http_issuer() {
        let https = "https://id.example";
        assert!(check_endpoints(https, &metadata(https, "https://id.example/token")).is_ok());
        assert!(check_endpoints(https, &metadata(https, "http://127.0.0.1/token")).is_err());
        assert!(check_endpoints(https, &metadata(https, "http://id.example/token")).is_err());
        let local = "http://127.0.0.1:9000";
        assert!(check_endpoints(local, &metadata(local, "http://127.0.0.1:9000/token")).is_ok());
        assert!(check_endpoints(local, &metadata(local, "http://id.example/token")).is_err());
    }
}
