//! A preset plus `[providers.NAME]` to a [`Protocol`]: endpoint overrides,
//! URL templates, scopes and the required keys, applied once for every
//! preset (no preset repeats this).

use super::preset::{Kind, Map, Preset, Request};
use super::urls::Urls;
use super::{generic_oauth2, ApiRequest, ClientAuth, OAuth1Spec, OAuth2Spec, OidcSpec};
use super::{ProfileMapper, Protocol};
use crate::config::ProviderConfig;

/// Builds `preset` with the operator's keys.
pub fn build(preset: &Preset, config: &ProviderConfig) -> Result<Protocol, String> {
    check_accepted(preset, config)?;
    let urls = Urls::new(preset, config)?;
    let mut protocol = match preset.kind {
        Kind::Oidc {
            issuer,
            issuer_format,
            map,
        } => oidc(preset, config, issuer, issuer_format, map)?,
        Kind::OAuth2 { .. } => oauth2(preset, config, &urls)?,
        Kind::OAuth1 { .. } => oauth1(preset, config, &urls)?,
    };
    if let Some(configure) = preset.configure {
        configure(config, &mut protocol)?;
    }
    Ok(protocol)
}

/// Preset-specific keys set on a preset that does not read them.
fn check_accepted(preset: &Preset, config: &ProviderConfig) -> Result<(), String> {
    let set = [
        ("api_version", config.api_version.is_some()),
        ("hosted_domain", config.hosted_domain.is_some()),
        ("tenant", config.tenant.is_some()),
        ("allowed_tenants", config.allowed_tenants.is_some()),
        ("team_id", config.team_id.is_some()),
        ("key_id", config.key_id.is_some()),
        ("private_key_file", config.private_key_file.is_some()),
        ("claims", config.claims.is_some()),
    ];
    match set
        .iter()
        .find(|(key, on)| *on && !preset.accepts.contains(key))
    {
        Some((key, _)) => Err(format!("the {} preset takes no `{key}`", preset.id)),
        None => Ok(()),
    }
}

fn scopes(preset: &Preset, config: &ProviderConfig) -> Vec<String> {
    config
        .scopes
        .clone()
        .unwrap_or_else(|| preset.scopes.iter().map(|s| s.to_string()).collect())
}

fn oidc(
    preset: &Preset,
    config: &ProviderConfig,
    issuer: &str,
    format: &str,
    map: Map,
) -> Result<Protocol, String> {
    let issuer = match &config.endpoints.issuer {
        Some(configured) => super::issuer::check(preset, configured, format)?,
        None if issuer.is_empty() => {
            return Err(format!("the {} preset needs `issuer`", preset.id))
        }
        None => issuer.to_owned(),
    };
    let q = &preset.quirks;
    let mut spec = OidcSpec::new(issuer, scopes(preset, config), mapper(preset, config, map)?);
    spec.auth_params = pairs(q.auth_params);
    spec.client_auth = q.client_auth;
    spec.pkce = q.pkce;
    spec.nonce_required = q.nonce_required;
    Ok(Protocol::Oidc(spec))
}

fn oauth2(preset: &Preset, config: &ProviderConfig, urls: &Urls) -> Result<Protocol, String> {
    let Kind::OAuth2 {
        auth_url,
        token_url,
        map,
        ..
    } = preset.kind
    else {
        unreachable!("oauth2() is called for OAuth 2.0 presets");
    };
    let e = &config.endpoints;
    let q = preset.quirks;
    Ok(Protocol::OAuth2(Box::new(OAuth2Spec {
        auth_url: urls.endpoint(&e.auth_url, auth_url, "auth_url")?,
        token_url: urls.endpoint(&e.token_url, token_url, "token_url")?,
        scopes: scopes(preset, config),
        scope_separator: q.scope_separator,
        auth_params: pairs(q.auth_params),
        pkce: q.pkce,
        client_auth: q.client_auth.unwrap_or(ClientAuth::Basic),
        requests: profile_requests(urls, preset.requests, q.appsecret_proof)?,
        quirks: q,
        map_profile: mapper(preset, config, map)?,
    })))
}

