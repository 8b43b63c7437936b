//! Preset `twitch`. Twitch (OAuth 2.0): GET `https://api.twitch.tv/helix/users` needs the `Client-Id`
//! header next to the token; the user is `data[0]`; scope `user:read:email`.

use super::{Fields, Kind, Map, Preset, Quirks, Request};

/// Twitch.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://id.twitch.tv/oauth2/authorize",
        token_url: "https://id.twitch.tv/oauth2/token",
        api_url: "https://api.twitch.tv/helix",
        userinfo_url: "{api}/users",
        map: Map::Fields(Fields {
            object: "/users/data/0",
            subject: "/id",
            username: "/login",
            name: "/display_name",
            email: "/email",
            avatar_url: "/profile_image_url",
            ..Fields::NONE
        }),
    },
    scopes: &["user:read:email"],
    quirks: Quirks {
        client_id_header: Some("client-id"),
        ..Quirks::POST
    },
    requests: &[Request::get("users", "{userinfo}")],
    ..Preset::named("twitch", "Twitch", "#9146ff")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Twitch's documented answer.
        let doc = serde_json::json!({"users": {"data": [{"id": "141981764", "login": "twitchdev", "display_name": "TwitchDev", "type": "", "broadcaster_type": "partner", "description": "Supporting third-party developers building Twitch integrations.", "profile_image_url": "https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-d0c0-4576-b179-38bd5ce1d6af-profile_image-300x300.png", "offline_image_url": "https://static-cdn.jtvnw.net/jtv_user_pictures/3f13ab61-ec78-4fe6-8481-8682cb3b0ac2-channel_offline_image-1920x1080.png", "view_count": 5980557, "email": "not-real@email.com", "created_at": "2016-12-14T20:32:28Z"}]}});
        let p = PRESET.profile("twitch", &doc).unwrap();
        assert_eq!(p.subject, "141981764");
        assert_eq!(p.username.as_deref(), Some("twitchdev"));
        assert_eq!(p.name.as_deref(), Some("TwitchDev"));
        assert_eq!(p.email.as_deref(), Some("not-real@email.com"));
        assert!(!p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"users": {"name": "x"}});
        assert!(PRESET.profile("twitch", &doc).is_err());
    }
}
