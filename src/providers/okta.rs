//! Preset `okta`. Okta: OIDC by issuer, the org authorization server `https://DOMAIN.okta.com` or a
//! custom one `https://DOMAIN.okta.com/oauth2/default`.

use super::Preset;

/// Okta.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{domain}"),
    ..Preset::named("okta", "Okta", "#00297a")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Okta's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "00uid4BxXw6I6TV4m0g3", "name": "John Doe", "nickname": "Jimmy", "preferred_username": "john.doe@example.com", "email": "john.doe@example.com", "email_verified": true, "zoneinfo": "America/Los_Angeles", "locale": "en-US"});
        let p = map_claims("okta", &claims).unwrap();
        assert_eq!(p.subject, "00uid4BxXw6I6TV4m0g3");
        assert_eq!(p.name.as_deref(), Some("John Doe"));
        assert_eq!(p.email.as_deref(), Some("john.doe@example.com"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("john.doe@example.com"));
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = (
            "https://dev-123456.okta.com/oauth2/default",
            "ftp://dev-123456.okta.com",
        );
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
