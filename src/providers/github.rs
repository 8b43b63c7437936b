//! Preset `github` (OAuth 2.0): subject is the numeric id; the email is the
//! primary AND verified one from /user/emails; Enterprise through api_url,
//! auth_url and token_url.

use serde_json::Value;

use super::groups::github_api;
use super::{
    listed, string_at, GroupsSource, Kind, Map, Preset, Profile, ProfileError, Quirks, Request,
};

/// GitHub.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://github.com/login/oauth/authorize",
        token_url: "https://github.com/login/oauth/access_token",
        api_url: "https://api.github.com",
        userinfo_url: "{api}/user",
        map: Map::Fn(map),
    },
    scopes: &["read:user", "user:email"],
    quirks: Quirks::POST,
    groups: Some(|c| GroupsSource::GitHub {
        api_url: github_api(c),
    }),
    requests: &[
        Request::get("user", "{userinfo}"),
        Request::optional("emails", "{api}/user/emails"),
    ],
    ..Preset::named("github", "GitHub", "#24292f")
};

/// `{"user": GET /user, "emails": GET /user/emails}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let user = doc
        .get("user")
        .filter(|u| u.is_object())
        .ok_or_else(|| ProfileError::Invalid("GitHub's /user is not an object".into()))?;
    let Some(Value::Number(id)) = user.get("id") else {
        return Err(ProfileError::MissingSubject);
    };
    let primary_verified = |e: &Value| e["primary"] == true && e["verified"] == true;
    let email = listed(doc, "/emails", primary_verified, "/email");
    Ok(Profile {
        provider: provider.to_owned(),
        subject: id.to_string(),
        username: string_at(user, "/login"),
        name: string_at(user, "/name"),
        email_verified: email.is_some(),
        email,
        avatar_url: string_at(user, "/avatar_url"),
        raw: doc.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({"login": "octocat", "id": 583231, "node_id": "MDQ6VXNlcjU4MzIzMQ==",
               "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
               "name": "The Octocat", "email": null, "type": "User"})
    }

    #[test]
    fn the_primary_verified_email_is_taken() {
        let doc = json!({"user": user(), "emails": [
            {"email": "octocat@old.example", "primary": false, "verified": true, "visibility": null},
            {"email": "octocat@github.com", "primary": true, "verified": true, "visibility": "private"},
        ]});
        let p = map("github", &doc).unwrap();
        assert_eq!(p.subject, "583231");
        assert_eq!(p.username.as_deref(), Some("octocat"));
        assert_eq!(p.name.as_deref(), Some("The Octocat"));
        assert_eq!(p.email.as_deref(), Some("octocat@github.com"));
        assert!(p.email_verified);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://avatars.githubusercontent.com/u/583231?v=4")
        );
    }

    #[test]
    fn unverified_or_missing_emails_give_no_email() {
        let doc = json!({"user": user(), "emails": [
            {"email": "octocat@github.com", "primary": true, "verified": false, "visibility": null},
        ]});
        let p = map("github", &doc).unwrap();
        assert_eq!(p.email, None);
        assert!(!p.email_verified);
        for emails in [json!([]), Value::Null] {
            let p = map("github", &json!({"user": user(), "emails": emails})).unwrap();
            assert_eq!(p.email, None);
        }
    }

    #[test]
    fn the_login_is_never_the_subject() {
        let doc = json!({"user": {"login": "octocat"}, "emails": []});
        assert_eq!(map("github", &doc), Err(ProfileError::MissingSubject));
    }
}
