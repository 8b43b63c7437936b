//! Application::build(config): everything `serve` runs, used by main and tests.

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use metrics_exporter_prometheus::Matcher;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::client_ip::TrustedProxies;
use crate::config::Config;
use crate::config::ConfigError;
use crate::embed::Doorman;
use crate::flow::{Engine, ProviderHttp};
use crate::jwt::JwtKeys;
use crate::keys::{self, Keys};
use crate::live::{self, Live, Providers};
use crate::reload::{self, LogControl, Reloaded};
use crate::serve::{serve, Limits};
use crate::session::{ApiTokens, Sessions};
use crate::state::{App, AppState};
use crate::store;

/// A built application bound to its port: the binary's `serve`, made of
/// the library's own calls (build, router, layer) and a listener.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    doorman: Doorman,
    port: u16,
    limits: Limits,
    log: Option<LogControl>,
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
        let doorman = Doorman::build(config).await?;
        let router = axum::Router::new()
            .merge(doorman.home_page())
            .merge(doorman.router())
            .layer(doorman.layer());
        Ok(Application {
            listener,
            router,
            doorman,
            port,
            limits: Limits::default(),
            log: None,
        })
    }

    /// Lets a reload change the log level (the binary's tracing filter).
    pub fn with_log_control(mut self, log: LogControl) -> Self {
        self.log = Some(log);
        self
    }

    /// Reloads the config from `path` now, as SIGHUP does.
    pub fn reloader(&self) -> impl Fn(&std::path::Path) -> Result<Reloaded, ConfigError> {
        let (state, log) = (self.doorman.state().clone(), self.log.clone());
        move |path| reload::reload(&state, path, log.as_ref())
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM);
    /// SIGHUP reloads the config file it was loaded from.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let hangup = spawn_reload_on_hangup(self.doorman.state().clone(), self.log.clone());
        let served = serve(self.listener, self.router, self.limits, shutdown_signal()).await;
        if let Some(hangup) = hangup {
            hangup.abort();
        }
        self.doorman.flush().await;
        served
    }

    /// Shorter connection limits than the defaults (tests).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// Connects, migrates and assembles the shared state.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let shared = live::shared(Live::build(config.clone())?);
    let (master, generated) = keys::master_secret(config.server.secret_key.as_ref())
        .context("cannot read or create the development secret key")?;
    if generated {
        tracing::warn!(
            file = keys::DEV_KEY_FILE,
            "server.secret_key is not set: using a development key kept in data/; \
             set secret_key before exposing doorman"
        );
    }
    let previous: Vec<&[u8]> = config
        .server
        .previous_secret_keys
        .iter()
        .map(|k| k.expose_secret().as_bytes())
        .collect();
    let keys = Keys::derive(&master).with_previous(&previous);
    let jwt = Arc::new(JwtKeys::derive(&master, &previous));
    let db = store::connect(&config.database)
        .await
        .context("cannot connect to the database")?;
    store::migrate(&db).await.context("migrations failed")?;
    let http = ProviderHttp::new(&config.http).context("cannot build the HTTP client")?;
    let metrics = metrics_handle();
    let sessions = Sessions::new(
        db.clone(),
        config.session.clone(),
        config.access.groups_max_age,
    )
    .await
    .context("cannot watch the database for session changes")?
    .with_read_timeout(config.database.acquire_timeout);
    let api_tokens = ApiTokens::new(
        db.clone(),
        jwt.clone(),
        config.base_url(),
        config.api_tokens.clone(),
    );
    let app = App {
        session_cookie: config.session_cookie_name(),
        templates: shared.load().templates.clone(),
        trusted_proxies: TrustedProxies::new(&config.server.trusted_proxies),
        metrics,
        engine: Engine::new(http),
        providers: Providers::new(shared.clone()),
        live: shared,
        keys,
        jwt,
        api_tokens,
        sessions,
        db,
        config,
    };
    Ok(AppState(Arc::new(app)))
}

/// Histogram buckets of every `*_seconds` series: 0.5 ms to 10 s.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histogram samples are folded into their buckets.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process-wide Prometheus recorder, installed once.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let handle = builder
                .install_recorder()
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder().handle());
            spawn_upkeep(handle.clone());
            handle
        })
        .clone()
}

/// Histogram samples wait in the recorder until they are folded into their
/// buckets: without a scrape, only this upkeep keeps them from growing with
/// every request served.
fn spawn_upkeep(handle: PrometheusHandle) {
    let upkeep = move || loop {
        std::thread::sleep(UPKEEP_EVERY);
        handle.run_upkeep();
    };
    if let Err(e) = std::thread::Builder::new()
        .name("doorman-metrics".into())
        .spawn(upkeep)
    {
        tracing::warn!(error = %e, "metrics upkeep not started");
    }
}

/// Reloads the config file on every SIGHUP, when there is a file.
fn spawn_reload_on_hangup(
    state: AppState,
    log: Option<LogControl>,
) -> Option<tokio::task::JoinHandle<()>> {
    let path = state.config.source.clone()?;
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangup = signal(SignalKind::hangup()).ok()?;
        Some(tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                reload::reload_and_log(&state, &path, log.as_ref());
            }
        }))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, log);
        None
    }
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
