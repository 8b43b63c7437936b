//! The session cache: lookups served from memory, invalidated precisely
//! (one session, one user) or wholly, on every instance (see watch.rs).
//!
//! Invalidation is a mark, not a scan: a logical clock ticks at every
//! invalidation, each entry remembers the clock when the read that filled
//! it began, and a lookup accepts an entry only if no mark on its session,
//! its user or the whole cache is later than that. A lookup thus costs a
//! moka get and two small map reads, whatever was invalidated, and a read
//! that raced an invalidation never caches what it read before it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use metrics::Counter;
use moka::sync::Cache;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::entities::users;

/// Entries are dropped after this long whatever happens (a safety net).
const TTL: Duration = Duration::from_secs(300);
/// At most this many sessions are cached.
const CAPACITY: u64 = 100_000;
/// Marks are pruned of those older than TTL when there are more than this.
const MARKS_PRUNE_AT: usize = 4096;

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
}

impl Cached {
    /// What the cache keeps of a session row, its user's groups computed now.
    pub fn from_row(row: crate::store::SessionRow, groups_max_age: i64) -> Self {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Cached {
            groups: super::UserGroups::build(row.roles, &row.identities, groups_max_age, now),
            id: row.session.id,
            identity_id: row.session.identity_id,
            provider: row.identity.as_ref().map(|i| i.provider.clone()),
            username: row.identity.and_then(|i| i.username),
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
    entry: Arc<Cached>,
}

/// When each key was last invalidated (by the cache's clock).
struct Marks<K> {
    map: RwLock<HashMap<K, (u64, Instant)>>,
}

impl<K: Hash + Eq> Marks<K> {
    fn new() -> Self {
        Self {
            map: RwLock::new(HashMap::new()),
        }
    }

    fn get<Q>(&self, key: &Q) -> u64
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.get(key).map_or(0, |(at, _)| *at)
    }

    fn set(&self, key: K, at: u64) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MARKS_PRUNE_AT {
            // An entry loaded before a mark older than TTL has expired anyway.
            map.retain(|_, (_, when)| when.elapsed() < TTL);
        }
        map.insert(key, (at, Instant::now()));
    }
}

/// Cached sessions keyed by token hash.
pub struct SessionCache {
    entries: Cache<String, Slot>,
    clock: AtomicU64,
    flushed_at: AtomicU64,
    users: Marks<Uuid>,
    sessions: Marks<String>,
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
            entries: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(TTL)
                .build(),
            clock: AtomicU64::new(1),
            flushed_at: AtomicU64::new(0),
            users: Marks::new(),
            sessions: Marks::new(),
            trusted_until: AtomicU64::new(if trusted { u64::MAX } else { 0 }),
            epoch: Instant::now(),
            hits: metrics::counter!("doorman_session_cache_hits_total"),
            misses: metrics::counter!("doorman_session_cache_misses_total"),
        }
    }

    /// The cached entry, when the cache may be trusted and nothing
    /// invalidated it since it was read.
    pub fn get(&self, token_hash: &str) -> Option<Arc<Cached>> {
        let found = self
            .trusted()
            .then(|| self.entries.get(token_hash))
            .flatten();
        let Some(slot) = found else {
            self.misses.increment(1);
            return None;
        };
        if !self.fresh(token_hash, &slot) {
            self.entries.invalidate(token_hash);
            self.misses.increment(1);
            return None;
        }
        self.hits.increment(1);
        Some(slot.entry)
    }

    fn fresh(&self, token_hash: &str, slot: &Slot) -> bool {
        let at = slot.loaded_at;
        at >= self.flushed_at.load(Ordering::Acquire)
            && at >= self.users.get(&slot.entry.user.id)
            && at >= self.sessions.get(token_hash)
    }

    /// The clock to pass to [`SessionCache::insert`]: read it before the database.
    pub fn generation(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// Caches what a read begun at `generation` found (when trusted); a
    /// later lookup drops it if something was invalidated since.
    pub fn insert(&self, token_hash: String, entry: Arc<Cached>, generation: u64) {
        if self.trusted() {
            let slot = Slot {
                loaded_at: generation,
                entry,
            };
            self.entries.insert(token_hash, slot);
        }
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Forgets one session.
    pub fn invalidate_session(&self, token_hash: &str) {
        let at = self.tick();
        self.sessions.set(token_hash.to_owned(), at);
        self.entries.invalidate(token_hash);
    }

    /// Forgets every session of a user.
    pub fn invalidate_user(&self, user_id: Uuid) {
        let at = self.tick();
        self.users.set(user_id, at);
    }

    /// Forgets everything.
    pub fn invalidate_all(&self) {
        let at = self.tick();
        self.flushed_at.fetch_max(at, Ordering::AcqRel);
        self.entries.invalidate_all();
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether lookups may be answered from memory now.
    pub fn trusted(&self) -> bool {
        let until = self.trusted_until.load(Ordering::Acquire);
        until == u64::MAX || self.now_ms() < until
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
