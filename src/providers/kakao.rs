//! Preset `kakao`. Kakao Login (OAuth 2.0): GET `https://kapi.kakao.com/v2/user/me`; the profile
//! is nested in `kakao_account`; the email counts only when valid AND verified.

use serde_json::Value;

use super::{bool_at, Fields, Kind, Map, Preset, Profile, ProfileError, Quirks};

/// Kakao.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://kauth.kakao.com/oauth/authorize",
        token_url: "https://kauth.kakao.com/oauth/token",
        api_url: "https://kapi.kakao.com",
        userinfo_url: "{api}/v2/user/me",
        map: Map::Fn(map),
    },
    scopes: &["profile_nickname", "profile_image", "account_email"],
    quirks: Quirks::POST,
    ..Preset::named("kakao", "Kakao", "#fee500")
};

/// Where the profile fields are.
const FIELDS: Fields = Fields {
    subject: "/id",
    name: "/kakao_account/profile/nickname",
    email: "/kakao_account/email",
    avatar_url: "/kakao_account/profile/profile_image_url",
    ..Fields::NONE
};

/// `{"user": GET /v2/user/me}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let mut p = FIELDS.map(provider, doc)?;
    let account = |f| bool_at(doc, &format!("/user/kakao_account/{f}"));
    p.email_verified =
        p.email.is_some() && account("is_email_valid") && account("is_email_verified");
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Kakao's documented answer.
        let doc = serde_json::json!({"user": {"id": 123456789, "connected_at": "2022-04-11T01:45:28Z", "kakao_account": {"profile_nickname_needs_agreement": false, "profile": {"nickname": "Hong Gildong", "thumbnail_image_url": "https://k.kakaocdn.net/dn/img_110x110.jpg", "profile_image_url": "https://k.kakaocdn.net/dn/img_640x640.jpg", "is_default_image": false}, "email_needs_agreement": false, "is_email_valid": true, "is_email_verified": true, "email": "sample@sample.com"}}});
        let p = PRESET.profile("kakao", &doc).unwrap();
        assert_eq!(p.subject, "123456789");
        assert_eq!(p.name.as_deref(), Some("Hong Gildong"));
        assert_eq!(p.email.as_deref(), Some("sample@sample.com"));
        assert!(p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("kakao", &doc).is_err());
    }
}
