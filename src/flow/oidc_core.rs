//! The OpenID Connect core on the openidconnect crate: discovery (cached),
//! authorization code flow with PKCE S256, state and nonce, full ID token
//! validation (OIDC Core 3.1.3.7), RFC 9207 `iss`, and userinfo.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreErrorResponseType, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKeySet, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, RequestTokenError, Scope,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use url::Url;

use super::{id_token, FlowError, ProviderHttp};
use crate::providers::{ClientAuth, OidcSpec, Provider};

/// How long discovered metadata is trusted before it is fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// RFC 9207's metadata flag, on top of the standard metadata.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct IssParameterMetadata {
    /// The provider sends `iss` on every authorization response.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
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

type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Where an OIDC sign-in sends the browser, and what the callback must check.
pub struct Begun {
    /// The authorization URL.
    pub url: Url,
    /// `state`.
    pub state: String,
    /// PKCE verifier.
    pub pkce_verifier: String,
    /// `nonce`.
    pub nonce: String,
}

/// The OIDC core with its metadata cache.
#[derive(Default)]
pub struct OidcCore {
    cache: Mutex<HashMap<String, (Instant, Arc<Metadata>)>>,
}

impl OidcCore {
    /// Discovered metadata for `provider` (cached for an hour).
    pub async fn metadata(
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
        let issuer =
            IssuerUrl::new(spec.issuer.clone()).map_err(|e| FlowError::Discovery(e.to_string()))?;
        let meta = Metadata::discover_async(issuer, http)
            .await
            .map_err(|e| FlowError::from_discovery(&e))?;
        Ok(self.remember(&provider.name, meta))
    }

    fn remember(&self, name: &str, meta: Metadata) -> Arc<Metadata> {
        let meta = Arc::new(meta);
        self.lock()
            .insert(name.to_owned(), (Instant::now(), meta.clone()));
        meta
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<Metadata>)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a sign-in: the authorization URL with state, nonce and PKCE S256.
    pub async fn begin(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
    ) -> Result<Begun, FlowError> {
        let meta = self.metadata(http, provider, spec).await?;
        let client = client(provider, &meta)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in spec.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Begun {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }

    /// Finishes a sign-in: checks `iss`, exchanges the code, validates the ID
    /// token, reads userinfo; returns the merged claims.
    pub async fn complete(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
        callback: Callback<'_>,
    ) -> Result<serde_json::Value, FlowError> {
        let meta = self.metadata(http, provider, spec).await?;
        check_iss(&meta, callback.iss)?;
        let client = client(provider, &meta)?;
        let token = client
            .exchange_code(AuthorizationCode::new(callback.code.to_owned()))
            .map_err(|e| FlowError::Discovery(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(callback.pkce_verifier.to_owned()))
            .request_async(http)
            .await
            .map_err(token_error)?;
        let nonce = Nonce::new(callback.nonce.to_owned());
        let claims = match id_token::validate(&client, &token, &nonce) {
            Err(FlowError::UnknownKey) => {
                let meta = self.refresh_jwks(http, provider, &meta).await?;
                id_token::validate(&client_with(provider, &meta)?, &token, &nonce)?
            }
            other => other?,
        };
        match meta.userinfo_endpoint() {
            Some(endpoint) => id_token::merge_userinfo(http, endpoint.url(), &token, claims).await,
            None => Ok(claims),
        }
    }

    async fn refresh_jwks(
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
}

/// What the callback brought, with what the login state remembered.
pub struct Callback<'a> {
    /// The authorization code.
    pub code: &'a str,
    /// RFC 9207 `iss`, if sent.
    pub iss: Option<&'a str>,
    /// The PKCE verifier.
    pub pkce_verifier: &'a str,
    /// The nonce.
    pub nonce: &'a str,
}

fn check_iss(meta: &Metadata, iss: Option<&str>) -> Result<(), FlowError> {
    match iss {
        Some(iss) if iss != meta.issuer().as_str() => Err(FlowError::IssuerMismatch),
        None if meta
            .additional_metadata()
            .authorization_response_iss_parameter_supported =>
        {
            Err(FlowError::IssuerMismatch)
        }
        _ => Ok(()),
    }
}

fn client(provider: &Provider, meta: &Metadata) -> Result<DiscoveredClient, FlowError> {
    client_with(provider, meta)
}

fn client_with(provider: &Provider, meta: &Metadata) -> Result<DiscoveredClient, FlowError> {
    let secret = provider
        .client_secret
        .as_ref()
        .map(|s| ClientSecret::new(s.expose_secret().to_owned()));
    let redirect = RedirectUrl::new(provider.redirect_uri.clone())
        .map_err(|e| FlowError::Discovery(e.to_string()))?;
    let post = match provider.client_auth {
        Some(auth) => auth == ClientAuth::RequestBody,
        None => meta
            .token_endpoint_auth_methods_supported()
            .is_some_and(|m| {
                !m.contains(&CoreClientAuthMethod::ClientSecretBasic)
                    && m.contains(&CoreClientAuthMethod::ClientSecretPost)
            }),
    };
    let client = CoreClient::from_provider_metadata(
        meta.clone(),
        ClientId::new(provider.client_id.clone()),
        secret,
    )
    .set_redirect_uri(redirect);
    Ok(if post {
        client.set_auth_type(AuthType::RequestBody)
    } else {
        client
    })
}

type TokenError = RequestTokenError<
    super::HttpError,
    openidconnect::StandardErrorResponse<CoreErrorResponseType>,
>;

fn token_error(e: TokenError) -> FlowError {
    match e {
        RequestTokenError::ServerResponse(r)
            if matches!(r.error(), CoreErrorResponseType::InvalidGrant) =>
        {
            FlowError::CodeRejected
        }
        RequestTokenError::ServerResponse(r) => FlowError::TokenExchange(r.to_string()),
        RequestTokenError::Request(e) => FlowError::from(e),
        RequestTokenError::Parse(e, _) => {
            FlowError::TokenExchange(format!("unreadable token response: {e}"))
        }
        RequestTokenError::Other(e) => FlowError::TokenExchange(e),
    }
}

/// Signing algorithms accepted on ID tokens (asymmetric only; never `none`).
pub const ALLOWED_ALGS: &[CoreJwsSigningAlgorithm] = &[
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EdDsa,
];
