//! Preset `gitlab` (OIDC): gitlab.com, or a self-hosted instance through
//! `issuer`. The login name is `nickname`; the subject is the numeric user id.

use serde_json::Value;

use super::{generic_oidc, string_at, Kind, Map, Preset, Profile, ProfileError};

/// GitLab.com or a self-hosted GitLab.
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "https://gitlab.com",
        issuer_format: "",
        map: Map::Fn(map),
    },
    scopes: &["openid", "profile", "email"],
    ..Preset::named("gitlab", "GitLab", "#fc6d26")
};

/// GitLab's ID token and userinfo claims to a profile.
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut profile = generic_oidc::map_claims(provider, claims)?;
    profile.username = string_at(claims, "/nickname").or(profile.username);
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gitlab_userinfo_maps_to_a_profile() {
        // The shape of GitLab's "OpenID Connect provider" docs (ID token + userinfo).
        let claims = json!({
            "sub": "1", "sub_legacy": "2474cf0b2211688a57297ace633e5e0c",
            "name": "Administrator", "nickname": "root", "preferred_username": "root",
            "email": "admin@example.com", "email_verified": true,
            "website": "", "profile": "https://gitlab.example.com/root",
            "picture": "https://www.gravatar.com/avatar/258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f?s=80&d=identicon",
            "groups": ["gitlab-org"], "groups_direct": ["gitlab-org"]
        });
        let p = map("gitlab", &claims).unwrap();
        assert_eq!(p.subject, "1");
        assert_eq!(p.username.as_deref(), Some("root"));
        assert_eq!(p.name.as_deref(), Some("Administrator"));
        assert_eq!(p.email.as_deref(), Some("admin@example.com"));
        assert!(p.email_verified);
        assert!(p
            .avatar_url
            .unwrap()
            .starts_with("https://www.gravatar.com/"));
    }

    #[test]
    fn an_unverified_gitlab_email_stays_unverified() {
        let claims = json!({"sub": "7", "nickname": "jo", "email": "jo@example.com",
                            "email_verified": false});
        let p = map("gitlab", &claims).unwrap();
        assert_eq!(p.username.as_deref(), Some("jo"));
        assert!(!p.email_verified);
    }
}
