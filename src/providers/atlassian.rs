//! Preset `atlassian`. Atlassian (OAuth 2.0 3LO): `audience=api.atlassian.com` and `prompt=consent`
//! on the authorization request; GET `https://api.atlassian.com/me`.

use super::{Fields, Kind, Map, Preset, Quirks, Verified};

/// Atlassian.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://auth.atlassian.com/authorize",
        token_url: "https://auth.atlassian.com/oauth/token",
        api_url: "https://api.atlassian.com",
        userinfo_url: "{api}/me",
        map: Map::Fields(Fields {
            subject: "/account_id",
            username: "/nickname",
            name: "/name",
            email: "/email",
            email_verified: Verified::At("/email_verified"),
            avatar_url: "/picture",
            ..Fields::NONE
        }),
    },
    scopes: &["read:me", "read:account"],
    quirks: Quirks {
        auth_params: &[("audience", "api.atlassian.com"), ("prompt", "consent")],
        ..Quirks::POST
    },
    ..Preset::named("atlassian", "Atlassian", "#0052cc")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Atlassian's documented answer.
        let doc = serde_json::json!({"user": {"account_type": "atlassian", "account_id": "112233aa-bb11-cc22-33dd-eeff55667788", "email": "mia@example.com", "email_verified": true, "name": "Mia Krystof", "picture": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/112233aa-bb11-cc22-33dd-eeff55667788/1234abcd", "account_status": "active", "nickname": "mkrystof", "zoneinfo": "Australia/Sydney", "locale": "en-US", "extended_profile": {"job_title": "Designer"}}});
        let p = PRESET.profile("atlassian", &doc).unwrap();
        assert_eq!(p.subject, "112233aa-bb11-cc22-33dd-eeff55667788");
        assert_eq!(p.username.as_deref(), Some("mkrystof"));
        assert_eq!(p.name.as_deref(), Some("Mia Krystof"));
        assert_eq!(p.email.as_deref(), Some("mia@example.com"));
        assert!(p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("atlassian", &doc).is_err());
    }
}
