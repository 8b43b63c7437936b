//! The registry of configured providers, built once from the config.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    dev, groups, icons, ClientAuth, GroupsSource, Preset, Protocol, Provider, TokenPolicy,
};
use crate::config::{Config, ConfigError, ProviderConfig};

/// Every preset an operator can name, one line each.
pub const PRESETS: &[&Preset] = &[
    &super::github::PRESET,
    &super::facebook::PRESET,
    &super::discord::PRESET,
    &super::google::PRESET,
    &super::microsoft::PRESET,
    &super::gitlab::PRESET,
    &super::linkedin::PRESET,
    &super::slack::PRESET,
    &super::apple::PRESET,
    &super::generic_oidc::PRESET,
    &super::generic_oauth2::PRESET,
    &super::x::PRESET,
    &super::generic_oauth1::PRESET,
    &super::amazon::PRESET,
    &super::atlassian::PRESET,
    &super::auth0::PRESET,
    &super::authentik::PRESET,
    &super::bitbucket::PRESET,
    &super::box_com::PRESET,
    &super::cognito::PRESET,
    &super::dropbox::PRESET,
    &super::figma::PRESET,
    &super::forgejo::PRESET,
    &super::gitea::PRESET,
    &super::heroku::PRESET,
    &super::kakao::PRESET,
    &super::keycloak::PRESET,
    &super::line::PRESET,
    &super::naver::PRESET,
    &super::notion::PRESET,
    &super::okta::PRESET,
    &super::patreon::PRESET,
    &super::paypal::PRESET,
    &super::reddit::PRESET,
    &super::salesforce::PRESET,
    &super::spotify::PRESET,
    &super::strava::PRESET,
    &super::tiktok::PRESET,
    &super::twitch::PRESET,
    &super::yahoo::PRESET,
    &super::yandex::PRESET,
    &super::zitadel::PRESET,
    &super::zoom::PRESET,
];

/// The preset called `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().copied().find(|p| p.id == id)
}

/// The configured providers, in config order (dev first when enabled).
#[derive(Debug, Default)]
pub struct Registry {
    providers: BTreeMap<String, Arc<Provider>>,
    order: Vec<String>,
}

impl Registry {
    /// Builds every `[providers.*]` entry (and `dev`); every problem is reported.
    pub fn from_config(config: &Config) -> Result<Registry, ConfigError> {
        let mut registry = Registry::default();
        let mut problems = Vec::new();
        if config.dev_idp.enabled {
            registry.insert(dev::provider(config));
        }
        for (name, pc) in &config.providers {
            let Some(preset) = preset(&pc.preset) else {
                let known: Vec<_> = PRESETS.iter().map(|p| p.id).collect();
                problems.push(format!(
                    "providers.{name}.preset: unknown preset `{}` (known: {})",
                    pc.preset,
                    known.join(", ")
                ));
                continue;
            };
            match build(preset, name, pc, config) {
                Ok(provider) => registry.insert(provider),
                Err(e) => problems.push(format!("providers.{name}: {e}")),
            }
        }
        if problems.is_empty() {
            Ok(registry)
        } else {
            Err(ConfigError::Invalid(problems.join("; ")))
        }
    }

    fn insert(&mut self, provider: Provider) {
        self.order.push(provider.name.clone());
        self.providers
            .insert(provider.name.clone(), Arc::new(provider));
    }

    /// The provider called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<Provider>> {
        self.providers.get(name).cloned()
    }

    /// Every provider, in button order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Provider>> {
        self.order.iter().filter_map(|n| self.providers.get(n))
    }
}

/// The provider's groups source; GitHub then also asks for `read:org`,
/// without which private org memberships stay hidden.
fn with_groups(
    preset: &Preset,
    config: &ProviderConfig,
    mut protocol: Protocol,
) -> Result<(Protocol, Option<GroupsSource>), String> {
    let source = groups::source(preset, config, &protocol)?;
    if let (Some(GroupsSource::GitHub { .. }), Protocol::OAuth2(spec)) = (&source, &mut protocol) {
        if !spec.scopes.iter().any(|s| s == "read:org") {
            spec.scopes.push("read:org".into());
        }
    }
    Ok((protocol, source))
}

/// A callback that is a cross-site POST (form_post) needs a SameSite=None
/// login cookie, which browsers accept only with Secure, i.e. on https.
fn needs_https(protocol: Protocol, config: &Config) -> Result<Protocol, String> {
    match &protocol {
        Protocol::Oidc(spec) if spec.form_post() && !config.is_https() => Err(
            "this provider posts its callback cross-site (response_mode=form_post), which \
             needs a SameSite=None; Secure login cookie: set server.public_url to an https URL"
                .into(),
        ),
        _ => Ok(protocol),
    }
}

