//! Preset `x` (OAuth 1.0a): X, formerly Twitter. The subject is `id_str`
//! (never the screen name, which users can change); the email comes only when
//! the app has X's email permission, and X returns only verified emails.

use serde_json::Value;

use super::{string_at, Kind, Map, Preset, Profile, ProfileError};

/// X, formerly Twitter.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth1 {
        request_token_url: "https://api.twitter.com/oauth/request_token",
        auth_url: "https://api.twitter.com/oauth/authenticate",
        token_url: "https://api.twitter.com/oauth/access_token",
        userinfo_url: "https://api.twitter.com/1.1/account/verify_credentials.json",
        profile_params: &[("include_email", "true"), ("skip_status", "true")],
        map: Map::Fn(map),
    },
    scopes: &[],
    ..Preset::named("x", "X", "#000000")
};

/// `{"profile": GET account/verify_credentials.json}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let user = doc
        .get("profile")
        .filter(|u| u.is_object())
        .ok_or_else(|| ProfileError::Invalid("X's verify_credentials is not an object".into()))?;
    let subject = match user.get("id_str") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ => return Err(ProfileError::MissingSubject),
    };
    let email = string_at(user, "/email");
    Ok(Profile {
        provider: provider.to_owned(),
        subject,
        username: string_at(user, "/screen_name"),
        name: string_at(user, "/name"),
        // X answers `email` only for a verified address (null otherwise).
        email_verified: email.is_some(),
        email,
        avatar_url: string_at(user, "/profile_image_url_https"),
        raw: user.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The shape of X's documented verify_credentials answer.
    fn user() -> Value {
        json!({"id": 2244994945u64, "id_str": "2244994945", "name": "Twitter Dev",
               "screen_name": "TwitterDev", "location": "Internet", "protected": false,
               "profile_image_url": "http://pbs.twimg.com/profile_images/880136122604507136/xHrnqf1T_normal.jpg",
               "profile_image_url_https": "https://pbs.twimg.com/profile_images/880136122604507136/xHrnqf1T_normal.jpg",
               "email": "dev@example.com"})
    }

    #[test]
    fn the_verify_credentials_answer_becomes_a_profile() {
        let p = map("x", &json!({"profile": user()})).unwrap();
        assert_eq!(p.subject, "2244994945");
        assert_eq!(p.username.as_deref(), Some("TwitterDev"));
        assert_eq!(p.name.as_deref(), Some("Twitter Dev"));
        assert_eq!(p.email.as_deref(), Some("dev@example.com"));
        assert!(p.email_verified);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://pbs.twimg.com/profile_images/880136122604507136/xHrnqf1T_normal.jpg")
        );
    }

    #[test]
    fn no_email_permission_gives_no_email() {
        let mut u = user();
        u["email"] = Value::Null;
        let p = map("x", &json!({"profile": u})).unwrap();
        assert_eq!(p.email, None);
        assert!(!p.email_verified);
    }

    #[test]
    fn the_screen_name_or_numeric_id_is_never_the_subject() {
        let doc = json!({"profile": {"id": 2244994945u64, "screen_name": "TwitterDev"}});
        assert_eq!(map("x", &doc), Err(ProfileError::MissingSubject));
        assert!(map("x", &json!({"profile": "<html>"})).is_err());
    }
}
