//! Preset `discord` (OAuth 2.0): GET /users/@me with scopes identify and
//! email; subject is the snowflake id; the avatar URL is built from its hash.

use serde_json::Value;

use super::{bool_at, string_at, Kind, Map, Preset, Profile, ProfileError};

/// Discord.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://discord.com/oauth2/authorize",
        token_url: "{api}/oauth2/token",
        api_url: "https://discord.com/api",
        userinfo_url: "{api}/users/@me",
        map: Map::Fn(map),
    },
    scopes: &["identify", "email"],
    ..Preset::named("discord", "Discord", "#5865f2")
};

/// `{"user": GET /users/@me}` to a profile; email counts only when `verified`.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let user = doc
        .get("user")
        .filter(|u| u.is_object())
        .ok_or_else(|| ProfileError::Invalid("Discord's /users/@me is not an object".into()))?;
    let subject = string_at(user, "/id")
        .filter(|id| id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(ProfileError::MissingSubject)?;
    let email = string_at(user, "/email");
    let avatar = string_at(user, "/avatar")
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .map(|hash| {
            let ext = if hash.starts_with("a_") { "gif" } else { "png" };
            format!("https://cdn.discordapp.com/avatars/{subject}/{hash}.{ext}")
        });
    Ok(Profile {
        provider: provider.to_owned(),
        username: string_at(user, "/username"),
        name: string_at(user, "/global_name"),
        email_verified: email.is_some() && bool_at(user, "/verified"),
        email,
        avatar_url: avatar,
        raw: doc.clone(),
        subject,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({"id": "80351110224678912", "username": "nelly", "discriminator": "0",
               "global_name": "Nelly", "avatar": "8342729096ea3675442027381ff50dfe",
               "verified": true, "email": "nelly@discord.com", "flags": 64, "banner": null,
               "accent_color": 16711680, "premium_type": 1, "public_flags": 64,
               "mfa_enabled": true, "locale": "en-US"})
    }

    #[test]
    fn a_documented_user_object_maps_to_a_profile() {
        let p = map("discord", &json!({"user": user()})).unwrap();
        assert_eq!(p.subject, "80351110224678912");
        assert_eq!(p.username.as_deref(), Some("nelly"));
        assert_eq!(p.name.as_deref(), Some("Nelly"));
        assert_eq!(p.email.as_deref(), Some("nelly@discord.com"));
        assert!(p.email_verified);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png")
        );
    }

    #[test]
    fn an_animated_avatar_is_a_gif_and_no_avatar_is_none() {
        let mut u = user();
        u["avatar"] = json!("a_1269e74af4df7417b13759eae50c83dc");
        let p = map("discord", &json!({"user": u.clone()})).unwrap();
        assert!(p
            .avatar_url
            .unwrap()
            .ends_with("/a_1269e74af4df7417b13759eae50c83dc.gif"));
        u["avatar"] = Value::Null;
        assert_eq!(
            map("discord", &json!({"user": u})).unwrap().avatar_url,
            None
        );
    }

    #[test]
    fn an_unverified_email_is_kept_but_not_trusted() {
        let mut u = user();
        u["verified"] = json!(false);
        let p = map("discord", &json!({"user": u})).unwrap();
        assert_eq!(p.email.as_deref(), Some("nelly@discord.com"));
        assert!(!p.email_verified);
        let nameless = json!({"user": {"username": "nelly"}});
        assert_eq!(map("discord", &nameless), Err(ProfileError::MissingSubject));
    }
}
