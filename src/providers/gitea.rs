//! Preset `gitea`. Gitea: OIDC by issuer, the instance's ROOT_URL with its trailing slash
//! (`https://gitea.example.com/`).

use super::Preset;

/// Gitea.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{host}/"),
    ..Preset::named("gitea", "Gitea", "#609926")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Gitea's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "1", "name": "Gitea Admin", "preferred_username": "gitea_admin", "email": "admin@gitea.example.com", "email_verified": true, "picture": "https://gitea.example.com/avatars/e64c7d89f26bd1972efa854d13d7dd61", "website": "", "locale": "", "groups": ["org1", "org1:team1"]});
        let p = map_claims("gitea", &claims).unwrap();
        assert_eq!(p.subject, "1");
        assert_eq!(p.name.as_deref(), Some("Gitea Admin"));
        assert_eq!(p.email.as_deref(), Some("admin@gitea.example.com"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("gitea_admin"));
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = ("https://gitea.example.com/", "https://gitea.example.com");
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
