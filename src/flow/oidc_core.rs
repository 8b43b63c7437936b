//! The OpenID Connect core on the openidconnect crate: authorization code
//! flow with state, nonce and (unless the provider refuses it) PKCE S256;
//! full ID token validation (OIDC Core 3.1.3.7), RFC 9207 `iss`, provider
//! claim rules, and userinfo. Metadata comes from `oidc_metadata`.

use std::sync::Arc;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreErrorResponseType,
    CoreJwsSigningAlgorithm, CoreTokenResponse,
};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope,
};
use secrecy::ExposeSecret;
use serde_json::Value;
use url::Url;

use super::client_secret::SecretCache;
use super::oidc_metadata::{Metadata, MetadataCache};
use super::{claim_rules, id_token, FlowError, ProviderHttp};
use crate::providers::{ClientAuth, OidcSpec, Provider};

/// The openidconnect client built from discovered metadata.
pub(super) type DiscoveredClient = CoreClient<
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
    /// PKCE verifier (none where the provider refuses PKCE).
    pub pkce_verifier: Option<String>,
    /// `nonce`.
    pub nonce: String,
}

/// The OIDC core with its metadata and signed-secret caches.
#[derive(Default)]
pub struct OidcCore {
    metadata: MetadataCache,
    secrets: SecretCache,
}

impl OidcCore {
    /// Forgets cached metadata and signed secrets (after a config reload).
    pub fn forget(&self) {
        self.metadata.forget();
        self.secrets.forget();
    }

    /// The provider's metadata (cached for an hour).
    pub async fn metadata(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
    ) -> Result<Arc<Metadata>, FlowError> {
        self.metadata.get(http, provider, spec).await
    }

    /// Fetches the JWKS again (a token named an unknown key) and keeps it.
    pub(super) async fn refresh_jwks(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        meta: &Metadata,
    ) -> Result<Arc<Metadata>, FlowError> {
        self.metadata.refresh_jwks(http, provider, meta).await
    }

    /// Starts a sign-in: the authorization URL with state, nonce, PKCE S256
    /// and the preset's extra parameters.
    pub async fn begin(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
    ) -> Result<Begun, FlowError> {
        let meta = self.metadata(http, provider, spec).await?;
        let client = self.client(provider, spec, &meta)?;
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in spec.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for (name, value) in &spec.auth_params {
            request = request.add_extra_param(name.as_str(), value.as_str());
        }
        let mut pkce_verifier = None;
        if spec.pkce {
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            pkce_verifier = Some(verifier.secret().clone());
        }
        let (url, state, nonce) = request.url();
        Ok(Begun {
            url,
            state: state.secret().clone(),
            pkce_verifier,
            nonce: nonce.secret().clone(),
        })
    }

    /// Finishes a sign-in: checks `iss`, exchanges the code, validates the ID
    /// token and the preset's claim rules, reads userinfo; returns the merged
    /// claims (plus a form_post callback's `user` as `user`) and the token response.
    pub async fn complete(
        &self,
        http: &ProviderHttp,
        provider: &Provider,
        spec: &OidcSpec,
        callback: Callback<'_>,
    ) -> Result<(Value, CoreTokenResponse), FlowError> {
        let meta = self.metadata(http, provider, spec).await?;
        check_iss(&meta, callback.iss)?;
        let client = self.client(provider, spec, &meta)?;
        let mut exchange = client
            .exchange_code(AuthorizationCode::new(callback.code.to_owned()))
            .map_err(|e| FlowError::Discovery(e.to_string()))?;
        if let Some(verifier) = callback.pkce_verifier {
            exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()));
        }
        let token = exchange.request_async(http).await.map_err(token_error)?;
        let nonce = Nonce::new(callback.nonce.to_owned());
        let (claims, meta) = match id_token::validate(&client, spec, &token, &nonce) {
            Err(FlowError::UnknownKey) => {
                let meta = self.metadata.refresh_jwks(http, provider, &meta).await?;
                let client = self.client(provider, spec, &meta)?;
                (id_token::validate(&client, spec, &token, &nonce)?, meta)
            }
            other => (other?, meta),
        };
        claim_rules::check(spec, meta.issuer().as_str(), &claims)?;
        let mut claims =
            id_token::merge_userinfo(http, &meta, &provider.client_id, &token, claims).await?;
        if spec.form_post() {
            add_form_user(&mut claims, callback.user);
        }
        Ok((claims, token))
    }

    /// The openidconnect client for `provider` (its secret signed when the preset says).
    pub(super) fn client(
        &self,
        provider: &Provider,
        spec: &OidcSpec,
        meta: &Metadata,
    ) -> Result<DiscoveredClient, FlowError> {
        let secret = match &spec.signed_secret {
            Some(signed) => Some(self.secrets.get(
                &provider.name,
                signed,
                &provider.client_id,
                &spec.issuer,
                super::unix_now(),
            )?),
            None => provider
                .client_secret
                .as_ref()
                .map(|s| s.expose_secret().to_owned()),
        };
        client_with(provider, spec, meta, secret)
    }
}

