//! When sessions and users were last invalidated, by the session cache's
//! logical clock, in a fixed table of atomic slots: no lock, no allocation,
//! no pruning, the same memory whatever is invalidated.
//!
//! A key's mark is its slot's, shared with the keys that hash to the same
//! slot, and a slot only moves forward (`fetch_max`). So a lookup may see a
//! later mark than its own key's (a cache entry dropped too early: one more
//! database read) but never an earlier one (an invalidation missed).

use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

/// Slots per table (a power of two): 16,384 slots are 128 KiB. At 15
/// invalidations a second a slot is hit about every 18 minutes, longer
/// than an entry lives, so few entries are dropped for another key.
const BITS: u32 = 14;

/// Marks keyed by a 64-bit hash of the key.
pub struct Marks {
    slots: Box<[AtomicU64]>,
}

impl Marks {
    /// A table with every mark at 0 (nothing invalidated).
    pub fn new() -> Self {
        Self {
            slots: (0..1usize << BITS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// The latest mark on `key`'s slot.
    pub fn get(&self, key: u64) -> u64 {
        self.slots[index(key)].load(Ordering::Acquire)
    }

    /// Marks `key` as invalidated at `at` (a slot never moves back).
    pub fn set(&self, key: u64, at: u64) {
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
        let marks = Marks::new();
        let key = session_key("ab12cd34ef56ab12cd34ef56ab12cd34");
        assert_eq!(marks.get(key), 0);
        marks.set(key, 7);
        assert_eq!(marks.get(key), 7);
        marks.set(key, 3);
        assert_eq!(marks.get(key), 7, "an older mark never hides a newer one");
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
