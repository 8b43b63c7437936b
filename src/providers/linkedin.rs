//! Preset `linkedin` ("Sign In with LinkedIn using OpenID Connect"): the token
//! endpoint wants client_secret_post although discovery does not say so, web
//! apps get no PKCE (a code_verifier is refused), and ID tokens carry no nonce.

use serde_json::Value;

use super::{generic_oidc, Kind, Map, Preset, Profile, ProfileError, Quirks};

/// LinkedIn.
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "https://www.linkedin.com/oauth",
        issuer_format: "",
        map: Map::Fn(map),
    },
    scopes: &["openid", "profile", "email"],
    quirks: Quirks {
        pkce: false,
        nonce_required: false,
        ..Quirks::POST
    },
    ..Preset::named("linkedin", "LinkedIn", "#0a66c2")
};

/// LinkedIn's ID token and userinfo claims to a profile (no username).
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut profile = generic_oidc::map_claims(provider, claims)?;
    profile.username = None;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn linkedin_userinfo_maps_to_a_profile() {
        // The sample response of LinkedIn's /v2/userinfo documentation.
        let claims = json!({
            "sub": "782bbtaQ", "name": "John Doe", "given_name": "John", "family_name": "Doe",
            "picture": "https://media.licdn-ei.com/dms/image/C5F03AQHqK8v7tB1HCQ/profile-displayphoto-shrink_100_100/0/",
            "locale": "en-US", "email": "doe@email.com", "email_verified": true
        });
        let p = map("linkedin", &claims).unwrap();
        assert_eq!(p.subject, "782bbtaQ");
        assert_eq!(p.name.as_deref(), Some("John Doe"));
        assert_eq!(p.email.as_deref(), Some("doe@email.com"));
        assert!(p.email_verified);
        assert!(p
            .avatar_url
            .unwrap()
            .starts_with("https://media.licdn-ei.com/"));
        assert_eq!(p.username, None);
    }
}
