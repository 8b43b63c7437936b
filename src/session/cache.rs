//! The session cache: lookups served from memory, invalidated precisely
//! (one session, one user) or wholly, on every instance (see watch.rs).
//!
//! Invalidation is a mark, not a scan: a logical clock ticks at every
//! invalidation, each entry remembers the clock when the read that filled
//! it began, and a lookup accepts an entry only if no mark on its session,
//! its user or the whole cache is later than that. A lookup thus costs one
//! read of a sharded map and two atomic loads (marks.rs), whatever was
//! invalidated, and a read that raced an invalidation never caches what it
//! read before it.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use metrics::Counter;
use quick_cache::sync::Cache;
use time::OffsetDateTime;
use uuid::Uuid;

use super::marks::{self, Marks};
use crate::store::entities::users;

/// Entries are dropped after this long whatever happens (a safety net).
const TTL: Duration = Duration::from_secs(300);
/// At most this many sessions are cached (the map grows as they come).
const CAPACITY: u64 = 100_000;
/// Room made for this many entries at start.
const INITIAL_CAPACITY: usize = 1024;

/// A session as the database last said, with what the rules need.
#[derive(Debug)]
pub struct Cached {
    /// The session row's id.
    pub id: Uuid,
    /// Its user.
    pub user: users::Model,
    /// The identity it signed in with.
    pub identity_id: Uuid,
    /// That identity's provider (None if it was unlinked).
    pub provider: Option<String>,
    /// The username of the identity it signed in with.
    pub username: Option<String>,
    /// End of the absolute lifetime.
    pub expires_at: OffsetDateTime,
    /// Last use as a Unix timestamp (updated in memory on use).
    pub last_seen: AtomicI64,
    /// Whether it was revoked (only kept for disabled users: 403).
    pub revoked: bool,
    /// Signed tokens remembered for this session (dropped with the entry).
    pub memo: super::memo::TokenMemo,
    /// The user's groups (roles and provider groups).
    pub groups: super::UserGroups,
    /// /auth/verify's identity headers, encoded.
    pub headers: super::IdentityHeaders,
}

impl Cached {
    /// What the cache keeps of a session row, its user's groups computed now.
    pub fn from_row(row: crate::store::SessionRow, groups_max_age: i64) -> Self {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let username = row.identity.as_ref().and_then(|i| i.username.clone());
        Cached {
            headers: super::IdentityHeaders::new(&row.user, username.as_deref()),
            groups: super::UserGroups::build(row.roles, &row.identities, groups_max_age, now),
            id: row.session.id,
            identity_id: row.session.identity_id,
            provider: row.identity.as_ref().map(|i| i.provider.clone()),
            username,
            expires_at: row.session.expires_at,
            last_seen: AtomicI64::new(row.session.last_seen_at.unix_timestamp()),
            revoked: row.session.revoked_at.is_some(),
            user: row.user,
            memo: super::TokenMemo::default(),
        }
    }
}

#[derive(Clone)]
struct Slot {
    /// The clock when the read that produced the entry began.
    loaded_at: u64,
    /// Milliseconds (since the cache's epoch) when the entry is dropped.
    expires_ms: u64,
    entry: Arc<Cached>,
}

/// A token hash as the cache keys it: the 32 bytes its 64 hex digits spell,
/// kept inline in the map's entry (no pointer to follow on a lookup).
type Key = [u8; 32];

/// The key of a hex token hash (None for anything else: never cached).
fn key(token_hash: &str) -> Option<Key> {
    let mut key = [0u8; 32];
    hex::decode_to_slice(token_hash, &mut key).ok()?;
    Some(key)
}

/// Cached sessions keyed by token hash.
pub struct SessionCache {
    entries: Cache<Key, Slot>,
    clock: AtomicU64,
    flushed_at: AtomicU64,
    users: Marks,
    sessions: Marks,
    ttl_ms: u64,
    /// Milliseconds (since `epoch`) until which the cache may be trusted.
    trusted_until: AtomicU64,
    epoch: Instant,
    hits: Counter,
    misses: Counter,
}

