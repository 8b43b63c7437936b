//! Preset `bitbucket` (Bitbucket Cloud, OAuth 2.0): GET /2.0/user and
//! /2.0/user/emails; the subject is the account's `uuid`; the email is the
//! primary AND confirmed one.

use serde_json::Value;

use super::{listed, Fields, Kind, Map, Preset, Profile, ProfileError, Request};

/// Bitbucket Cloud.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://bitbucket.org/site/oauth2/authorize",
        token_url: "https://bitbucket.org/site/oauth2/access_token",
        api_url: "https://api.bitbucket.org/2.0",
        userinfo_url: "{api}/user",
        map: Map::Fn(map),
    },
    scopes: &["account", "email"],
    requests: &[
        Request::get("user", "{userinfo}"),
        Request::optional("emails", "{api}/user/emails"),
    ],
    ..Preset::named("bitbucket", "Bitbucket", "#0052cc")
};

/// `{"user": GET /user, "emails": GET /user/emails}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let fields = Fields {
        subject: "/uuid",
        username: "/username",
        name: "/display_name",
        avatar_url: "/links/avatar/href",
        ..Fields::NONE
    };
    let mut p = fields.map(provider, doc)?;
    let primary_confirmed = |e: &Value| e["is_primary"] == true && e["is_confirmed"] == true;
    p.email = listed(doc, "/emails/values", primary_confirmed, "/email");
    p.email_verified = p.email.is_some();
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        // The shape of Bitbucket's documented GET /2.0/user answer.
        json!({"type": "user", "uuid": "{d301aafa-d676-4ee0-88be-962be7417567}",
               "username": "evzijst", "display_name": "Erik van Zijst", "nickname": "evzijst",
               "account_id": "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443",
               "links": {"avatar": {"href": "https://bitbucket.org/account/evzijst/avatar/32/"}}})
    }

    #[test]
    fn the_primary_confirmed_email_is_taken() {
        let emails = json!({"values": [
            {"type": "email", "email": "old@example.com", "is_primary": false, "is_confirmed": true},
            {"type": "email", "email": "erik@example.com", "is_primary": true, "is_confirmed": true}]});
        let p = map("bitbucket", &json!({"user": user(), "emails": emails})).unwrap();
        assert_eq!(p.subject, "{d301aafa-d676-4ee0-88be-962be7417567}");
        assert_eq!(p.username.as_deref(), Some("evzijst"));
        assert_eq!(p.name.as_deref(), Some("Erik van Zijst"));
        assert_eq!(p.email.as_deref(), Some("erik@example.com"));
        assert!(p.email_verified);
    }

    #[test]
    fn an_unconfirmed_primary_email_or_none_gives_no_email() {
        let emails = json!({"values": [{"email": "e@example.com", "is_primary": true, "is_confirmed": false}]});
        let p = map("bitbucket", &json!({"user": user(), "emails": emails})).unwrap();
        assert_eq!((p.email, p.email_verified), (None, false));
        let p = map("bitbucket", &json!({"user": user(), "emails": null})).unwrap();
        assert_eq!(p.email, None);
    }
}
