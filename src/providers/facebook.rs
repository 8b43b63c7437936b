//! Preset `facebook` (OAuth 2.0): Graph API at a configurable `api_version`;
//! GET /me?fields=id,name,email,picture signed with appsecret_proof; the
//! picture URL is nested at /picture/data/url; the email may be absent.

use serde_json::Value;

use super::{string_at, Kind, Map, Preset, Profile, ProfileError, Quirks, Request};

/// The Graph API version used unless `api_version` names another.
pub const DEFAULT_API_VERSION: &str = super::urls::DEFAULT_VERSION;

/// Facebook.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.facebook.com/{version}/dialog/oauth",
        token_url: "{api}/{version}/oauth/access_token",
        api_url: "https://graph.facebook.com",
        userinfo_url: "{api}/{version}/me?fields=id,name,email,picture",
        map: Map::Fn(map),
    },
    scopes: &["email", "public_profile"],
    quirks: Quirks {
        scope_separator: ",",
        appsecret_proof: true,
        ..Quirks::POST
    },
    accepts: &["api_version"],
    requests: &[Request::get("me", "{userinfo}")],
    ..Preset::named("facebook", "Facebook", "#1877f2")
};

/// `{"me": GET /me}` to a profile. Graph returns only a confirmed email, so
/// one that is present counts as verified (docs/decisions.md).
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let me = doc
        .get("me")
        .filter(|m| m.is_object())
        .ok_or_else(|| ProfileError::Invalid("Graph's /me is not an object".into()))?;
    let subject = string_at(me, "/id").ok_or(ProfileError::MissingSubject)?;
    let email = string_at(me, "/email");
    let silhouette = me.pointer("/picture/data/is_silhouette") == Some(&Value::Bool(true));
    Ok(Profile {
        provider: provider.to_owned(),
        subject,
        username: None,
        name: string_at(me, "/name"),
        email_verified: email.is_some(),
        email,
        avatar_url: string_at(me, "/picture/data/url").filter(|_| !silhouette),
        raw: doc.clone(),
    })
}

#[cfg(test)]
use {super::Protocol, crate::config::ProviderConfig};

/// The registry's build of this preset, as the tests call it.
#[cfg(test)]
fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    PRESET.build(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn me() -> Value {
        json!({"id": "10158473617389012", "name": "Ada Lovelace", "email": "ada@example.com",
               "picture": {"data": {"height": 50, "is_silhouette": false, "width": 50,
                   "url": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158473617389012&height=50&width=50"}}})
    }

    fn config(toml: &str) -> ProviderConfig {
        toml::from_str(&format!(
            "preset = \"facebook\"\nclient_id = \"1234\"\n{toml}"
        ))
        .unwrap()
    }

    #[test]
    fn a_documented_me_answer_maps_to_a_profile() {
        let p = map("facebook", &json!({"me": me()})).unwrap();
        assert_eq!(p.subject, "10158473617389012");
        assert_eq!(p.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(p.username, None);
        assert_eq!(p.email.as_deref(), Some("ada@example.com"));
        assert!(p.email_verified);
        assert!(p
            .avatar_url
            .unwrap()
            .starts_with("https://platform-lookaside.fbsbx.com/"));
    }

    #[test]
    fn an_absent_email_or_a_silhouette_gives_none() {
        let mut me = me();
        me.as_object_mut().unwrap().remove("email");
        me["picture"]["data"]["is_silhouette"] = json!(true);
        let p = map("facebook", &json!({"me": me})).unwrap();
        assert_eq!(
            (p.email, p.email_verified, p.avatar_url),
            (None, false, None)
        );
        let anonymous = json!({"me": {"name": "No Id"}});
        assert_eq!(
            map("facebook", &anonymous),
            Err(ProfileError::MissingSubject)
        );
    }

    #[test]
    fn the_api_version_is_in_every_default_url() {
        let Ok(Protocol::OAuth2(spec)) = build(&config("api_version = \"v21.0\"")) else {
            panic!("facebook builds an OAuth 2.0 protocol");
        };
        assert_eq!(
            spec.auth_url.as_str(),
            "https://www.facebook.com/v21.0/dialog/oauth"
        );
        assert_eq!(
            spec.token_url.as_str(),
            "https://graph.facebook.com/v21.0/oauth/access_token"
        );
        assert_eq!(
            spec.requests[0].url,
            "https://graph.facebook.com/v21.0/me?fields=id,name,email,picture"
        );
        assert!(spec.requests[0].appsecret_proof);
        assert!(build(&config("api_version = \"../evil\"")).is_err());
    }
}
