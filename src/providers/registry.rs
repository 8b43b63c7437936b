//! The registry of configured providers, built once from the config.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    apple, dev, discord, facebook, generic_oauth1, generic_oauth2, generic_oidc, github, gitlab,
    google, groups, icons, linkedin, microsoft, slack, x, ClientAuth, GroupsSource, Protocol,
    Provider, TokenPolicy,
};
use crate::config::{Config, ConfigError};

/// A preset: its id, brand name and how to build it from config.
pub struct Preset {
    /// The id used in `preset = "..."`.
    pub id: &'static str,
    /// The brand name shown on the button.
    pub label: &'static str,
    /// The button's icon: a name in [`icons`](super::icons), served at /icons/{icon}.svg.
    pub icon: &'static str,
    /// Builds the protocol from `[providers.NAME]`.
    pub build: fn(&crate::config::ProviderConfig) -> Result<Protocol, String>,
}

/// Every preset an operator can name.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "github",
        label: "GitHub",
        icon: "github",
        build: github::build,
    },
    Preset {
        id: "facebook",
        label: "Facebook",
        icon: "facebook",
        build: facebook::build,
    },
    Preset {
        id: "discord",
        label: "Discord",
        icon: "discord",
        build: discord::build,
    },
    Preset {
        id: "google",
        label: "Google",
        icon: "google",
        build: google::build,
    },
    Preset {
        id: "microsoft",
        label: "Microsoft",
        icon: "microsoft",
        build: microsoft::build,
    },
    Preset {
        id: "gitlab",
        label: "GitLab",
        icon: "gitlab",
        build: gitlab::build,
    },
    Preset {
        id: "linkedin",
        label: "LinkedIn",
        icon: "linkedin",
        build: linkedin::build,
    },
    Preset {
        id: "slack",
        label: "Slack",
        icon: "slack",
        build: slack::build,
    },
    Preset {
        id: "apple",
        label: "Apple",
        icon: "apple",
        build: apple::build,
    },
    Preset {
        id: "oidc",
        label: "OpenID Connect",
        icon: "openid",
        build: generic_oidc::build,
    },
    Preset {
        id: "oauth2",
        label: "OAuth 2.0",
        icon: "key",
        build: generic_oauth2::build,
    },
    Preset {
        id: "x",
        label: "X",
        icon: "x",
        build: x::build,
    },
    Preset {
        id: "oauth1",
        label: "OAuth 1.0a",
        icon: "key",
        build: generic_oauth1::build,
    },
];

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
            let Some(preset) = PRESETS.iter().find(|p| p.id == pc.preset) else {
                let known: Vec<_> = PRESETS.iter().map(|p| p.id).collect();
                problems.push(format!(
                    "providers.{name}.preset: unknown preset `{}` (known: {})",
                    pc.preset,
                    known.join(", ")
                ));
                continue;
            };
            let built = (preset.build)(pc)
                .and_then(|p| needs_https(p, config))
                .and_then(|p| token_options(p, pc))
                .and_then(|p| with_groups(preset.id, pc, p));
            match built {
                Ok((protocol, groups)) => registry.insert(Provider {
                    name: name.clone(),
                    label: pc.label.clone().unwrap_or_else(|| preset.label.into()),
                    icon: pc
                        .icon
                        .clone()
                        .or_else(|| Some(config.path(&icons::url(preset.icon)))),
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
                }),
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
    preset: &str,
    config: &crate::config::ProviderConfig,
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

/// Tokens are kept only where there are OAuth 2.0 tokens to refresh and pass
/// on; end_session needs OpenID Connect's end_session_endpoint.
fn token_options(
    protocol: Protocol,
    pc: &crate::config::ProviderConfig,
) -> Result<Protocol, String> {
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
