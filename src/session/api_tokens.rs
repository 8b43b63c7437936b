//! API tokens: access tokens (ES256 JWTs naming their session) and opaque
//! refresh tokens (hash stored, rotated at each use, reuse detected). A
//! token is only as good as its session: every Bearer request goes through
//! the session lookup, so logout, revocation and disable end its tokens on
//! every instance.

use std::sync::Arc;

use quick_cache::sync::Cache;
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{hash_token, new_token, Cached, Lookup, Sessions};
use crate::config::ApiTokensConfig;
use crate::jwt::{AccessClaims, BearerError, JwtKeys, SignError};
use crate::store::{self, entities::refresh_tokens};

/// What POST /api/token answers.
#[derive(Debug, Clone)]
pub struct TokenPair {
    /// The access token (a JWT).
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: u64,
    /// The new refresh token.
    pub refresh_token: String,
}

/// Why no tokens were issued.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// Unknown, spent, expired, or its session has ended (400 invalid_grant).
    #[error("the refresh token is invalid, spent or expired")]
    InvalidGrant,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Issues, refreshes and checks API tokens.
pub struct ApiTokens {
    db: DatabaseConnection,
    keys: Arc<JwtKeys>,
    issuer: String,
    audience: String,
    config: ApiTokensConfig,
    /// Session id -> session token hash (it never changes: no expiry needed).
    sids: Cache<Uuid, String>,
}

impl ApiTokens {
    /// API tokens issued by `issuer` (`{public_url}{path_prefix}`) and signed with `keys`.
    pub fn new(
        db: DatabaseConnection,
        keys: Arc<JwtKeys>,
        issuer: String,
        config: ApiTokensConfig,
    ) -> ApiTokens {
        ApiTokens {
            db,
            keys,
            audience: format!("{issuer}/api"),
            issuer,
            config,
            sids: Cache::with_weighter(1024, 100_000, quick_cache::UnitWeighter),
        }
    }

    /// Whether `[api_tokens] enabled`.
    pub fn enabled(&self) -> bool {
        self.config.enabled
    }

    /// Whether an Authorization bearer value claims to be doorman's.
    pub fn claims_to_be_ours(&self, token: &str) -> bool {
        crate::jwt::access::claims_to_be_ours(token, &self.issuer)
    }

    /// A new access token and refresh token for a live session.
    pub async fn issue(&self, session: &Cached) -> Result<TokenPair, RefreshError> {
        let refresh_token = new_token();
        store::insert_refresh_token(
            &self.db,
            session.id,
            hash_token(&refresh_token),
            session.expires_at,
        )
        .await?;
        self.pair(session, refresh_token)
    }

