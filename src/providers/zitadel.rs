//! Preset `zitadel`. ZITADEL: OIDC by issuer, the instance domain `https://INSTANCE.zitadel.cloud` or
//! a self-hosted one.

use super::Preset;

/// ZITADEL.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("", "https://{domain}"),
    ..Preset::named("zitadel", "ZITADEL", "#1b1b3a")
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of ZITADEL's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "211617898452697090", "name": "Road Runner", "given_name": "Road", "family_name": "Runner", "locale": "en", "preferred_username": "road.runner@acme.zitadel.cloud", "email": "road.runner@acme.example", "email_verified": true, "updated_at": 1686211111});
        let p = map_claims("zitadel", &claims).unwrap();
        assert_eq!(p.subject, "211617898452697090");
        assert_eq!(p.name.as_deref(), Some("Road Runner"));
        assert_eq!(p.email.as_deref(), Some("road.runner@acme.example"));
        assert!(p.email_verified);
        assert_eq!(
            p.username.as_deref(),
            Some("road.runner@acme.zitadel.cloud")
        );
    }

    #[test]
    fn only_issuers_of_the_documented_shape_are_accepted() {
        let (good, bad) = ("https://acme-x1y2z3.zitadel.cloud", "https://");
        crate::providers::issuer::assert_issuer_shape(&PRESET, good, bad);
    }
}
