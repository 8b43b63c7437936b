//! Fuzz target `profile_mappers`: arbitrary JSON through every preset's pure
//! profile mapping; none may panic, and every profile has a subject, the
//! provider's name, and no verified flag without an email.
#![no_main]

use std::sync::OnceLock;

use doorman::config::ClaimsConfig;
use doorman::providers::{
    apple, discord, facebook, generic_oauth2, generic_oidc, github, gitlab, linkedin, microsoft,
    slack, x, Profile, ProfileError,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

type Mapper = fn(&str, &Value) -> Result<Profile, ProfileError>;

/// Every preset's mapping (google and dev use the generic OIDC one).
const MAPPERS: &[(&str, Mapper)] = &[
    ("github", github::map),
    ("facebook", facebook::map),
    ("discord", discord::map),
    ("x", x::map),
    ("google", generic_oidc::map_claims),
    ("microsoft", microsoft::map),
    ("gitlab", gitlab::map),
    ("linkedin", linkedin::map),
    ("slack", slack::map),
    ("apple", apple::map),
    ("oidc", generic_oidc::map_claims),
];

/// Claim mappings for the oauth2 and oauth1 presets: a typical one and one
/// of empty pointers (the whole document).
fn fixed_claims() -> &'static [ClaimsConfig] {
    static CLAIMS: OnceLock<Vec<ClaimsConfig>> = OnceLock::new();
    CLAIMS.get_or_init(|| {
        let pointer = |p: &str| Some(p.to_owned());
        vec![
            ClaimsConfig {
                subject: "/id".into(),
                username: pointer("/login"),
                name: pointer("/name"),
                email: pointer("/email"),
                email_verified: pointer("/email_verified"),
                avatar_url: pointer("/avatar/url"),
                groups: pointer("/groups"),
            },
            ClaimsConfig {
                subject: String::new(),
                username: pointer(""),
                name: pointer(""),
                email: pointer(""),
                email_verified: pointer(""),
                avatar_url: pointer(""),
                groups: pointer(""),
            },
        ]
    })
}

fn check(provider: &str, result: Result<Profile, ProfileError>) {
    if let Ok(profile) = result {
        assert_eq!(profile.provider, provider);
        assert!(!profile.subject.is_empty(), "{provider}: empty subject");
        assert!(
            profile.email.is_some() || !profile.email_verified,
            "{provider}: verified without an email"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for (name, map) in MAPPERS {
        check(name, map(name, &doc));
    }
    for claims in fixed_claims() {
        check("corp", generic_oauth2::map(claims, "corp", &doc));
    }
    // Operator-chosen pointers, from the document's own `claims` object.
    if let Some(claims) = doc
        .get("claims")
        .and_then(|c| serde_json::from_value::<ClaimsConfig>(c.clone()).ok())
    {
        check("corp", generic_oauth2::map(&claims, "corp", &doc));
    }
});
