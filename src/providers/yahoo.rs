//! Preset `yahoo`. Yahoo: OIDC at `https://api.login.yahoo.com`.

use super::Preset;

/// Yahoo.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("https://api.login.yahoo.com", ""),
    ..Preset::named("yahoo", "Yahoo", "#6001d2")
};

#[cfg(test)]
mod tests {
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Yahoo's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "FSVIDUW3D7FSVIDUW3D72F2F", "name": "Jasmine Smith", "given_name": "Jasmine", "family_name": "Smith", "locale": "en-US", "email": "yqa_anc_wdl5@yahoo.com", "email_verified": true, "birthdate": "1972", "profile_images": {"image32": "https://ct.yimg.com/cy/1768/39361574426_98028a_32sq.jpg"}, "picture": "https://ct.yimg.com/cy/1768/39361574426_98028a_192sq.jpg", "nickname": "Jasmine"});
        let p = map_claims("yahoo", &claims).unwrap();
        assert_eq!(p.subject, "FSVIDUW3D7FSVIDUW3D72F2F");
        assert_eq!(p.name.as_deref(), Some("Jasmine Smith"));
        assert_eq!(p.email.as_deref(), Some("yqa_anc_wdl5@yahoo.com"));
        assert!(p.email_verified);
    }
}
