//! Preset `yandex` (Yandex ID, OAuth 2.0): GET `https://login.yandex.ru/info`
//! with `Authorization: OAuth <token>` (not Bearer); the avatar URL is built
//! from `default_avatar_id`.

use serde_json::Value;

use super::{string_at, Fields, Kind, Map, Preset, Profile, ProfileError, Quirks, Request};

/// Yandex.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://oauth.yandex.com/authorize",
        token_url: "https://oauth.yandex.com/token",
        api_url: "https://login.yandex.ru",
        userinfo_url: "{api}/info?format=json",
        map: Map::Fn(map),
    },
    scopes: &["login:info", "login:email", "login:avatar"],
    quirks: Quirks {
        token_scheme: "OAuth",
        ..Quirks::NONE
    },
    requests: &[Request::get("info", "{userinfo}")],
    ..Preset::named("yandex", "Yandex", "#fc3f1d")
};

/// `{"info": GET /info}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let fields = Fields {
        object: "/info",
        username: "/login",
        name: "/real_name",
        email: "/default_email",
        ..Fields::NONE
    };
    let mut p = fields.map(provider, doc)?;
    let empty = doc.pointer("/info/is_avatar_empty") == Some(&Value::Bool(true));
    p.avatar_url = string_at(doc, "/info/default_avatar_id")
        .filter(|id| {
            !empty
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/-_".contains(c))
        })
        .map(|id| format!("https://avatars.yandex.net/get-yapic/{id}/islands-200"));
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_info_answer_maps_to_a_profile() {
        // The example answer of Yandex ID's "Getting information about a user".
        let info = json!({"login": "ivan", "id": "1000034426",
            "client_id": "4760187d81bc4b7799476b42b5103713", "uid": "1000034426",
            "psuid": "1.AAceCw.tbHgw5DtJ9_zeqPrk-Ba2w.qPWSRC5v2t2IaksPJgnge",
            "default_email": "test@yandex.ru", "emails": ["test@yandex.ru", "other-test@yandex.ru"],
            "default_avatar_id": "131652443", "is_avatar_empty": false,
            "first_name": "Ivan", "last_name": "Ivanov", "display_name": "Ivan",
            "real_name": "Ivan Ivanov", "sex": "male"});
        let p = map("yandex", &json!({"info": info})).unwrap();
        assert_eq!(p.subject, "1000034426");
        assert_eq!(p.username.as_deref(), Some("ivan"));
        assert_eq!(p.name.as_deref(), Some("Ivan Ivanov"));
        assert_eq!(p.email.as_deref(), Some("test@yandex.ru"));
        assert!(!p.email_verified);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://avatars.yandex.net/get-yapic/131652443/islands-200")
        );
        assert_eq!(PRESET.quirks.token_scheme, "OAuth");
    }
}
