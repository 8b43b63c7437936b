//! Preset `oauth1`: any OAuth 1.0a provider, from request_token_url, auth_url
//! (the authenticate or authorize URL), token_url (the access-token URL),
//! userinfo_url and the same claim mapping as the oauth2 preset.

use super::generic_oauth2::{self, check_pointers};
use super::{OAuth1Spec, ProfileMapper, Protocol};
use crate::config::ProviderConfig;

/// Builds the protocol from `[providers.NAME]` and `[providers.NAME.claims]`.
pub fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    check_config(config, "oauth1")?;
    let e = &config.endpoints;
    let required = |u: &Option<url::Url>, key: &str| {
        u.clone()
            .ok_or_else(|| format!("the oauth1 preset needs `{key}`"))
    };
    let claims = config
        .claims
        .clone()
        .ok_or("the oauth1 preset needs a [providers.NAME.claims] table with `subject`")?;
    check_pointers(&claims)?;
    Ok(Protocol::OAuth1(Box::new(OAuth1Spec {
        request_token_url: required(&e.request_token_url, "request_token_url")?,
        authenticate_url: required(&e.auth_url, "auth_url")?,
        access_token_url: required(&e.token_url, "token_url")?,
        profile_url: required(&e.userinfo_url, "userinfo_url")?,
        profile_params: vec![],
        map_profile: ProfileMapper::new(move |provider, doc| {
            generic_oauth2::map(&claims, provider, doc)
        }),
    })))
}

/// What every OAuth 1.0a preset needs: a consumer secret (`client_secret`),
/// and no scopes (OAuth 1.0a has none).
pub fn check_config(config: &ProviderConfig, preset: &str) -> Result<(), String> {
    if config.client_secret.is_none() {
        return Err(format!(
            "the {preset} preset needs `client_secret` (the consumer secret)"
        ));
    }
    if config.scopes.is_some() {
        return Err(format!(
            "the {preset} preset takes no `scopes` (OAuth 1.0a has none)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> ProviderConfig {
        let text = format!(
            "preset = \"oauth1\"\nclient_id = \"key\"\n{extra}\n\
             request_token_url = \"https://p.example/oauth/request_token\"\n\
             auth_url = \"https://p.example/oauth/authorize\"\n\
             token_url = \"https://p.example/oauth/access_token\"\n\
             userinfo_url = \"https://p.example/api/me?fields=id,name\"\n\
             [claims]\nsubject = \"/id\"\n"
        );
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn a_complete_oauth1_provider_builds() {
        let Protocol::OAuth1(spec) = build(&config("client_secret = \"s\"")).unwrap() else {
            panic!("not OAuth 1.0a");
        };
        assert_eq!(spec.authenticate_url.path(), "/oauth/authorize");
        assert_eq!(spec.profile_url.query(), Some("fields=id,name"));
    }

    #[test]
    fn the_consumer_secret_is_required_and_scopes_are_refused() {
        let e = build(&config("")).unwrap_err();
        assert!(e.contains("client_secret"), "{e}");
        let e = build(&config("client_secret = \"s\"\nscopes = [\"read\"]")).unwrap_err();
        assert!(e.contains("scopes"), "{e}");
    }

    #[test]
    fn each_endpoint_and_the_claims_are_required() {
        let mut c = config("client_secret = \"s\"");
        c.endpoints.request_token_url = None;
        assert!(build(&c).unwrap_err().contains("request_token_url"));
        let mut c = config("client_secret = \"s\"");
        c.claims = None;
        assert!(build(&c).unwrap_err().contains("claims"));
    }
}