    fn pair(&self, session: &Cached, refresh_token: String) -> Result<TokenPair, RefreshError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let lifetime = self.config.access_lifetime.as_secs();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: session.user.id,
            sid: session.id,
            jti: Uuid::new_v4().to_string(),
            iat: now,
            exp: now + lifetime as i64,
        };
        Ok(TokenPair {
            access_token: self.keys.sign_access(&claims)?,
            expires_in: lifetime,
            refresh_token,
        })
    }

    /// The refresh_token grant: spends the token and issues its successor.
    pub async fn refresh(
        &self,
        sessions: &Sessions,
        refresh_token: &str,
    ) -> Result<TokenPair, RefreshError> {
        if refresh_token.is_empty() || refresh_token.len() > 128 {
            return Err(RefreshError::InvalidGrant);
        }
        let row = store::find_refresh_token(&self.db, &hash_token(refresh_token))
            .await?
            .ok_or(RefreshError::InvalidGrant)?;
        if let Some(spent_at) = row.spent_at {
            return Err(self.reused(sessions, &row, spent_at).await);
        }
        if row.expires_at <= OffsetDateTime::now_utc() {
            return Err(RefreshError::InvalidGrant);
        }
        let session = self.live_session(sessions, row.session_id).await?;
        let next = new_token();
        if !store::rotate_refresh_token(&self.db, &row, hash_token(&next)).await? {
            // A concurrent refresh spent it a moment ago: a retry, not a theft.
            return Err(RefreshError::InvalidGrant);
        }
        self.pair(&session, next)
    }

    async fn live_session(
        &self,
        sessions: &Sessions,
        id: Uuid,
    ) -> Result<Arc<Cached>, RefreshError> {
        let Some(token_hash) = self.session_token_hash(id).await? else {
            return Err(RefreshError::InvalidGrant);
        };
        match sessions.lookup_hash(token_hash).await? {
            Lookup::Active(active) => Ok(active.session),
            _ => Err(RefreshError::InvalidGrant),
        }
    }

    /// A spent token again: a retry within reuse_interval, else a theft that
    /// ends the session with every token of it.
    async fn reused(
        &self,
        sessions: &Sessions,
        row: &refresh_tokens::Model,
        spent_at: OffsetDateTime,
    ) -> RefreshError {
        let since = OffsetDateTime::now_utc() - spent_at;
        if since <= self.config.reuse_interval {
            return RefreshError::InvalidGrant;
        }
        match store::find_session_by_id(&self.db, row.session_id).await {
            Ok(Some(session)) if session.revoked_at.is_none() => {
                match sessions.end_reused(session.id).await {
                    Ok(true) => record_refresh_token_reuse(&session),
                    Ok(false) => {}
                    Err(e) => return e.into(),
                }
                RefreshError::InvalidGrant
            }
            Ok(_) => RefreshError::InvalidGrant,
            Err(e) => e.into(),
        }
    }

    async fn session_token_hash(&self, id: Uuid) -> Result<Option<String>, store::Error> {
        if let Some(hash) = self.sids.get(&id) {
            return Ok(Some(hash));
        }
        let found = store::find_session_by_id(&self.db, id).await?;
        Ok(found.map(|s| {
            self.sids.insert(id, s.token_hash.clone());
            s.token_hash
        }))
    }

    /// The session a Bearer access token speaks for. Tokens verified before
    /// are recognised by hash in the session's cache entry until their exp;
    /// others are verified (signature, typ, iss, aud, exp) first.
    pub async fn lookup_bearer(
        &self,
        sessions: &Sessions,
        token: &str,
    ) -> Result<Lookup, BearerFailure> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let unverified: AccessClaims = jsonwebtoken::dangerous::insecure_decode_claims(token)
            .map_err(|e| BearerError::Invalid(e.to_string()))?;
        if let Some(hash) = self.sids.get(&unverified.sid) {
            let lookup = sessions.lookup_hash(hash).await?;
            if let Lookup::Active(active) = &lookup {
                if active.session.memo.verified(token, now) {
                    return Ok(lookup);
                }
            }
        }
        let claims = self
            .keys
            .verify_access(token, &self.issuer, &self.audience)?;
        let Some(hash) = self.session_token_hash(claims.sid).await? else {
            return Ok(Lookup::None);
        };
        let lookup = sessions.lookup_hash(hash).await?;
        if let Lookup::Active(active) = &lookup {
            if active.session.user.id != claims.sub || active.session.id != claims.sid {
                return Ok(Lookup::None);
            }
            active.session.memo.keep_verified(token, claims.exp, now);
        }
        Ok(lookup)
    }
}

/// Why a Bearer token gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum BearerFailure {
    /// It claims to be doorman's and fails verification (401).
    #[error(transparent)]
    Invalid(#[from] BearerError),
    /// The store failed (503).
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// A stolen refresh token was used: the session has been ended. Recorded as
/// a log line until the events table exists, then as a `refresh_token_reuse`
/// event.
fn record_refresh_token_reuse(session: &crate::store::entities::sessions::Model) {
    tracing::warn!(
        user = %session.user_id,
        session = %session.id,
        "refresh_token_reuse: a spent refresh token was presented again; the session is ended"
    );
}
