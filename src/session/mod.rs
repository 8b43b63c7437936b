//! Sessions: opaque random tokens (256 bits) whose SHA-256 hash alone is
//! stored; start, look up (idle timeout, absolute lifetime, revocation,
//! disabled users), end.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::config::SessionConfig;
use crate::store::{self, entities::users, NewSession};

/// Writes of last_seen_at are at most this far apart.
const TOUCH_INTERVAL: time::Duration = time::Duration::minutes(1);

/// Where a sign-in came from.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    /// Client IP.
    pub ip: Option<String>,
    /// User-Agent header.
    pub user_agent: Option<String>,
}

/// A session that may be trusted for this request.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    /// The session row's id.
    pub id: Uuid,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The signed-in user.
    pub user: users::Model,
    /// The username of the identity the session signed in with.
    pub username: Option<String>,
}

/// What a session token is worth.
#[derive(Debug, Clone)]
pub enum Lookup {
    /// A live session of an enabled user.
    Active(Box<ActiveSession>),
    /// The token belongs to a disabled user (403).
    Disabled,
    /// Unknown, ended, expired or idle (401).
    None,
}

/// A fresh random session token (43 base64url characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a token: what the database keeps.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts a session for a user signed in with an identity; returns the token.
pub async fn start(
    db: &DatabaseConnection,
    config: &SessionConfig,
    user_id: Uuid,
    identity_id: Uuid,
    meta: ClientMeta,
) -> Result<String, store::Error> {
    let token = new_token();
    let lifetime =
        time::Duration::try_from(config.absolute_lifetime).unwrap_or(time::Duration::days(30));
    store::insert_session(
        db,
        NewSession {
            token_hash: hash_token(&token),
            user_id,
            identity_id,
            expires_at: OffsetDateTime::now_utc() + lifetime,
            ip: meta.ip,
            user_agent: meta.user_agent,
        },
    )
    .await?;
    Ok(token)
}

/// Looks a token up and applies the session rules.
pub async fn lookup(
    db: &DatabaseConnection,
    config: &SessionConfig,
    token: &str,
) -> Result<Lookup, store::Error> {
    if token.is_empty() || token.len() > 128 {
        return Ok(Lookup::None);
    }
    let token_hash = hash_token(token);
    let Some(row) = store::find_session(db, &token_hash).await? else {
        return Ok(Lookup::None);
    };
    if row.user.disabled {
        return Ok(Lookup::Disabled);
    }
    let now = OffsetDateTime::now_utc();
    let idle = time::Duration::try_from(config.idle_timeout).unwrap_or(time::Duration::days(7));
    let session = &row.session;
    if session.revoked_at.is_some()
        || now >= session.expires_at
        || now - session.last_seen_at >= idle
    {
        return Ok(Lookup::None);
    }
    if now - session.last_seen_at >= TOUCH_INTERVAL {
        store::touch_session(db, session.id).await?;
    }
    Ok(Lookup::Active(Box::new(ActiveSession {
        id: session.id,
        token_hash,
        user: row.user,
        username: row.identity.and_then(|i| i.username),
    })))
}

/// Ends a session server-side (unknown tokens are ignored).
pub async fn end(db: &DatabaseConnection, token: &str) -> Result<(), store::Error> {
    store::revoke_session(db, &hash_token(token)).await?;
    Ok(())
}

/// How often ended sessions are deleted.
const CLEANUP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);
/// Revoked sessions are kept this long (a disabled user's cookie gets 403, not 401).
const KEEP_REVOKED: time::Duration = time::Duration::days(30);

/// Deletes ended sessions once now and then every hour, in the background.
pub fn spawn_cleanup(
    db: DatabaseConnection,
    config: &SessionConfig,
) -> tokio::task::JoinHandle<()> {
    let idle = time::Duration::try_from(config.idle_timeout).unwrap_or(time::Duration::days(7));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CLEANUP_EVERY);
        loop {
            every.tick().await;
            match store::delete_ended_sessions(&db, idle, KEEP_REVOKED).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "ended sessions deleted"),
                Err(e) => tracing::warn!(error = %e, "session cleanup failed; will retry"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed_to_hex() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        let h = hash_token(&a);
        assert_eq!(h.len(), 64);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
