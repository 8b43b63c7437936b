//! When sessions and users were last invalidated, by the session cache's
//! logical clock: a fixed table of atomic slots in front of an exact map.
//!
//! A slot holds the latest mark of every key that hashes to it and only
//! moves forward (`fetch_max`), so it is an upper bound of each of those
//! keys' marks: a slot no later than an entry proves the entry fresh with
//! one atomic load and no lock, which is every lookup but the few whose
//! slot another key moved. Only those read the exact map (behind a lock),
//! so another key's invalidation never drops an entry, however many keys
//! are marked (other instances' and other schemas' notifications arrive on
//! the same PostgreSQL channel).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Slots per table (a power of two): 16,384 slots are 128 KiB. At 15
/// invalidations a second a slot moves about every 18 minutes, longer than
/// an entry lives, so few lookups need the exact map.
const BITS: u32 = 14;

/// The exact map is pruned of marks older than the entries' lifetime when
/// it holds more than this.
const PRUNE_AT: usize = 4096;

/// Marks keyed by a 64-bit hash of the key.
pub struct Marks {
    slots: Box<[AtomicU64]>,
    exact: RwLock<HashMap<u64, (u64, Instant)>>,
    /// How long a cache entry lives: older marks can no longer matter.
    ttl: Duration,
}

impl Marks {
    /// Nothing invalidated yet; marks older than `ttl` may be forgotten.
    pub fn new(ttl: Duration) -> Self {
        Self {
            slots: (0..1usize << BITS).map(|_| AtomicU64::new(0)).collect(),
            exact: RwLock::new(HashMap::new()),
            ttl,
        }
    }

    /// Whether `key` was invalidated after clock `at`.
    pub fn marked_after(&self, key: u64, at: u64) -> bool {
        if self.slots[index(key)].load(Ordering::Acquire) <= at {
            return false;
        }
        let exact = self.exact.read().unwrap_or_else(|e| e.into_inner());
        exact.get(&key).is_some_and(|(mark, _)| *mark > at)
    }

    /// Marks `key` as invalidated at `at` (a mark never moves back).
    pub fn set(&self, key: u64, at: u64) {
        {
            let mut exact = self.exact.write().unwrap_or_else(|e| e.into_inner());
            if exact.len() >= PRUNE_AT {
                // An entry read before a mark older than its lifetime has expired.
                exact.retain(|_, (_, when)| when.elapsed() < self.ttl);
            }
            let mark = exact.entry(key).or_insert((0, Instant::now()));
            *mark = (mark.0.max(at), Instant::now());
        }
        // After the exact map: a lookup that sees the slot move finds the mark.
        self.slots[index(key)].fetch_max(at, Ordering::AcqRel);
    }
}

/// Fibonacci hashing: the top BITS bits of the key times 2^64 / phi.
fn index(key: u64) -> usize {
    // The shift leaves BITS (< 32) bits: the value always fits a usize.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BITS)) as usize
}

/// A user's key: its id folded to 64 bits (random bits in both halves
/// for v4 and v7 ids).
pub fn user_key(id: &Uuid) -> u64 {
    let (high, low) = id.as_u64_pair();
    high ^ low
}

/// A session's key: FNV-1a over the first 16 characters of its token hash
/// (hex of SHA-256, so 64 uniform bits).
pub fn session_key(token_hash: &str) -> u64 {
    token_hash
        .bytes()
        .take(16)
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_read_back_and_never_moves_back() {
        let marks = Marks::new(Duration::from_secs(300));
        let key = session_key("ab12cd34ef56ab12cd34ef56ab12cd34");
        assert!(!marks.marked_after(key, 0));
        marks.set(key, 7);
        assert!(marks.marked_after(key, 6) && !marks.marked_after(key, 7));
        marks.set(key, 3);
        assert!(
            marks.marked_after(key, 6),
            "an older mark never hides a newer one"
        );
    }

    #[test]
    fn a_mark_on_a_key_sharing_the_slot_leaves_the_other_key_fresh() {
        let mut seen = HashMap::new();
        let (a, b) = loop {
            let key = user_key(&Uuid::new_v4());
            if let Some(other) = seen.insert(index(key), key) {
                break (other, key);
            }
        };
        let marks = Marks::new(Duration::from_secs(300));
        marks.set(a, 5);
        assert!(marks.marked_after(a, 4));
        assert!(!marks.marked_after(b, 4), "same slot, another key");
        marks.set(b, 9);
        assert!(marks.marked_after(b, 8) && !marks.marked_after(a, 5));
    }

    #[test]
    fn keys_spread_over_the_slots() {
        let mut used = std::collections::HashSet::new();
        for _ in 0..1000 {
            used.insert(index(user_key(&Uuid::new_v4())));
            used.insert(index(session_key(&crate::session::hash_token(
                &crate::session::new_token(),
            ))));
        }
        // 2,000 keys over 16,384 slots: about 120 expected collisions.
        assert!(used.len() > 1700, "only {} slots used", used.len());
    }
}