/// One configured provider from its preset and `[providers.NAME]`.
fn build(
    preset: &'static Preset,
    name: &str,
    pc: &ProviderConfig,
    config: &Config,
) -> Result<Provider, String> {
    let protocol = needs_https(preset.build(pc)?, config)?;
    let protocol = token_options(protocol, pc)?;
    let (protocol, groups) = with_groups(preset, pc, protocol)?;
    Ok(Provider {
        name: name.to_owned(),
        label: pc.label.clone().unwrap_or_else(|| preset.label.into()),
        icon: Some(icon(pc.icon.as_deref(), preset, config)?),
        color: preset.color,
        preset: preset.id,
        client_id: pc.client_id.clone(),
        client_secret: pc.client_secret.clone(),
        redirect_uri: config.redirect_uri(name),
        client_auth: pc.token_endpoint_auth_method.map(ClientAuth::from),
        protocol,
        groups,
        allowed_groups: pc.allowed_groups.clone().unwrap_or_default(),
        tokens: TokenPolicy {
            store: pc.store_tokens || pc.pass_access_token,
            pass: pc.pass_access_token,
        },
        end_session: pc.end_session,
    })
}

/// Tokens are kept only where there are OAuth 2.0 tokens to refresh and pass
/// on; end_session needs OpenID Connect's end_session_endpoint.
fn token_options(protocol: Protocol, pc: &ProviderConfig) -> Result<Protocol, String> {
    let oauth1 = matches!(protocol, Protocol::OAuth1(_));
    if oauth1 && (pc.store_tokens || pc.pass_access_token) {
        return Err(
            "store_tokens and pass_access_token need an OAuth 2.0 or OpenID Connect \
                    preset (OAuth 1.0a tokens are useless without their secret and signing)"
                .into(),
        );
    }
    if pc.end_session && !matches!(protocol, Protocol::Oidc(_)) {
        return Err("end_session needs an OpenID Connect preset".into());
    }
    Ok(protocol)
}

/// The button's icon: the operator's (a built-in icon's name, an https: or
/// data:image/ URL, or a path on this site), else the preset's.
fn icon(configured: Option<&str>, preset: &Preset, config: &Config) -> Result<String, String> {
    let Some(icon) = configured else {
        return Ok(config.path(&icons::url(preset.icon)));
    };
    if icons::svg(icon).is_some() {
        return Ok(config.path(&icons::url(icon)));
    }
    let url_like = icon.starts_with("https://")
        || icon.starts_with("data:image/")
        || (icon.starts_with('/') && !icon.starts_with("//"));
    if url_like
        && !icon
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"')
    {
        return Ok(icon.to_owned());
    }
    Err(format!(
        "icon `{}` is neither a built-in icon name nor an https:, data:image/ or /path URL",
        icon.escape_debug()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(provider: &str) -> String {
        let text = format!("[providers.corp]\nclient_id = \"c\"\n{provider}");
        let config = Config::from_toml(&text, std::path::Path::new("t.toml")).unwrap();
        Registry::from_config(&config).unwrap_err().to_string()
    }

    #[test]
    fn bad_presets_icons_and_missing_keys_name_the_table_and_the_key() {
        let e = problems("preset = \"nosuch\"");
        assert!(
            e.contains("providers.corp.preset") && e.contains("nosuch"),
            "{e}"
        );
        let e = problems("preset = \"github\"\nicon = \"java script:x\"");
        assert!(e.contains("providers.corp") && e.contains("icon"), "{e}");
        let e = problems("preset = \"keycloak\"");
        assert!(
            e.contains("providers.corp") && e.contains("`issuer`"),
            "{e}"
        );
    }

    #[test]
    fn an_icon_is_a_built_in_name_or_a_url() {
        let github = &super::super::github::PRESET;
        let text = "[server]\npath_prefix = \"/_doorman\"\n";
        let c = Config::from_toml(text, std::path::Path::new("t.toml")).unwrap();
        let gitea = icon(Some("gitea"), github, &c).unwrap();
        assert_eq!(gitea, "/_doorman/icons/gitea.svg");
        assert_eq!(
            icon(None, github, &c).unwrap(),
            "/_doorman/icons/github.svg"
        );
        assert!(icon(Some("https://cdn.example/a.png"), github, &c).is_ok());
        assert!(icon(Some("//evil.example/a.png"), github, &c).is_err());
    }
}
