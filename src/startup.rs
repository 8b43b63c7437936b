//! Application::build(config): everything `serve` runs, used by main and tests.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::client_ip::TrustedProxies;
use crate::config::Config;
use crate::dev_idp::DevIdp;
use crate::flow::{Engine, ProviderHttp};
use crate::keys::{self, Keys};
use crate::providers::Registry;
use crate::session::Sessions;
use crate::state::{App, AppState};
use crate::templates::Templates;
use crate::{store, web};

/// A built application bound to its port.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    port: u16,
}

impl Application {
    /// Binds `server.bind` and builds the application.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&config.server.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.server.bind))?;
        Self::build_with_listener(config, listener).await
    }

    /// Builds the application on an already bound listener (tests bind port 0
    /// first, to know public_url before the config is final).
    pub async fn build_with_listener(
        config: Config,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let state = build_state(config).await?;
        let dev_idp = if state.config.dev_idp.enabled {
            let idp = DevIdp::new(&state.config.public_origin(), state.templates.clone())
                .map_err(anyhow::Error::msg)?;
            Some(idp)
        } else {
            None
        };
        let router = web::router(state.clone(), dev_idp);
        Ok(Application {
            listener,
            router,
            state,
            port,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let cleanup = self.state.sessions.spawn_cleanup();
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        cleanup.abort();
        served
    }
}

/// Connects, migrates and assembles the shared state.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let providers = Registry::from_config(&config)?;
    let (master, generated) = keys::master_secret(config.server.secret_key.as_ref())
        .context("cannot read or create the development secret key")?;
    if generated {
        tracing::warn!(
            file = keys::DEV_KEY_FILE,
            "server.secret_key is not set: using a development key kept in data/; \
             set secret_key before exposing doorman"
        );
    }
    let keys = Keys::derive(&master);
    let db = store::connect(&config.database)
        .await
        .context("cannot connect to the database")?;
    store::migrate(&db).await.context("migrations failed")?;
    let http = ProviderHttp::new(&config.http).context("cannot build the HTTP client")?;
    let sessions = Sessions::new(
        db.clone(),
        config.session.clone(),
        config.access.groups_max_age,
    )
    .await
    .context("cannot watch the database for session changes")?;
    let https = config.is_https();
    let app = App {
        session_cookie: if https {
            "__Host-doorman_session"
        } else {
            "doorman_session"
        },
        templates: Templates::new(Some(config.ui.templates_dir.clone()), &config.ui, ""),
        trusted_proxies: TrustedProxies::new(&config.server.trusted_proxies),
        metrics: metrics_handle(),
        engine: Engine::new(http),
        providers,
        keys,
        sessions,
        db,
        config,
    };
    Ok(AppState(Arc::new(app)))
}

/// The process-wide Prometheus recorder, installed once.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .install_recorder()
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder().handle())
        })
        .clone()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
