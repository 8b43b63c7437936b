//! Preset `zoom`. Zoom (OAuth 2.0): GET `https://api.zoom.us/v2/users/me`; `verified` is 1 for a
//! verified email.

use super::{Fields, Kind, Map, Preset, Verified};

/// Zoom.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://zoom.us/oauth/authorize",
        token_url: "https://zoom.us/oauth/token",
        api_url: "https://api.zoom.us/v2",
        userinfo_url: "{api}/users/me",
        map: Map::Fields(Fields {
            subject: "/id",
            name: "/display_name",
            email: "/email",
            email_verified: Verified::At("/verified"),
            avatar_url: "/pic_url",
            ..Fields::NONE
        }),
    },
    scopes: &["user:read:user"],
    ..Preset::named("zoom", "Zoom", "#0b5cff")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Zoom's documented answer.
        let doc = serde_json::json!({"user": {"id": "KDcuGIm1QgePTO8WbOqwIQ", "first_name": "Jill", "last_name": "Chill", "display_name": "Jill Chill", "email": "jchill@example.com", "type": 1, "pmi": 3542471135u64, "timezone": "Asia/Shanghai", "verified": 1, "dept": "Developers", "pic_url": "https://example.com/photo.jpg", "language": "en-US", "status": "active", "role_id": "0", "account_id": "q6gBJVO5TzexKYTb_I2rpg"}});
        let p = PRESET.profile("zoom", &doc).unwrap();
        assert_eq!(p.subject, "KDcuGIm1QgePTO8WbOqwIQ");
        assert_eq!(p.name.as_deref(), Some("Jill Chill"));
        assert_eq!(p.email.as_deref(), Some("jchill@example.com"));
        assert!(p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("zoom", &doc).is_err());
    }
}
