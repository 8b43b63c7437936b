//! Preset `authentik`. authentik: OIDC by issuer `https://HOST/application/o/SLUG/` (the provider's
//! application slug, with the trailing slash).

use super::Preset;

/// authentik.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{host}/application/o/{slug}/"),
    ..Preset::named("authentik", "authentik", "#fd4b2d")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of authentik's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "9c1e0a4b8f3d2e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a", "email": "akadmin@example.com", "email_verified": true, "name": "authentik Default Admin", "given_name": "authentik Default Admin", "preferred_username": "akadmin", "nickname": "akadmin", "groups": ["authentik Admins"]});
        let p = map_claims("authentik", &claims).unwrap();
        assert_eq!(
            p.subject,
            "9c1e0a4b8f3d2e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"
        );
        assert_eq!(p.name.as_deref(), Some("authentik Default Admin"));
        assert_eq!(p.email.as_deref(), Some("akadmin@example.com"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("akadmin"));
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = (
            "https://auth.example.com/application/o/grafana/",
            "https://auth.example.com/application/o/grafana",
        );
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
