//! Back-channel logout from end to end: validate the logout token, remember
//! its jti, end the sessions it names on every instance.

use super::{unix_now, Engine, FlowError};
use crate::providers::Provider;
use crate::session::Sessions;
use crate::store::{self, LogoutTarget};

/// A jti is remembered this long after the token's iat: by then the token
/// is refused for its age anyway.
const JTI_MEMORY_SECS: i64 = 600;

/// Why a back-channel logout was refused.
#[derive(Debug, thiserror::Error)]
pub enum LogoutError {
    /// The logout token is invalid or replayed (400 invalid_request).
    #[error("invalid logout token: {0}")]
    Invalid(String),
    /// The provider's keys could not be fetched (the provider retries).
    #[error(transparent)]
    Flow(FlowError),
    /// The store failed (503; the provider retries).
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Validates `token` for `provider` and ends the sessions it names;
/// returns how many ended (none is fine).
pub async fn logout(
    engine: &Engine,
    sessions: &Sessions,
    db: &sea_orm::DatabaseConnection,
    provider: &Provider,
    token: &str,
) -> Result<usize, LogoutError> {
    let now = unix_now();
    let claims = engine
        .validate_logout_token(provider, token, now)
        .await
        .map_err(|e| match e {
            FlowError::IdToken(why) => LogoutError::Invalid(why),
            FlowError::UnknownKey => LogoutError::Invalid("unknown signing key".into()),
            other => LogoutError::Flow(other),
        })?;
    let expires = time::OffsetDateTime::from_unix_timestamp(claims.iat.max(now) + JTI_MEMORY_SECS)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let target = LogoutTarget {
        provider: &provider.name,
        sub: claims.sub.as_deref(),
        sid: claims.sid.as_deref(),
        jti: &claims.jti,
        jti_expires_at: expires,
    };
    let ended = store::backchannel_logout(db, &target)
        .await?
        .ok_or_else(|| LogoutError::Invalid("the jti was seen before (replay)".into()))?;
    for hash in &ended {
        sessions.forget_session(hash);
    }
    tracing::info!(provider = %provider.name, sessions = ended.len(),
        by_sid = claims.sid.is_some(), "back-channel logout");
    Ok(ended.len())
}
