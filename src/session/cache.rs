//! The session cache: lookups served from memory, invalidated by logout,
//! revocation and user changes on every instance (see watch.rs). A
//! generation counter keeps a lookup that raced an invalidation from
//! caching what it read before it.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::entities::users;

/// Entries are dropped after this long whatever happens (a safety net).
const TTL: Duration = Duration::from_secs(300);
/// At most this many sessions are cached.
const CAPACITY: u64 = 100_000;

/// A session as the database last said, with what the rules need.
#[derive(Debug)]
pub struct Cached {
    /// The session row's id.
    pub id: Uuid,
    /// Its user.
    pub user: users::Model,
    /// The username of the identity it signed in with.
    pub username: Option<String>,
    /// End of the absolute lifetime.
    pub expires_at: OffsetDateTime,
    /// Last use as a Unix timestamp (updated in memory on use).
    pub last_seen: AtomicI64,
    /// Whether it was revoked (only kept for disabled users: 403).
    pub revoked: bool,
    /// The user's groups (roles and provider groups).
    pub groups: super::UserGroups,
}

/// Cached sessions keyed by token hash.
pub struct SessionCache {
    entries: Cache<String, Arc<Cached>>,
    generation: AtomicU64,
    trusted: AtomicBool,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TTL)
                .support_invalidation_closures()
                .build(),
            generation: AtomicU64::new(0),
            trusted: AtomicBool::new(true),
        }
    }
}

impl SessionCache {
    /// The cached entry, when the cache may be trusted.
    pub fn get(&self, token_hash: &str) -> Option<Arc<Cached>> {
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        self.entries.get(token_hash)
    }

    /// The generation to pass to [`SessionCache::insert`] after a database read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Caches what a read begun at `generation` found, unless something was
    /// invalidated since.
    pub fn insert(&self, token_hash: String, entry: Arc<Cached>, generation: u64) {
        if !self.trusted.load(Ordering::Acquire) {
            return;
        }
        self.entries.insert(token_hash.clone(), entry);
        if self.generation() != generation {
            self.entries.invalidate(&token_hash);
        }
    }

    /// Forgets one session.
    pub fn invalidate_session(&self, token_hash: &str) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate(token_hash);
    }

    /// Forgets every session of a user.
    pub fn invalidate_user(&self, user_id: Uuid) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let _ = self
            .entries
            .invalidate_entries_if(move |_, entry| entry.user.id == user_id);
    }

    /// Forgets everything.
    pub fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }

    /// While untrusted (the change feed is down), every lookup reads the database.
    pub fn set_trusted(&self, trusted: bool) {
        self.invalidate_all();
        self.trusted.store(trusted, Ordering::Release);
        self.invalidate_all();
    }
}
