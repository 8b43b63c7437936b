//! Preset `keycloak`. Keycloak: OIDC by issuer `https://HOST/realms/REALM` (since Keycloak 17 there is
//! no `/auth` prefix; older servers: set the issuer with it).

use super::Preset;

/// Keycloak.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{host}/realms/{realm}"),
    ..Preset::named("keycloak", "Keycloak", "#4d4d4d")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Keycloak's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "f1b7d6a2-3c2e-4d1b-9a57-0c2f3e1d9b10", "preferred_username": "jdoe", "name": "John Doe", "given_name": "John", "family_name": "Doe", "email": "jdoe@example.com", "email_verified": true, "realm_access": {"roles": ["offline_access"]}});
        let p = map_claims("keycloak", &claims).unwrap();
        assert_eq!(p.subject, "f1b7d6a2-3c2e-4d1b-9a57-0c2f3e1d9b10");
        assert_eq!(p.name.as_deref(), Some("John Doe"));
        assert_eq!(p.email.as_deref(), Some("jdoe@example.com"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("jdoe"));
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = (
            "https://sso.example.com/realms/acme",
            "https://sso.example.com/acme",
        );
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
