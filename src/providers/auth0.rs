//! Preset `auth0`. Auth0: OIDC by issuer `https://TENANT.REGION.auth0.com/` or a custom domain; the
//! issuer ends with a slash, as Auth0's metadata spells it.

use super::Preset;

/// Auth0.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{domain}/"),
    ..Preset::named("auth0", "Auth0", "#eb5424")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Auth0's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "auth0|63cf3e3a1b2c3d4e5f6a7b8c", "nickname": "janedoe", "name": "jane@example.com", "picture": "https://s.gravatar.com/avatar/5c4f1f7d.png", "updated_at": "2023-01-24T08:00:00.000Z", "email": "jane@example.com", "email_verified": false});
        let p = map_claims("auth0", &claims).unwrap();
        assert_eq!(p.subject, "auth0|63cf3e3a1b2c3d4e5f6a7b8c");
        assert_eq!(p.name.as_deref(), Some("jane@example.com"));
        assert_eq!(p.email.as_deref(), Some("jane@example.com"));
        assert!(!p.email_verified);
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = ("https://acme.eu.auth0.com/", "https://acme.eu.auth0.com");
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
