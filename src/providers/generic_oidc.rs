//! Preset `oidc`: any OpenID Connect provider, by discovery from `issuer`.

pub use super::fields::map_claims;
use super::Preset;

/// Scopes asked for unless the operator names others.
pub const DEFAULT_SCOPES: &[&str] = &["openid", "email", "profile"];

/// Any OpenID Connect provider.
pub const PRESET: Preset = Preset {
    icon: "openid",
    ..Preset::named("oidc", "OpenID Connect", "#4b5563")
};

#[cfg(test)]
use super::ProfileError;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn standard_claims_map_to_a_profile() {
        let claims = json!({
            "sub": "248289761001", "name": "Jane Doe", "preferred_username": "j.doe",
            "email": "janedoe@example.com", "email_verified": true,
            "picture": "http://example.com/janedoe/me.jpg"
        });
        let profile = map_claims("corp", &claims).unwrap();
        assert_eq!(profile.subject, "248289761001");
        assert_eq!(profile.username.as_deref(), Some("j.doe"));
        assert_eq!(profile.name.as_deref(), Some("Jane Doe"));
        assert_eq!(profile.email.as_deref(), Some("janedoe@example.com"));
        assert!(profile.email_verified);
        assert_eq!(
            profile.avatar_url.as_deref(),
            Some("http://example.com/janedoe/me.jpg")
        );
    }

    #[test]
    fn an_unverified_or_absent_email_is_not_verified() {
        let claims = json!({"sub": "1", "email": "a@b.example", "email_verified": false});
        assert!(!map_claims("corp", &claims).unwrap().email_verified);
        let claims = json!({"sub": "1", "email_verified": true});
        assert!(!map_claims("corp", &claims).unwrap().email_verified);
    }

    #[test]
    fn a_missing_subject_is_an_error() {
        let claims = json!({"email": "a@b.example"});
        assert_eq!(
            map_claims("corp", &claims),
            Err(ProfileError::MissingSubject)
        );
        assert!(map_claims("corp", &json!([1])).is_err());
    }
}
