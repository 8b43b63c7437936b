//! Preset `oauth2`: any OAuth 2.0 provider without OIDC, from auth_url,
//! token_url, userinfo_url and a claim mapping of JSON pointers.

pub use super::fields::{check_pointers, map};
use super::{Kind, Map, Preset, Request};

/// Any OAuth 2.0 provider, mapped by the operator's JSON pointers.
pub const PRESET: Preset = Preset {
    icon: "key",
    kind: Kind::OAuth2 {
        auth_url: "",
        token_url: "",
        api_url: "",
        userinfo_url: "",
        map: Map::Claims,
    },
    scopes: &[],
    accepts: &["claims"],
    requests: &[Request::get("profile", "{userinfo}")],
    ..Preset::named("oauth2", "OAuth 2.0", "#4b5563")
};

#[cfg(test)]
use {super::ProfileError, crate::config::ClaimsConfig};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> ClaimsConfig {
        ClaimsConfig {
            subject: "/data/id".into(),
            username: Some("/data/login".into()),
            name: None,
            email: Some("/data/mail".into()),
            email_verified: Some("/data/mail_ok".into()),
            avatar_url: None,
            groups: None,
        }
    }

    #[test]
    fn pointers_pick_the_profile_fields() {
        let doc = json!({"profile": {"data": {"id": 42, "login": "zed", "mail": "z@x.example", "mail_ok": "true"}}});
        let p = map(&claims(), "corp", &doc).unwrap();
        assert_eq!(p.subject, "42");
        assert_eq!(p.username.as_deref(), Some("zed"));
        assert_eq!(p.email.as_deref(), Some("z@x.example"));
        assert!(p.email_verified);
        assert_eq!(p.name, None);
    }

    #[test]
    fn a_missing_subject_or_a_non_object_is_an_error() {
        let doc = json!({"profile": {"data": {"login": "zed"}}});
        assert_eq!(
            map(&claims(), "corp", &doc),
            Err(ProfileError::MissingSubject)
        );
        assert!(map(&claims(), "corp", &json!({"profile": "<html>"})).is_err());
    }
}
