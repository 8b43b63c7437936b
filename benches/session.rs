//! Session tokens: hashing, and a lookup through the real session service
//! on a temporary SQLite database, from the cache (hit) and for an unknown
//! token (miss: the freshness check plus a database read).

use criterion::{criterion_group, criterion_main, Criterion};
use doorman::config::{DatabaseConfig, SessionConfig};
use doorman::providers::Profile;
use doorman::session::{self, ClientMeta, Lookup, Sessions};
use doorman::store;
use std::hint::black_box;

struct Fixture {
    sessions: Sessions,
    token: String,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = DatabaseConfig {
        url: format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
        ..DatabaseConfig::default()
    };
    let db = store::connect(&config).await.expect("connects");
    store::migrate(&db).await.expect("migrates");
    let profile = Profile {
        provider: "github".into(),
        subject: "583231".into(),
        username: Some("octocat".into()),
        name: Some("The Octocat".into()),
        email: Some("octocat@github.com".into()),
        email_verified: true,
        avatar_url: None,
        raw: serde_json::json!({}),
    };
    let sign_in = store::upsert_identity(&db, &profile, None)
        .await
        .expect("upserts");
    let sessions = Sessions::new(
        db,
        SessionConfig::default(),
        std::time::Duration::from_secs(86_400),
    )
    .await
    .expect("sessions");
    let token = sessions
        .start(&sign_in, ClientMeta::default())
        .await
        .expect("starts");
    Fixture {
        sessions,
        token,
        _dir: dir,
    }
}

fn tokens(c: &mut Criterion) {
    let token = session::new_token();
    c.bench_function("session/hash_token", |b| {
        b.iter(|| session::hash_token(black_box(&token)))
    });
}

fn lookups(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let f = rt.block_on(fixture());
    let hit = rt.block_on(f.sessions.lookup(&f.token)).expect("looks up");
    assert!(matches!(hit, Lookup::Active(_)), "the session is live");
    let unknown = session::new_token();
    c.bench_function("session/lookup_hit", |b| {
        b.to_async(&rt)
            .iter(|| f.sessions.lookup(black_box(&f.token)))
    });
    c.bench_function("session/lookup_miss", |b| {
        b.to_async(&rt)
            .iter(|| f.sessions.lookup(black_box(&unknown)))
    });
}

criterion_group!(benches, tokens, lookups);
criterion_main!(benches);
