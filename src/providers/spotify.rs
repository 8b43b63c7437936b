//! Preset `spotify`. Spotify (OAuth 2.0): GET `https://api.spotify.com/v1/me`; the avatar is the first
//! of `images`; Spotify documents the email as unverified, so it never is.

use super::{Fields, Kind, Map, Preset};

/// Spotify.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://accounts.spotify.com/authorize",
        token_url: "https://accounts.spotify.com/api/token",
        api_url: "https://api.spotify.com",
        userinfo_url: "{api}/v1/me",
        map: Map::Fields(Fields {
            subject: "/id",
            username: "/id",
            name: "/display_name",
            email: "/email",
            avatar_url: "/images/0/url",
            ..Fields::NONE
        }),
    },
    scopes: &["user-read-email"],
    ..Preset::named("spotify", "Spotify", "#1db954")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Spotify's documented answer.
        let doc = serde_json::json!({"user": {"country": "SE", "display_name": "JM Wizzler", "email": "email@example.com", "explicit_content": {"filter_enabled": false, "filter_locked": false}, "external_urls": {"spotify": "https://open.spotify.com/user/wizzler"}, "followers": {"href": null, "total": 3829}, "href": "https://api.spotify.com/v1/users/wizzler", "id": "wizzler", "images": [{"height": null, "url": "https://i.scdn.co/image/ab6775700000ee85", "width": null}], "product": "premium", "type": "user", "uri": "spotify:user:wizzler"}});
        let p = PRESET.profile("spotify", &doc).unwrap();
        assert_eq!(p.subject, "wizzler");
        assert_eq!(p.username.as_deref(), Some("wizzler"));
        assert_eq!(p.name.as_deref(), Some("JM Wizzler"));
        assert_eq!(p.email.as_deref(), Some("email@example.com"));
        assert!(!p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("spotify", &doc).is_err());
    }
}
