//! Preset `amazon`. Login with Amazon (OAuth 2.0): GET /user/profile with scope `profile`; the
//! subject is `user_id`; Amazon does not say the email is verified.

use super::{Fields, Kind, Map, Preset};

/// Amazon.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.amazon.com/ap/oa",
        token_url: "https://api.amazon.com/auth/o2/token",
        api_url: "https://api.amazon.com",
        userinfo_url: "{api}/user/profile",
        map: Map::Fields(Fields {
            subject: "/user_id",
            name: "/name",
            email: "/email",
            ..Fields::NONE
        }),
    },
    scopes: &["profile"],
    ..Preset::named("amazon", "Amazon", "#ff9900")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Amazon's documented answer.
        let doc = serde_json::json!({"user": {"user_id": "amzn1.account.K2LI23KL2LK2", "email": "mhashimoto-04@plaxo.com", "name": "Mork Hashimoto", "postal_code": "98052"}});
        let p = PRESET.profile("amazon", &doc).unwrap();
        assert_eq!(p.subject, "amzn1.account.K2LI23KL2LK2");
        assert_eq!(p.name.as_deref(), Some("Mork Hashimoto"));
        assert_eq!(p.email.as_deref(), Some("mhashimoto-04@plaxo.com"));
        assert!(!p.email_verified);
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("amazon", &doc).is_err());
    }
}
