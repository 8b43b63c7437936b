//! An identity's provider access token for use now: read from its row,
//! refreshed first when it is within a minute of its expiry. One refresh at
//! a time per identity across instances (a lease taken by compare-and-swap,
//! never a lock held across the provider call); callers that find the lease
//! taken get the still-valid current token. A failed refresh gives None
//! (the caller omits the token), logs why, and never ends the session.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::provider_tokens::ProviderTokens;
use super::{unix_now, Engine, FlowError};
use crate::keys::Sealer;
use crate::providers::Provider;
use crate::session::Cached;
use crate::state::AppState;
use crate::store;

/// A failed refresh (other than a refused refresh token) is retried after this long.
const BACKOFF: time::Duration = time::Duration::seconds(5);

/// What reading and refreshing tokens needs.
pub struct TokenSource<'a> {
    /// The protocol cores.
    pub engine: &'a Engine,
    /// The store.
    pub db: &'a DatabaseConnection,
    /// Opens and seals the tokens.
    pub sealer: &'a Sealer,
    /// `[http] timeout`: a refresh takes no longer.
    pub timeout: Duration,
}

/// The access token of the user's identity at provider `name` (the
/// session's own identity when it signed in with `name`): what the library's
/// `CurrentUser::provider_token(name)` answers. None when the provider keeps
/// no tokens, the user has no such identity, or a refresh failed.
pub async fn provider_token(state: &AppState, session: &Cached, name: &str) -> Option<String> {
    let provider = state.providers.get(name).filter(|p| p.tokens.store)?;
    let identity_id = if session.provider.as_deref() == Some(name) {
        session.identity_id
    } else {
        let identities = store::user_identities(&state.db, session.user.id).await;
        let identities = identities
            .map_err(|e| tracing::warn!(error = %e, "cannot read identities for a provider token"))
            .ok()?;
        identities.into_iter().find(|i| i.provider == name)?.id
    };
    source(state).access_token(&provider, identity_id).await
}

/// The token source of the running application.
pub fn source(state: &AppState) -> TokenSource<'_> {
    TokenSource {
        engine: &state.engine,
        db: &state.db,
        sealer: &state.keys.provider_tokens,
        timeout: state.config.http.timeout,
    }
}

impl TokenSource<'_> {
    /// The identity's access token, refreshed first when it must be.
    pub async fn access_token(&self, provider: &Provider, identity_id: Uuid) -> Option<String> {
        let current = self.read(provider, identity_id).await?;
        let now = unix_now();
        if current.is_fresh(now) {
            return Some(current.access_token);
        }
        let still_valid = || current.is_valid(now).then(|| current.access_token.clone());
        if current.refresh_token.is_none() {
            return still_valid();
        }
        let lease = Uuid::now_v7();
        let until = time::OffsetDateTime::now_utc()
            + time::Duration::try_from(self.timeout).unwrap_or(time::Duration::seconds(10))
            + BACKOFF;
        match store::take_token_lease(self.db, identity_id, lease, until).await {
            Ok(true) => self.refresh_holding(provider, identity_id, lease).await,
            Ok(false) => {
                tracing::debug!(provider = %provider.name, identity = %identity_id,
                    "another refresh is running; the current access token is used");
                still_valid()
            }
            Err(e) => {
                tracing::warn!(provider = %provider.name, error = %e, "cannot take the refresh lease");
                still_valid()
            }
        }
    }

    /// Reads and opens the identity's tokens from its row.
    async fn read(&self, provider: &Provider, identity_id: Uuid) -> Option<ProviderTokens> {
        let stored = match store::provider_tokens(self.db, identity_id).await {
            Ok(stored) => stored?,
            Err(e) => {
                tracing::warn!(provider = %provider.name, error = %e, "cannot read provider tokens");
                return None;
            }
        };
        if stored.provider != provider.name {
            return None;
        }
        let tokens = ProviderTokens::open(self.sealer, identity_id, stored.sealed.as_deref()?);
        if tokens.is_none() {
            tracing::warn!(provider = %provider.name, identity = %identity_id,
                "stored provider tokens do not open for this identity; ignored");
        }
        tokens
    }

    /// Holding the lease: re-reads the row (another instance may have just
    /// refreshed), refreshes, stores the result and frees the lease.
    async fn refresh_holding(
        &self,
        provider: &Provider,
        identity_id: Uuid,
        lease: Uuid,
    ) -> Option<String> {
        let Some(current) = self.read(provider, identity_id).await else {
            self.finish(provider, identity_id, lease, None, None).await;
            return None;
        };
        let refresh_token = match &current.refresh_token {
            Some(r) if !current.is_fresh(unix_now()) => r.clone(),
            _ => {
                self.finish(provider, identity_id, lease, None, None).await;
                return current.is_valid(unix_now()).then_some(current.access_token);
            }
        };
        let refreshed =
            tokio::time::timeout(self.timeout, self.engine.refresh(provider, &refresh_token))
                .await
                .unwrap_or(Err(FlowError::Http(super::HttpError::Timeout)));
        match refreshed {
            Ok(fresh) => {
                let fresh = fresh.refreshed(&current);
                let sealed = fresh.seal(self.sealer, identity_id);
                self.finish(provider, identity_id, lease, Some(sealed), None)
                    .await;
                tracing::info!(provider = %provider.name, identity = %identity_id,
                    "provider access token refreshed");
                Some(fresh.access_token)
            }
            Err(e) => {
                self.failed(provider, identity_id, lease, e).await;
                None
            }
        }
    }

    /// A refused refresh token drops the stored tokens until the next
    /// sign-in; any other failure backs off for a few seconds.
    async fn failed(&self, provider: &Provider, identity_id: Uuid, lease: Uuid, e: FlowError) {
        if matches!(e, FlowError::CodeRejected) {
            tracing::warn!(provider = %provider.name, identity = %identity_id,
                "the provider refused the refresh token; its tokens are dropped until the next sign-in");
            if let Err(e) = store::set_provider_tokens(self.db, identity_id, None).await {
                tracing::warn!(provider = %provider.name, error = %e, "cannot drop refused tokens");
            }
            self.finish(provider, identity_id, lease, None, None).await;
        } else {
            tracing::warn!(provider = %provider.name, identity = %identity_id, error = %e,
                "refreshing the provider access token failed; it is left out");
            let retry = time::OffsetDateTime::now_utc() + BACKOFF;
            self.finish(provider, identity_id, lease, None, Some(retry))
                .await;
        }
    }

    async fn finish(
        &self,
        provider: &Provider,
        identity_id: Uuid,
        lease: Uuid,
        sealed: Option<String>,
        retry_after: Option<time::OffsetDateTime>,
    ) {
        match store::finish_token_refresh(self.db, identity_id, lease, sealed, retry_after).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(provider = %provider.name, identity = %identity_id,
                "the refresh lease ran out before the refresh ended; its result is not stored"),
            Err(e) => tracing::warn!(provider = %provider.name, error = %e,
                "cannot store refreshed provider tokens"),
        }
    }
}
