//! Preset `reddit` (OAuth 2.0): HTTP Basic client authentication, a
//! descriptive User-Agent on every call (Reddit throttles generic ones),
//! `duration=temporary`; GET `https://oauth.reddit.com/api/v1/me`, whose
//! `icon_img` is HTML-escaped. Reddit gives no email.

use serde_json::Value;

use super::{ClientAuth, Fields, Kind, Map, Preset, Profile, ProfileError, Quirks, Request};

/// Reddit.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.reddit.com/api/v1/authorize",
        token_url: "https://www.reddit.com/api/v1/access_token",
        api_url: "https://oauth.reddit.com",
        userinfo_url: "{api}/api/v1/me",
        map: Map::Fn(map),
    },
    scopes: &["identity"],
    quirks: Quirks {
        client_auth: Some(ClientAuth::Basic),
        auth_params: &[("duration", "temporary")],
        user_agent: Some("web:{client_id}:1.0 (by doorman sign-in)"),
        ..Quirks::NONE
    },
    requests: &[Request::get("me", "{userinfo}")],
    ..Preset::named("reddit", "Reddit", "#ff4500")
};

/// `{"me": GET /api/v1/me}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let fields = Fields {
        object: "/me",
        username: "/name",
        name: "/name",
        avatar_url: "/icon_img",
        ..Fields::NONE
    };
    let mut p = fields.map(provider, doc)?;
    p.avatar_url = p.avatar_url.map(|u| u.replace("&amp;", "&"));
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_me_answer_maps_to_a_profile_without_email() {
        // The shape of Reddit's GET /api/v1/me answer.
        let me = json!({"id": "1w72", "name": "spez", "has_verified_email": true,
            "icon_img": "https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_snoo.png?width=256&amp;height=256&amp;crop=256:256,smart&amp;s=abc",
            "created_utc": 1118030400.0, "link_karma": 100, "comment_karma": 200, "is_employee": true});
        let p = map("reddit", &json!({"me": me})).unwrap();
        assert_eq!(p.subject, "1w72");
        assert_eq!(p.username.as_deref(), Some("spez"));
        assert_eq!((p.email, p.email_verified), (None, false));
        assert!(p.avatar_url.unwrap().contains("?width=256&height=256&crop"));
    }

    #[test]
    fn reddit_wants_basic_auth_and_a_descriptive_user_agent() {
        let q = PRESET.quirks;
        assert_eq!(q.client_auth, Some(ClientAuth::Basic));
        assert!(q.user_agent.unwrap().starts_with("web:{client_id}:"));
    }
}
