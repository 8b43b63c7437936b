//! Preset `box` (file box_com.rs: `box` is a Rust keyword). Box (OAuth 2.0): GET /2.0/users/me; the email is the `login`, which Box does
//! not mark as verified; client credentials in the token request's body.

use super::{Fields, Kind, Map, Preset, Quirks};

/// Box.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://account.box.com/api/oauth2/authorize",
        token_url: "{api}/oauth2/token",
        api_url: "https://api.box.com",
        userinfo_url: "{api}/2.0/users/me",
        map: Map::Fields(Fields {
            subject: "/id",
            name: "/name",
            email: "/login",
            avatar_url: "/avatar_url",
            ..Fields::NONE
        }),
    },
    scopes: &[],
    quirks: Quirks::POST,
    ..Preset::named("box", "Box", "#0061d5")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Box's documented answer.
        let doc = serde_json::json!({"user": {"id": "11446498", "type": "user", "name": "Aaron Levie", "login": "ceo@example.com", "created_at": "2012-12-12T10:53:43-08:00", "language": "en", "timezone": "Africa/Bujumbura", "space_amount": 11345156112u64, "space_used": 1237009912, "max_upload_size": 2147483648u64, "status": "active", "job_title": "CEO", "avatar_url": "https://www.box.com/api/avatar/large/181216415"}});
        let p = PRESET.profile("box", &doc).unwrap();
        assert_eq!(p.subject, "11446498");
        assert_eq!(p.name.as_deref(), Some("Aaron Levie"));
        assert_eq!(p.email.as_deref(), Some("ceo@example.com"));
        assert!(!p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("box", &doc).is_err());
    }
}
