//! What a config reload swaps, whole and at once: the config as last loaded
//! (access rules, `[log]`, and the sections read per request) with the
//! providers built from it. Handlers read it through `state.live()` and
//! `state.providers.get(name)`; a request keeps the snapshot it loaded.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::config::{Config, ConfigError};
use crate::providers::{Provider, Registry};
use crate::templates::Templates;

/// One consistent snapshot of the reloadable state.
#[derive(Debug)]
pub struct Live {
    /// The config as last loaded; keys that need a restart hold their running values.
    pub config: Arc<Config>,
    /// The providers built from it.
    pub providers: Arc<Registry>,
    /// The pages, with its `[ui]` look.
    pub templates: Templates,
}

impl Live {
    /// Validates `config` and builds its providers: the one validation shared
    /// by start-up, `doorman check` and a reload.
    pub fn build(config: Config) -> Result<Live, ConfigError> {
        let providers = Registry::from_config(&config)?;
        let templates = Templates::new(
            Some(config.ui.templates_dir.clone()),
            &config.ui,
            &config.page_base(),
        );
        Ok(Live {
            config: Arc::new(config),
            providers: Arc::new(providers),
            templates,
        })
    }
}

/// The swappable snapshot, shared by the state and the reload.
pub type Shared = Arc<ArcSwap<Live>>;

/// A new swappable snapshot.
pub fn shared(live: Live) -> Shared {
    Arc::new(ArcSwap::from_pointee(live))
}

/// The providers of the current snapshot (what `state.providers` is).
#[derive(Clone)]
pub struct Providers(Shared);

impl Providers {
    /// Reads the providers of `shared`.
    pub fn new(shared: Shared) -> Self {
        Self(shared)
    }

    /// The provider called `name`, as configured now.
    pub fn get(&self, name: &str) -> Option<Arc<Provider>> {
        self.0.load().providers.get(name)
    }

    /// Every provider as configured now (the registry itself).
    pub fn load(&self) -> Arc<Registry> {
        self.0.load().providers.clone()
    }

    /// Every provider as configured now, in button order.
    pub fn iter(&self) -> std::vec::IntoIter<Arc<Provider>> {
        let registry = self.load();
        registry.iter().cloned().collect::<Vec<_>>().into_iter()
    }
}
