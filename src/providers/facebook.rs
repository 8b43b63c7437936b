//! Preset `facebook` (OAuth 2.0): Graph API at a configurable `api_version`;
//! GET /me?fields=id,name,email,picture signed with appsecret_proof; the
//! picture URL is nested at /picture/data/url; the email may be absent.

use serde_json::Value;

use super::{endpoint, scopes, string_at, ApiRequest, ClientAuth, OAuth2Spec, Profile};
use super::{ProfileError, ProfileMapper, Protocol};
use crate::config::ProviderConfig;

/// The Graph API version used unless `api_version` names another.
pub const DEFAULT_API_VERSION: &str = "v23.0";

/// Builds the protocol from `[providers.NAME]`; api_url overrides the Graph base.
pub fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    let version = config.api_version.as_deref().unwrap_or(DEFAULT_API_VERSION);
    let digits = version.strip_prefix('v').unwrap_or_default();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("api_version `{version}` is not like `v23.0`"));
    }
    let e = &config.endpoints;
    let graph = e.api_url.as_deref().unwrap_or("https://graph.facebook.com");
    let graph = format!("{}/{version}", graph.trim_end_matches('/'));
    let dialog = format!("https://www.facebook.com/{version}/dialog/oauth");
    Ok(Protocol::OAuth2(Box::new(OAuth2Spec {
        auth_url: endpoint(&e.auth_url, &dialog)?,
        token_url: endpoint(&e.token_url, &format!("{graph}/oauth/access_token"))?,
        scopes: scopes(config, &["email", "public_profile"]),
        scope_separator: ",",
        auth_params: vec![],
        pkce: true,
        client_auth: ClientAuth::RequestBody,
        requests: vec![ApiRequest {
            key: "me",
            url: format!("{graph}/me?fields=id,name,email,picture"),
            optional: false,
            appsecret_proof: true,
        }],
        map_profile: ProfileMapper::new(map),
    })))
}

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
