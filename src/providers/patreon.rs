//! Preset `patreon`. Patreon (OAuth 2.0): GET /api/oauth2/v2/identity with the user fields asked
//! for; a JSON:API document, `data.id` and `data.attributes`.

use super::{Fields, Kind, Map, Preset, Quirks, Request, Verified};

/// Patreon.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.patreon.com/oauth2/authorize",
        token_url: "{api}/oauth2/token",
        api_url: "https://www.patreon.com/api",
        userinfo_url: "{api}/oauth2/v2/identity?fields%5Buser%5D=email,full_name,image_url,is_email_verified,vanity",
        map: Map::Fields(Fields {
        object: "/identity/data",
        subject: "/id",
        username: "/attributes/vanity",
        name: "/attributes/full_name",
        email: "/attributes/email",
        email_verified: Verified::At("/attributes/is_email_verified"),
        avatar_url: "/attributes/image_url",
        }),
    },
    scopes: &["identity", "identity[email]"],
    quirks: Quirks::POST,
    requests: &[Request::get("identity", "{userinfo}")],
    ..Preset::named("patreon", "Patreon", "#000000")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Patreon's documented answer.
        let doc = serde_json::json!({"identity": {"data": {"attributes": {"email": "platform@patreon.com", "full_name": "Platform Team", "image_url": "https://c8.patreon.com/2/200/12345", "is_email_verified": true, "vanity": "platformteam"}, "id": "12345", "type": "user"}, "links": {"self": "https://www.patreon.com/api/oauth2/v2/user/12345"}}});
        let p = PRESET.profile("patreon", &doc).unwrap();
        assert_eq!(p.subject, "12345");
        assert_eq!(p.username.as_deref(), Some("platformteam"));
        assert_eq!(p.name.as_deref(), Some("Platform Team"));
        assert_eq!(p.email.as_deref(), Some("platform@patreon.com"));
        assert!(p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"identity": {"name": "x"}});
        assert!(PRESET.profile("patreon", &doc).is_err());
    }
}
