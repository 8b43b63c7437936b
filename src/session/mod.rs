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

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

pub use api_tokens::{ApiTokens, BearerFailure, RefreshError, TokenPair};
pub use cache::Cached;
use cache::SessionCache;
pub use groups::{GroupsView, UserGroups};
pub use headers::IdentityHeaders;
pub use id_token::{open_id_token, SessionIdToken};
pub use memo::TokenMemo;
use touch::Touched;
use watch::Watch;

use crate::config::SessionConfig;
use crate::store::{self, EventKind, NewEvent, NewSession};

mod api_tokens;
mod cache;
mod cleanup;
mod groups;
mod headers;
mod id_token;
mod listener;
mod manage;
mod marks;
mod memo;
mod touch;
mod wal_index;
mod watch;

/// A session's last use is recorded when it is this much older than now.
const TOUCH_INTERVAL: time::Duration = time::Duration::minutes(1);
/// Database reads on the request path give up after this long (503).
const READ_TIMEOUT: Duration = Duration::from_secs(3);

pub use crate::store::ClientMeta;

/// A session that may be trusted for this request.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The session, its user and the username it signed in with.
    pub session: Arc<Cached>,
}

impl ActiveSession {
    /// The user's groups now.
    pub fn groups(&self) -> GroupsView<'_> {
        self.session
            .groups
            .view(OffsetDateTime::now_utc().unix_timestamp())
    }
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
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    hex
}

/// Sessions: start, look up (from the cache when it can be trusted), end.
pub struct Sessions {
    db: DatabaseConnection,
    config: SessionConfig,
    groups_max_age: i64,
    cache: Arc<SessionCache>,
    watch: Watch,
    touched: Arc<Touched>,
    read_timeout: Duration,
}

impl Sessions {
    /// The session service on `db`, watching it for changes made elsewhere;
    /// provider groups older than `groups_max_age` are stale.
    pub async fn new(
        db: DatabaseConnection,
        config: SessionConfig,
        groups_max_age: std::time::Duration,
    ) -> Result<Sessions, store::Error> {
        let notified = db.get_database_backend() == sea_orm::DbBackend::Postgres;
        let cache = Arc::new(SessionCache::new(!notified));
        let watch = Watch::start(&db, cache.clone()).await?;
        let touched = touch::new();
        touch::spawn_writer(db.clone(), Arc::downgrade(&touched));
        Ok(Sessions {
            db,
            config,
            groups_max_age: i64::try_from(groups_max_age.as_secs()).unwrap_or(i64::MAX),
            cache,
            watch,
            touched,
            read_timeout: READ_TIMEOUT,
        })
    }

    /// Database reads on the request path give up after `timeout` (503).
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Starts a session for a completed sign-in, recording `sign_in` with
    /// it; returns the token.
    pub async fn start(
        &self,
        sign_in: &store::SignIn,
        meta: ClientMeta,
    ) -> Result<String, store::Error> {
        self.start_with(sign_in, meta, None).await
    }

    /// Like [`Sessions::start`], recording the ID token signed in with (its
    /// `sub` and `sid`, and the token itself sealed when RP-initiated logout
    /// needs it).
    pub async fn start_with(
        &self,
        sign_in: &store::SignIn,
        meta: ClientMeta,
        id_token: Option<SessionIdToken<'_>>,
    ) -> Result<String, store::Error> {
        let token = new_token();
        let token_hash = hash_token(&token);
        let lifetime = duration(self.config.absolute_lifetime, 30);
        let user_id = sign_in.user.id;
        let event = NewEvent::new(EventKind::SignIn, Some(user_id))
            .provider(&sign_in.identity.provider)
            .client(&meta)
            .detail(serde_json::json!({ "created": sign_in.created }));
        let id_token = id_token.map(|t| t.columns(&token_hash)).unwrap_or_default();
        let new = NewSession {
            token_hash,
            user_id,
            identity_id: sign_in.identity.id,
            expires_at: OffsetDateTime::now_utc() + lifetime,
            ip: meta.ip,
            user_agent: meta.user_agent,
            id_token,
        };
        store::insert_session(&self.db, new, event).await?;
        Ok(token)
    }

