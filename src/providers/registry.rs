//! The registry of configured providers, built once from the config.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{dev, generic_oauth2, generic_oidc, github, ClientAuth, Protocol, Provider};
use crate::config::{Config, ConfigError};

/// A preset: its id, brand name and how to build it from config.
pub struct Preset {
    /// The id used in `preset = "..."`.
    pub id: &'static str,
    /// The brand name shown on the button.
    pub label: &'static str,
    /// Builds the protocol from `[providers.NAME]`.
    pub build: fn(&crate::config::ProviderConfig) -> Result<Protocol, String>,
}

/// Every preset an operator can name.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "github",
        label: "GitHub",
        build: github::build,
    },
    Preset {
        id: "oidc",
        label: "OpenID Connect",
        build: generic_oidc::build,
    },
    Preset {
        id: "oauth2",
        label: "OAuth 2.0",
        build: generic_oauth2::build,
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
            registry.insert(dev::provider(&config.public_origin()));
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
            match (preset.build)(pc) {
                Ok(protocol) => registry.insert(Provider {
                    name: name.clone(),
                    label: pc.label.clone().unwrap_or_else(|| preset.label.into()),
                    icon: pc.icon.clone(),
                    preset: preset.id,
                    client_id: pc.client_id.clone(),
                    client_secret: pc.client_secret.clone(),
                    redirect_uri: config.redirect_uri(name),
                    client_auth: pc.token_endpoint_auth_method.map(ClientAuth::from),
                    protocol,
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
