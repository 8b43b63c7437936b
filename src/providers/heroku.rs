//! Preset `heroku`. Heroku (OAuth 2.0): GET `https://api.heroku.com/account` with the Platform API's
//! `Accept: application/vnd.heroku+json; version=3`; scope `identity`.

use super::{Fields, Kind, Map, Preset, Quirks};

/// Heroku.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://id.heroku.com/oauth/authorize",
        token_url: "https://id.heroku.com/oauth/token",
        api_url: "https://api.heroku.com",
        userinfo_url: "{api}/account",
        map: Map::Fields(Fields {
            subject: "/id",
            name: "/name",
            email: "/email",
            ..Fields::NONE
        }),
    },
    scopes: &["identity"],
    quirks: Quirks {
        api_headers: &[("accept", "application/vnd.heroku+json; version=3")],
        ..Quirks::POST
    },
    ..Preset::named("heroku", "Heroku", "#430098")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Heroku's documented answer.
        let doc = serde_json::json!({"user": {"allow_tracking": true, "beta": false, "created_at": "2012-01-01T12:00:00Z", "email": "username@example.com", "federated": false, "id": "01234567-89ab-cdef-0123-456789abcdef", "identity_provider": null, "last_login": "2012-01-01T12:00:00Z", "name": "Tina Edmonds", "suspended_at": null, "two_factor_authentication": false, "updated_at": "2012-01-01T12:00:00Z", "verified": false}});
        let p = PRESET.profile("heroku", &doc).unwrap();
        assert_eq!(p.subject, "01234567-89ab-cdef-0123-456789abcdef");
        assert_eq!(p.name.as_deref(), Some("Tina Edmonds"));
        assert_eq!(p.email.as_deref(), Some("username@example.com"));
        assert!(!p.email_verified);
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("heroku", &doc).is_err());
    }
}
