//! OpenID Connect RP-Initiated Logout 1.0 (`end_session = true`): after
//! the local session has ended, the browser goes to the provider's
//! end_session_endpoint with id_token_hint (the sign-in's ID token, kept
//! sealed with the session), client_id and post_logout_redirect_uri.

use std::str::FromStr;
use std::sync::Arc;

use openidconnect::core::CoreIdToken;
use openidconnect::{ClientId, LogoutRequest, PostLogoutRedirectUrl};
use url::Url;

use super::Engine;
use crate::providers::{Protocol, Provider};
use crate::session::{hash_token, open_id_token, Lookup};
use crate::state::AppState;
use crate::store;

/// What a logout needs to continue at the provider, read before the
/// session ends.
pub struct EndSession {
    provider: Arc<Provider>,
    id_token: String,
}

/// The session's provider and ID token, when that provider says
/// end_session and the session kept its ID token.
pub async fn prepare(state: &AppState, token: &str) -> Option<EndSession> {
    let Ok(Lookup::Active(active)) = state.sessions.lookup(token).await else {
        return None;
    };
    let provider = state
        .providers
        .get(active.session.provider.as_deref()?)
        .filter(|p| p.end_session)?;
    let token_hash = hash_token(token);
    let row = match store::find_session(&state.db, &token_hash).await {
        Ok(row) => row?,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the session's ID token; local logout only");
            return None;
        }
    };
    let sealed = row.session.id_token?;
    let id_token = open_id_token(&state.keys.provider_tokens, &token_hash, &sealed);
    if id_token.is_none() {
        tracing::warn!(provider = %provider.name, "the session's ID token does not open; local logout only");
    }
    Some(EndSession {
        provider,
        id_token: id_token?,
    })
}

impl EndSession {
    /// The provider's end-session URL, or None (then the logout lands on
    /// /login) when the provider publishes no usable endpoint.
    pub async fn url(self, engine: &Engine, post_logout_redirect_uri: String) -> Option<Url> {
        let Protocol::Oidc(spec) = &self.provider.protocol else {
            return None;
        };
        let name = &self.provider.name;
        let meta = match engine
            .oidc
            .metadata(&engine.http, &self.provider, spec)
            .await
        {
            Ok(meta) => meta,
            Err(e) => {
                tracing::warn!(provider = %name, error = %e, "no metadata; local logout only");
                return None;
            }
        };
        let Some(endpoint) = meta.additional_metadata().end_session_endpoint.clone() else {
            tracing::warn!(provider = %name, "end_session is set but the provider publishes no end_session_endpoint");
            return None;
        };
        let url = endpoint.url();
        let loopback = url.host_str().is_some_and(crate::config::is_loopback_host);
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            tracing::warn!(provider = %name, "end_session_endpoint is not https; local logout only");
            return None;
        }
        let hint = CoreIdToken::from_str(&self.id_token).ok()?;
        let request = LogoutRequest::from(endpoint)
            .set_id_token_hint(&hint)
            .set_client_id(ClientId::new(self.provider.client_id.clone()))
            .set_post_logout_redirect_uri(
                PostLogoutRedirectUrl::new(post_logout_redirect_uri).ok()?,
            );
        Some(request.http_get_url())
    }
}
