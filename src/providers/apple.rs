//! Preset `apple` (Sign in with Apple, OIDC with response_mode=form_post):
//! the client secret is an ES256 JWT signed with the operator's .p8 key
//! (read once at start); the name arrives only on the first sign-in, in the
//! callback's `user` form field, which the core passes on as `user`.

use serde_json::Value;

use super::{generic_oidc, joined, oidc_spec, Kind, Map, Preset, Profile, ProfileError};
use super::{Protocol, Quirks, SignedSecret};
use crate::config::ProviderConfig;

/// A signed client secret is valid this long (Apple allows up to six months).
pub const SECRET_LIFETIME_SECS: i64 = 86_400;

/// Sign in with Apple.
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "https://appleid.apple.com",
        issuer_format: "",
        map: Map::Fn(map),
    },
    scopes: &["name", "email"],
    quirks: Quirks {
        auth_params: &[("response_mode", "form_post")],
        ..Quirks::POST
    },
    accepts: &["team_id", "key_id", "private_key_file"],
    configure: Some(signed_secret),
    ..Preset::named("apple", "Apple", "#000000")
};

/// The client secret is an ES256 JWT signed with the operator's .p8 key.
fn signed_secret(config: &ProviderConfig, protocol: &mut Protocol) -> Result<(), String> {
    let need = |v: &Option<String>, key: &str| {
        v.clone()
            .filter(|s| !s.trim().is_empty())
            .ok_or(format!("the apple preset needs `{key}`"))
    };
    let (team_id, key_id) = (
        need(&config.team_id, "team_id")?,
        need(&config.key_id, "key_id")?,
    );
    let path = config
        .private_key_file
        .as_ref()
        .ok_or("the apple preset needs `private_key_file` (the .p8 key)")?;
    let key = oidc_spec::load_es256_key(path)?;
    if let Protocol::Oidc(spec) = protocol {
        spec.signed_secret = Some(Box::new(SignedSecret {
            key,
            key_id,
            issuer: team_id,
            lifetime_secs: SECRET_LIFETIME_SECS,
        }));
    }
    Ok(())
}

/// ID token claims (plus the first sign-in's `user` form field) to a profile.
/// The email is the ID token's only; `user` supplies nothing but the name.
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut profile = generic_oidc::map_claims(provider, claims)?;
    profile.name = joined(claims, &["/user/name/firstName", "/user/name/lastName"]);
    (profile.username, profile.avatar_url) = (None, None);
    Ok(profile)
}

/// The registry's build of this preset, as the tests call it.
#[cfg(test)]
fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    PRESET.build(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Value {
        // Apple's ID token: booleans as strings, a relay address.
        json!({"iss": "https://appleid.apple.com", "aud": "com.example.web",
               "sub": "001234.0a1b2c3d4e5f.1234", "email": "x7k2@privaterelay.appleid.com",
               "email_verified": "true", "is_private_email": "true", "auth_time": 1700000000,
               "nonce_supported": true})
    }

    #[test]
    fn apple_claims_map_to_a_profile_with_string_booleans() {
        let p = map("apple", &claims()).unwrap();
        assert_eq!(p.subject, "001234.0a1b2c3d4e5f.1234");
        assert_eq!(p.email.as_deref(), Some("x7k2@privaterelay.appleid.com"));
        assert!(p.email_verified);
        assert_eq!(p.name, None);
    }

    #[test]
    fn the_first_sign_in_user_field_gives_the_name_but_never_the_email() {
        let mut c = claims();
        c["user"] = json!({"name": {"firstName": "Jane", "lastName": "Appleseed"},
                           "email": "attacker@evil.example"});
        let p = map("apple", &c).unwrap();
        assert_eq!(p.name.as_deref(), Some("Jane Appleseed"));
        assert_eq!(p.email.as_deref(), Some("x7k2@privaterelay.appleid.com"));
        c["email_verified"] = json!("false");
        assert!(!map("apple", &c).unwrap().email_verified);
    }

    #[test]
    fn a_missing_or_unreadable_key_stops_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("AuthKey.p8");
        let config = |path: &std::path::Path| -> ProviderConfig {
            let text = format!(
                "preset = \"apple\"\nclient_id = \"c\"\nteam_id = \"T\"\nkey_id = \"K\"\n\
                 private_key_file = '{}'",
                path.display()
            );
            toml::from_str(&text).unwrap()
        };
        let missing = build(&config(&path)).unwrap_err();
        assert!(missing.contains("AuthKey.p8"), "{missing}");
        std::fs::write(
            &path,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let garbage = build(&config(&path)).unwrap_err();
        assert!(garbage.contains("not a PKCS#8"), "{garbage}");
    }
}