    /// Looks a token up and applies the session rules.
    pub async fn lookup(&self, token: &str) -> Result<Lookup, store::Error> {
        if token.is_empty() || token.len() > 128 {
            return Ok(Lookup::None);
        }
        self.lookup_hash(hash_token(token)).await
    }

    /// Looks a session up by its token hash and applies the session rules.
    /// A trusted cache entry answers without waiting; the database read
    /// behind a miss gives up after the read timeout (503).
    pub async fn lookup_hash(&self, token_hash: String) -> Result<Lookup, store::Error> {
        self.watch.check(&self.cache)?;
        if let Some(entry) = self.cache.get(&token_hash) {
            return Ok(self.judge(token_hash, entry));
        }
        let read = async {
            let generation = self.cache.generation();
            let Some(row) = store::find_session(&self.db, &token_hash).await? else {
                return Ok(None);
            };
            let entry = Arc::new(Cached::from_row(row, self.groups_max_age));
            self.cache.insert(&token_hash, entry.clone(), generation);
            Ok::<_, store::Error>(Some(entry))
        };
        match tokio::time::timeout(self.read_timeout, read).await {
            Ok(Ok(Some(entry))) => Ok(self.judge(token_hash, entry)),
            Ok(Ok(None)) => Ok(Lookup::None),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(store::Error::timeout()),
        }
    }

    fn judge(&self, token_hash: String, entry: Arc<Cached>) -> Lookup {
        if entry.user.disabled {
            return Lookup::Disabled;
        }
        let now = OffsetDateTime::now_utc();
        let idle = duration(self.config.idle_timeout, 7);
        let last_seen = entry.last_seen.load(Ordering::Acquire);
        let idle_for = time::Duration::seconds(now.unix_timestamp() - last_seen);
        if entry.revoked || now >= entry.expires_at || idle_for >= idle {
            return Lookup::None;
        }
        if idle_for >= TOUCH_INTERVAL {
            self.touch(&entry, last_seen, now.unix_timestamp());
        }
        Lookup::Active(Box::new(ActiveSession {
            token_hash,
            session: entry,
        }))
    }

    /// Marks a use at most once a minute; the write is batched (touch.rs).
    fn touch(&self, entry: &Cached, seen: i64, now: i64) {
        let won = entry
            .last_seen
            .compare_exchange(seen, now, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if won {
            self.touched.mark(entry.id);
        }
    }

    /// Writes the last use of the sessions marked since the last write (at shutdown).
    pub async fn flush_touches(&self) {
        self.touched.flush(&self.db).await;
    }

    /// Ends a session server-side (unknown tokens are ignored).
    pub async fn end(&self, token: &str) -> Result<(), store::Error> {
        self.end_hash(hash_token(token)).await
    }

    /// Ends the session whose token hashes to `token_hash`.
    pub async fn end_hash(&self, token_hash: String) -> Result<(), store::Error> {
        store::revoke_session(&self.db, &token_hash).await?;
        self.cache.invalidate_session(&token_hash);
        Ok(())
    }

    /// Forgets one session (ended by a change in this process).
    pub fn forget_session(&self, token_hash: &str) {
        self.cache.invalidate_session(token_hash);
    }

    /// Forgets what the cache holds about a user (after a change in this process).
    pub fn forget_user(&self, user_id: Uuid) {
        self.cache.invalidate_user(user_id);
    }

    /// Deletes ended sessions now and then every hour, in the background.
    pub fn spawn_cleanup(&self) -> tokio::task::JoinHandle<()> {
        cleanup::spawn(self.db.clone(), &self.config)
    }
}

fn duration(d: std::time::Duration, default_days: i64) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::days(default_days))
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
