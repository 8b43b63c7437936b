//! Preset `figma`. Figma (OAuth 2.0): GET `https://api.figma.com/v1/me` with scope
//! `current_user:read`; the login name is `handle`.

use super::{Fields, Kind, Map, Preset};

/// Figma.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.figma.com/oauth",
        token_url: "{api}/v1/oauth/token",
        api_url: "https://api.figma.com",
        userinfo_url: "{api}/v1/me",
        map: Map::Fields(Fields {
            subject: "/id",
            username: "/handle",
            name: "/handle",
            email: "/email",
            avatar_url: "/img_url",
            ..Fields::NONE
        }),
    },
    scopes: &["current_user:read"],
    ..Preset::named("figma", "Figma", "#0d0d0d")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Figma's documented answer.
        let doc = serde_json::json!({"user": {"id": "1191373839893406221", "email": "ada@example.com", "handle": "Ada Lovelace", "img_url": "https://s3-alpha.figma.com/profile/d6b5e0ab-4a44-4c8c-9b3e-a1b2c3d4e5f6"}});
        let p = PRESET.profile("figma", &doc).unwrap();
        assert_eq!(p.subject, "1191373839893406221");
        assert_eq!(p.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(p.email.as_deref(), Some("ada@example.com"));
        assert!(!p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("figma", &doc).is_err());
    }
}
