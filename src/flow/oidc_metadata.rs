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
