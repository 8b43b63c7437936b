//! Each preset's profile mapping (a pure function) on its documented fixture
//! from benches/fixtures/.

use criterion::{criterion_group, criterion_main, Criterion};
use doorman::config::ClaimsConfig;
use doorman::providers::{
    apple, discord, facebook, generic_oauth2, generic_oidc, github, gitlab, linkedin, microsoft,
    slack, x, Profile, ProfileError,
};
use serde_json::Value;

type Map = fn(&str, &Value) -> Result<Profile, ProfileError>;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/benches/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn oauth2(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let claims = ClaimsConfig {
        subject: "/id".into(),
        username: Some("/login".into()),
        name: Some("/full_name".into()),
        email: Some("/email".into()),
        email_verified: None,
        avatar_url: Some("/avatar_url".into()),
        groups: None,
    };
    generic_oauth2::map(&claims, provider, doc)
}

fn mappings(c: &mut Criterion) {
    let presets: [(&str, Map); 12] = [
        ("github", github::map),
        ("facebook", facebook::map),
        ("discord", discord::map),
        ("google", generic_oidc::map_claims),
        ("microsoft", microsoft::map),
        ("gitlab", gitlab::map),
        ("linkedin", linkedin::map),
        ("slack", slack::map),
        ("apple", apple::map),
        ("x", x::map),
        ("oidc", generic_oidc::map_claims),
        ("oauth2", oauth2),
    ];
    let mut group = c.benchmark_group("profile_mapping");
    for (preset, map) in presets {
        let doc = fixture(preset);
        let profile = map(preset, &doc).unwrap_or_else(|e| panic!("{preset}: {e}"));
        assert!(!profile.subject.is_empty(), "{preset} maps a subject");
        group.bench_function(preset, |b| {
            b.iter(|| map(std::hint::black_box(preset), std::hint::black_box(&doc)))
        });
    }
    group.finish();
}

criterion_group!(benches, mappings);
criterion_main!(benches);
