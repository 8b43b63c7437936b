//! Preset `tiktok` (Login Kit for Web, OAuth 2.0): the client id is called
//! `client_key`; scopes are comma-separated; GET /v2/user/info/ answers
//! `{data: {user}, error: {code}}` and the subject is `open_id`. No email.

use serde_json::Value;

use super::{Fields, Kind, Map, Preset, Profile, ProfileError, Quirks, Request};

/// TikTok.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.tiktok.com/v2/auth/authorize/",
        token_url: "{api}/v2/oauth/token/",
        api_url: "https://open.tiktokapis.com",
        userinfo_url: "{api}/v2/user/info/?fields=open_id,union_id,avatar_url,display_name",
        map: Map::Fn(map),
    },
    scopes: &["user.info.basic"],
    quirks: Quirks {
        client_id_param: Some("client_key"),
        scope_separator: ",",
        pkce: false,
        ..Quirks::POST
    },
    requests: &[Request::get("info", "{userinfo}")],
    ..Preset::named("tiktok", "TikTok", "#000000")
};

/// `{"info": GET /v2/user/info/}` to a profile; an `error.code` other than "ok" fails.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    match doc.pointer("/info/error/code").and_then(Value::as_str) {
        Some("ok") | None => {}
        Some(code) => return Err(ProfileError::Invalid(format!("TikTok answered {code}"))),
    }
    Fields {
        object: "/info/data/user",
        subject: "/open_id",
        name: "/display_name",
        avatar_url: "/avatar_url",
        ..Fields::NONE
    }
    .map(provider, doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_user_info_maps_to_a_profile_keyed_on_open_id() {
        // The example answer of TikTok's "Get User Info" reference.
        let info = json!({"data": {"user": {
            "avatar_url": "https://p19-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/b17f0e4b3a4f4a50993cf72cda8b88b8~c5_168x168.jpeg",
            "open_id": "723f24d7-e717-40f8-a2b6-cb8464cd23b4",
            "union_id": "c9c60f44-a68e-4f5d-84dd-ce22faeb0ba1", "display_name": "Tik Toker"}},
            "error": {"code": "ok", "message": "", "log_id": "20220829194722CBE87ED59D524E727021"}});
        let p = map("tiktok", &json!({"info": info})).unwrap();
        assert_eq!(p.subject, "723f24d7-e717-40f8-a2b6-cb8464cd23b4");
        assert_eq!(p.name.as_deref(), Some("Tik Toker"));
        assert_eq!(p.email, None);
    }

    #[test]
    fn an_error_answer_fails_and_the_client_id_is_a_client_key() {
        let info = json!({"data": {}, "error": {"code": "access_token_invalid", "message": "x"}});
        assert!(map("tiktok", &json!({"info": info})).is_err());
        assert_eq!(PRESET.quirks.client_id_param, Some("client_key"));
    }
}