/// What the callback brought, with what the login state remembered.
pub struct Callback<'a> {
    /// The authorization code.
    pub code: &'a str,
    /// RFC 9207 `iss`, if sent.
    pub iss: Option<&'a str>,
    /// The PKCE verifier, if PKCE was used.
    pub pkce_verifier: Option<&'a str>,
    /// The nonce.
    pub nonce: &'a str,
    /// A form_post callback's `user` field (Apple, first sign-in only).
    pub user: Option<&'a str>,
}

/// Adds the callback's `user` JSON object as `user`; an ID token claim of
/// that name wins. Its content is unsigned: presets take only the name from it.
fn add_form_user(claims: &mut Value, user: Option<&str>) {
    let user = user.and_then(|u| serde_json::from_str::<Value>(u).ok());
    if let (Some(user @ Value::Object(_)), Some(target)) = (user, claims.as_object_mut()) {
        target.entry("user").or_insert(user);
    }
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

fn client_with(
    provider: &Provider,
    spec: &OidcSpec,
    meta: &Metadata,
    secret: Option<String>,
) -> Result<DiscoveredClient, FlowError> {
    let redirect = RedirectUrl::new(provider.redirect_uri.clone())
        .map_err(|e| FlowError::Discovery(e.to_string()))?;
    let post_only = meta
        .token_endpoint_auth_methods_supported()
        .is_some_and(|m| {
            !m.contains(&CoreClientAuthMethod::ClientSecretBasic)
                && m.contains(&CoreClientAuthMethod::ClientSecretPost)
        });
    let auth = match provider.client_auth.or(spec.client_auth) {
        Some(ClientAuth::RequestBody) => AuthType::RequestBody,
        Some(ClientAuth::Basic) => AuthType::BasicAuth,
        None if post_only => AuthType::RequestBody,
        None => AuthType::BasicAuth,
    };
    Ok(CoreClient::from_provider_metadata(
        meta.clone(),
        ClientId::new(provider.client_id.clone()),
        secret.map(ClientSecret::new),
    )
    .set_redirect_uri(redirect)
    .set_auth_type(auth))
}

type TokenError = RequestTokenError<
    super::HttpError,
    openidconnect::StandardErrorResponse<CoreErrorResponseType>,
>;

/// Maps a failed token request (invalid_grant: [`FlowError::CodeRejected`]).
pub(super) fn token_error(e: TokenError) -> FlowError {
    match e {
        RequestTokenError::ServerResponse(r) => super::token_endpoint_error(r.error().as_ref()),
        RequestTokenError::Request(e) => FlowError::from(e),
        RequestTokenError::Parse(e, body) => error_in_200(&body)
            .unwrap_or_else(|| FlowError::TokenExchange(format!("unreadable token response: {e}"))),
        RequestTokenError::Other(e) => FlowError::TokenExchange(e),
    }
}

/// Slack answers token errors with HTTP 200 and `{"ok": false, "error": ...}`.
fn error_in_200(body: &[u8]) -> Option<FlowError> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let error = doc.get("error")?.as_str()?;
    Some(super::token_endpoint_error(error))
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
