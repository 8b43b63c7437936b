//! The session cache's marks, expiry and trust, without a database.

use super::*;

fn entry(user: Uuid) -> Arc<Cached> {
    let now = OffsetDateTime::now_utc();
    Arc::new(Cached {
        id: Uuid::now_v7(),
        user: users::Model {
            id: user,
            name: None,
            email: None,
            email_verified: false,
            avatar_url: None,
            disabled: false,
            created_at: now,
            updated_at: now,
            last_login_at: None,
        },
        identity_id: Uuid::now_v7(),
        provider: None,
        username: None,
        expires_at: now + time::Duration::hours(1),
        last_seen: AtomicI64::new(now.unix_timestamp()),
        revoked: false,
        memo: Default::default(),
        groups: Default::default(),
        headers: Default::default(),
    })
}

/// The token hash of a test token.
fn h(token: &str) -> String {
    crate::session::hash_token(token)
}

fn filled(cache: &SessionCache, token: &str, user: Uuid) {
    cache.insert(&h(token), entry(user), cache.generation());
    assert!(cache.get(&h(token)).is_some(), "{token} was just cached");
}

#[test]
fn a_user_mark_drops_what_was_read_before_it_only() {
    let cache = SessionCache::new(true);
    let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
    filled(&cache, "a1", alice);
    filled(&cache, "a2", alice);
    filled(&cache, "b1", bob);
    let before = cache.generation();
    cache.invalidate_user(alice);
    assert!(cache.get(&h("a1")).is_none() && cache.get(&h("a2")).is_none());
    assert!(
        cache.get(&h("b1")).is_some(),
        "another user's session stays"
    );
    // A read begun before the mark is not cached; one begun after is.
    cache.insert(&h("a1"), entry(alice), before);
    assert!(cache.get(&h("a1")).is_none());
    filled(&cache, "a1", alice);
}

#[test]
fn a_session_mark_and_a_flush_drop_entries() {
    let cache = SessionCache::new(true);
    let user = Uuid::now_v7();
    filled(&cache, "s1", user);
    filled(&cache, "s2", user);
    cache.invalidate_session(&h("s1"));
    assert!(cache.get(&h("s1")).is_none());
    assert!(cache.get(&h("s2")).is_some());
    cache.invalidate_all();
    assert!(cache.get(&h("s2")).is_none());
    filled(&cache, "s2", user);
}

#[test]
fn only_hex_token_hashes_are_cached() {
    let cache = SessionCache::new(true);
    cache.insert("not-a-hash", entry(Uuid::now_v7()), cache.generation());
    assert!(cache.get("not-a-hash").is_none());
    assert_eq!(key(&h("t")).map(hex::encode), Some(h("t")));
}

#[test]
fn entries_expire_and_an_untrusted_cache_answers_nothing() {
    let mut cache = SessionCache::new(true);
    cache.ttl_ms = 0;
    cache.insert(&h("old"), entry(Uuid::now_v7()), cache.generation());
    assert!(cache.get(&h("old")).is_none(), "past its time to live");
    let cache = SessionCache::new(false);
    cache.insert(&h("x"), entry(Uuid::now_v7()), cache.generation());
    assert!(
        cache.get(&h("x")).is_none(),
        "not trusted yet: nothing kept"
    );
    cache.trust_until(Instant::now() + Duration::from_secs(60));
    filled(&cache, "x", Uuid::now_v7());
    cache.distrust();
    assert!(cache.get(&h("x")).is_none());
}
