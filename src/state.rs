//! AppState: what every handler shares, built once at start.

use std::ops::Deref;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::flow::Engine;
use crate::keys::Keys;
use crate::templates::Templates;

/// Everything the web layer needs.
pub struct App {
    /// The config as started: keys that need a restart are read here;
    /// reloadable ones through [`App::live`].
    pub config: Config,
    /// The database pool.
    pub db: DatabaseConnection,
    /// Sessions, cached.
    pub sessions: crate::session::Sessions,
    /// The configured providers, as last (re)loaded.
    pub providers: crate::live::Providers,
    /// The reloadable config and providers.
    pub live: crate::live::Shared,
    /// The protocol cores and their HTTP client.
    pub engine: Engine,
    /// Per-purpose keys.
    pub keys: Keys,
    /// The JWT signing key and the keys still accepted.
    pub jwt: Arc<crate::jwt::JwtKeys>,
    /// API access and refresh tokens.
    pub api_tokens: crate::session::ApiTokens,
    /// Pages as started (the dev IdP's); handlers render through
    /// `live().templates`, which a reload replaces with its `[ui]`.
    pub templates: Templates,
    /// The Prometheus recorder's handle.
    pub metrics: PrometheusHandle,
    /// Whose X-Forwarded-For is believed.
    pub trusted_proxies: crate::client_ip::TrustedProxies,
    /// `doorman_session` or `__Host-doorman_session`.
    pub session_cookie: &'static str,
}

impl App {
    /// The current snapshot of the reloadable config and providers.
    pub fn live(&self) -> Arc<crate::live::Live> {
        self.live.load_full()
    }
}

/// The shared state handed to handlers.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}