impl SessionCache {
    /// An empty cache, trusted from the start (SQLite) or not until
    /// [`SessionCache::trust_until`] says so (PostgreSQL).
    pub fn new(trusted: bool) -> Self {
        Self {
            entries: Cache::with_weighter(INITIAL_CAPACITY, CAPACITY, quick_cache::UnitWeighter),
            clock: AtomicU64::new(1),
            flushed_at: AtomicU64::new(0),
            users: Marks::new(TTL),
            sessions: Marks::new(TTL),
            ttl_ms: u64::try_from(TTL.as_millis()).unwrap_or(u64::MAX),
            trusted_until: AtomicU64::new(if trusted { u64::MAX } else { 0 }),
            epoch: Instant::now(),
            hits: metrics::counter!("doorman_session_cache_hits_total"),
            misses: metrics::counter!("doorman_session_cache_misses_total"),
        }
    }

    /// The cached entry, when the cache may be trusted and nothing
    /// invalidated it since it was read.
    pub fn get(&self, token_hash: &str) -> Option<Arc<Cached>> {
        let now = self.now_ms();
        let key = key(token_hash).filter(|_| self.trusted_at(now));
        let Some((key, slot)) = key.and_then(|k| Some((k, self.entries.get(&k)?))) else {
            self.misses.increment(1);
            return None;
        };
        if now >= slot.expires_ms || !self.fresh(token_hash, &slot) {
            self.entries.remove(&key);
            self.misses.increment(1);
            return None;
        }
        self.hits.increment(1);
        Some(slot.entry)
    }

    fn fresh(&self, token_hash: &str, slot: &Slot) -> bool {
        let at = slot.loaded_at;
        at >= self.flushed_at.load(Ordering::Acquire)
            && !self
                .users
                .marked_after(marks::user_key(&slot.entry.user.id), at)
            && !self
                .sessions
                .marked_after(marks::session_key(token_hash), at)
    }

    /// The clock to pass to [`SessionCache::insert`]: read it before the database.
    pub fn generation(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// Caches what a read begun at `generation` found (when trusted); a
    /// later lookup drops it if something was invalidated since.
    pub fn insert(&self, token_hash: &str, entry: Arc<Cached>, generation: u64) {
        let now = self.now_ms();
        let Some(key) = key(token_hash) else {
            return;
        };
        if self.trusted_at(now) {
            let slot = Slot {
                loaded_at: generation,
                expires_ms: now.saturating_add(self.ttl_ms),
                entry,
            };
            self.entries.insert(key, slot);
        }
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Forgets one session.
    pub fn invalidate_session(&self, token_hash: &str) {
        let at = self.tick();
        self.sessions.set(marks::session_key(token_hash), at);
        if let Some(key) = key(token_hash) {
            self.entries.remove(&key);
        }
    }

    /// Forgets every session of a user.
    pub fn invalidate_user(&self, user_id: Uuid) {
        let at = self.tick();
        self.users.set(marks::user_key(&user_id), at);
    }

    /// Forgets everything.
    pub fn invalidate_all(&self) {
        let at = self.tick();
        self.flushed_at.fetch_max(at, Ordering::AcqRel);
        self.entries.clear();
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether lookups may be answered from memory now.
    pub fn trusted(&self) -> bool {
        self.trusted_at(self.now_ms())
    }

    fn trusted_at(&self, now_ms: u64) -> bool {
        now_ms < self.trusted_until.load(Ordering::Acquire)
    }

    /// Trusts the cache until `deadline`; when it was not trusted, first
    /// flushes it (changes may have been missed meanwhile).
    pub fn trust_until(&self, deadline: Instant) {
        let until = u64::try_from(deadline.saturating_duration_since(self.epoch).as_millis())
            .unwrap_or(u64::MAX - 1);
        if !self.trusted() {
            self.invalidate_all();
        }
        self.trusted_until.fetch_max(until, Ordering::AcqRel);
    }

    /// Stops trusting the cache (the change feed is down).
    pub fn distrust(&self) {
        self.trusted_until.store(0, Ordering::Release);
        self.invalidate_all();
    }
}

#[cfg(test)]
mod tests;