/// The profile requests; a preset that names none GETs `{userinfo}` as `user`.
fn profile_requests(
    urls: &Urls,
    requests: &[Request],
    proof: bool,
) -> Result<Vec<ApiRequest>, String> {
    const DEFAULT: &[Request] = &[Request::get("user", "{userinfo}")];
    let requests = if requests.is_empty() {
        DEFAULT
    } else {
        requests
    };
    let built = urls.requests(requests, proof);
    match built.iter().find(|r| url::Url::parse(&r.url).is_err()) {
        Some(_) if urls.config.endpoints.userinfo_url.is_none() => Err(format!(
            "the {} preset needs `userinfo_url`",
            urls.preset.id
        )),
        Some(r) => Err(format!("bad profile URL {}", r.url)),
        None => Ok(built),
    }
}

fn oauth1(preset: &Preset, config: &ProviderConfig, urls: &Urls) -> Result<Protocol, String> {
    let Kind::OAuth1 {
        request_token_url,
        auth_url,
        token_url,
        userinfo_url,
        profile_params,
        map,
    } = preset.kind
    else {
        unreachable!("oauth1() is called for OAuth 1.0a presets");
    };
    check_oauth1_config(config, preset.id)?;
    let e = &config.endpoints;
    Ok(Protocol::OAuth1(Box::new(OAuth1Spec {
        request_token_url: urls.endpoint(
            &e.request_token_url,
            request_token_url,
            "request_token_url",
        )?,
        authenticate_url: urls.endpoint(&e.auth_url, auth_url, "auth_url")?,
        access_token_url: urls.endpoint(&e.token_url, token_url, "token_url")?,
        profile_url: urls.endpoint(&e.userinfo_url, userinfo_url, "userinfo_url")?,
        profile_params: pairs(profile_params),
        map_profile: mapper(preset, config, map)?,
    })))
}

/// What every OAuth 1.0a preset needs: a consumer secret (`client_secret`),
/// and no scopes (OAuth 1.0a has none).
pub fn check_oauth1_config(config: &ProviderConfig, preset: &str) -> Result<(), String> {
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

/// The preset's mapping, or the operator's JSON pointers.
fn mapper(preset: &Preset, config: &ProviderConfig, map: Map) -> Result<ProfileMapper, String> {
    match map {
        Map::Fn(f) => return Ok(ProfileMapper::new(f)),
        Map::Fields(fields) => return Ok(ProfileMapper::new(move |p, d| fields.map(p, d))),
        Map::Claims => {}
    }
    let claims = config.claims.clone().ok_or_else(|| {
        format!(
            "the {} preset needs a [providers.NAME.claims] table with `subject`",
            preset.id
        )
    })?;
    generic_oauth2::check_pointers(&claims)?;
    Ok(ProfileMapper::new(move |provider, doc| {
        generic_oauth2::map(&claims, provider, doc)
    }))
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{github, twitch, Protocol};

    fn config(preset: &str, extra: &str) -> ProviderConfig {
        let text = format!("preset = \"{preset}\"\nclient_id = \"c\"\n{extra}");
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn a_preset_specific_key_on_another_preset_is_refused() {
        let e = github::PRESET
            .build(&config("github", "tenant = \"x\""))
            .unwrap_err();
        assert!(e.contains("github") && e.contains("`tenant`"), "{e}");
    }

    #[test]
    fn overrides_apply_to_every_template_and_a_preset_without_requests_gets_userinfo() {
        let c = config("twitch", "api_url = \"http://127.0.0.1:9/helix/\"");
        let Ok(Protocol::OAuth2(spec)) = twitch::PRESET.build(&c) else {
            panic!("twitch is OAuth 2.0");
        };
        assert_eq!(spec.requests.len(), 1);
        assert_eq!(spec.requests[0].key, "users");
        assert_eq!(spec.requests[0].url, "http://127.0.0.1:9/helix/users");
        assert_eq!(spec.quirks.client_id_header, Some("client-id"));
        let Ok(Protocol::OAuth2(gh)) = github::PRESET.build(&config("github", "")) else {
            panic!("github is OAuth 2.0");
        };
        assert_eq!(gh.scopes, ["read:user", "user:email"]);
        let ghe = config("github", "api_url = \"https://ghe.example/api/v3/\"");
        let groups = github::PRESET.groups.map(|requests| requests(&ghe));
        let api_url = "https://ghe.example/api/v3".to_owned();
        assert_eq!(
            groups,
            Some(crate::providers::GroupsSource::GitHub { api_url })
        );
    }
}
