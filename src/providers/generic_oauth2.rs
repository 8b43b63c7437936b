//! Preset `oauth2`: any OAuth 2.0 provider without OIDC, from auth_url,
//! token_url, userinfo_url and a claim mapping of JSON pointers.

use serde_json::Value;

use super::{bool_at, scopes, string_at, ApiRequest, ClientAuth, OAuth2Spec};
use super::{Profile, ProfileError, ProfileMapper, Protocol};
use crate::config::{ClaimsConfig, ProviderConfig};

/// Builds the protocol from `[providers.NAME]` and `[providers.NAME.claims]`.
pub fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    let e = &config.endpoints;
    let required = |u: &Option<url::Url>, key: &str| {
        u.clone()
            .ok_or_else(|| format!("the oauth2 preset needs `{key}`"))
    };
    let userinfo = required(&e.userinfo_url, "userinfo_url")?;
    let claims = config
        .claims
        .clone()
        .ok_or("the oauth2 preset needs a [providers.NAME.claims] table with `subject`")?;
    check_pointers(&claims)?;
    Ok(Protocol::OAuth2(Box::new(OAuth2Spec {
        auth_url: required(&e.auth_url, "auth_url")?,
        token_url: required(&e.token_url, "token_url")?,
        scopes: scopes(config, &[]),
        scope_separator: " ",
        auth_params: vec![],
        pkce: true,
        client_auth: ClientAuth::Basic,
        requests: vec![ApiRequest {
            key: "profile",
            url: userinfo.to_string(),
            optional: false,
            appsecret_proof: false,
        }],
        map_profile: ProfileMapper::new(move |provider, doc| map(&claims, provider, doc)),
    })))
}

/// Refuses claim mappings that are not JSON pointers (shared with the oauth1 preset).
pub fn check_pointers(claims: &ClaimsConfig) -> Result<(), String> {
    let all = [
        Some(&claims.subject),
        claims.username.as_ref(),
        claims.name.as_ref(),
        claims.email.as_ref(),
        claims.email_verified.as_ref(),
        claims.avatar_url.as_ref(),
    ];
    match all
        .into_iter()
        .flatten()
        .find(|p| !p.is_empty() && !p.starts_with('/'))
    {
        Some(bad) => Err(format!(
            "claims: `{bad}` is not a JSON pointer (it starts with /)"
        )),
        None => Ok(()),
    }
}

/// The profile document `{"profile": answer}` to a profile through the pointers.
pub fn map(claims: &ClaimsConfig, provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let profile = doc.get("profile").unwrap_or(&Value::Null);
    if !profile.is_object() {
        return Err(ProfileError::Invalid(
            "the profile is not a JSON object".into(),
        ));
    }
    let at = |p: &Option<String>| p.as_deref().and_then(|p| string_at(profile, p));
    let subject = string_at(profile, &claims.subject).ok_or(ProfileError::MissingSubject)?;
    let email = at(&claims.email);
    let verified = claims
        .email_verified
        .as_deref()
        .is_some_and(|p| bool_at(profile, p));
    Ok(Profile {
        provider: provider.to_owned(),
        subject,
        username: at(&claims.username),
        name: at(&claims.name),
        email_verified: email.is_some() && verified,
        email,
        avatar_url: at(&claims.avatar_url),
        raw: profile.clone(),
    })
}

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
