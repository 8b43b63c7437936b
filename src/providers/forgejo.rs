//! Preset `forgejo`. Forgejo (Codeberg by default): OIDC by issuer, the instance's ROOT_URL with
//! its trailing slash (`https://codeberg.org/`).

use super::Preset;

/// Forgejo.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("https://codeberg.org/", "https://{host}/"),
    ..Preset::named("forgejo", "Forgejo", "#ff6600")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Forgejo's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "12345", "name": "Jane Forge", "preferred_username": "jforge", "email": "jforge@noreply.codeberg.org", "email_verified": true, "picture": "https://codeberg.org/avatars/0f2c2b1e", "website": "https://jforge.example", "locale": "", "groups": ["forgejo"]});
        let p = map_claims("forgejo", &claims).unwrap();
        assert_eq!(p.subject, "12345");
        assert_eq!(p.name.as_deref(), Some("Jane Forge"));
        assert_eq!(p.email.as_deref(), Some("jforge@noreply.codeberg.org"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("jforge"));
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = (
            "https://forgejo.example.com/",
            "https://forgejo.example.com",
        );
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
