//! Preset `naver`. Naver Login (OAuth 2.0): GET `https://openapi.naver.com/v1/nid/me` answers
//! `{resultcode, message, response: {...}}`; Naver does not say the email is verified.

use super::{Fields, Kind, Map, Preset, Quirks};

/// Naver.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://nid.naver.com/oauth2.0/authorize",
        token_url: "https://nid.naver.com/oauth2.0/token",
        api_url: "https://openapi.naver.com",
        userinfo_url: "{api}/v1/nid/me",
        map: Map::Fields(Fields {
            object: "/user/response",
            subject: "/id",
            username: "/nickname",
            name: "/name",
            email: "/email",
            avatar_url: "/profile_image",
            ..Fields::NONE
        }),
    },
    scopes: &[],
    quirks: Quirks::POST,
    ..Preset::named("naver", "Naver", "#03c75a")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Naver's documented answer.
        let doc = serde_json::json!({"user": {"resultcode": "00", "message": "success", "response": {"email": "openapi@naver.com", "nickname": "OpenAPI", "profile_image": "https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif", "age": "40-49", "gender": "F", "id": "32742776", "name": "Open API", "birthday": "10-01"}}});
        let p = PRESET.profile("naver", &doc).unwrap();
        assert_eq!(p.subject, "32742776");
        assert_eq!(p.username.as_deref(), Some("OpenAPI"));
        assert_eq!(p.name.as_deref(), Some("Open API"));
        assert_eq!(p.email.as_deref(), Some("openapi@naver.com"));
        assert!(!p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("naver", &doc).is_err());
    }
}
