//! Library mode: [`Doorman`] builds doorman inside any axum app. Its
//! [`router`](Doorman::router) carries every doorman route but `GET /`, its
//! [`layer`](Doorman::layer) lets the extractors ([`crate::CurrentUser`],
//! [`crate::MaybeUser`], [`crate::require_group`]) work on the host's own
//! routes. The `doorman` binary is built on the same calls.

use std::sync::Arc;

use anyhow::Context;
use axum::{Extension, Router};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::dev_idp::DevIdp;
use crate::startup::build_state;
use crate::state::AppState;
use crate::web;

/// doorman, built: clone it freely (it is an `Arc` inside).
#[derive(Clone)]
pub struct Doorman {
    state: AppState,
    dev_idp: Option<Arc<DevIdp>>,
    _tasks: Arc<Tasks>,
}

/// Why [`Doorman::build`] failed (the message carries its causes).
#[derive(Debug, thiserror::Error)]
#[error("{0:#}")]
pub struct BuildError(#[from] anyhow::Error);

/// Background tasks, stopped when the last clone of [`Doorman`] is dropped.
struct Tasks(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Doorman {
    /// Connects to the database, applies migrations, derives the keys and
    /// starts the background tasks (session cleanup; `[metrics] bind`'s
    /// listener).
    pub async fn build(config: Config) -> Result<Doorman, BuildError> {
        let state = build_state(config).await?;
        let dev_idp = match state.config.dev_idp.enabled {
            true => Some(
                DevIdp::new(&state.config.base_url(), state.templates.clone())
                    .map_err(anyhow::Error::msg)?,
            ),
            false => None,
        };
        let mut tasks = vec![state.sessions.spawn_cleanup()];
        if let Some(bind) = &state.config.metrics.bind {
            let listener = TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on metrics.bind {bind}"))?;
            let metrics = web::metrics_only(state.clone());
            tasks.push(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, metrics).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            }));
        }
        Ok(Doorman {
            state,
            dev_idp,
            _tasks: Arc::new(Tasks(tasks)),
        })
    }

    /// Every doorman route except `GET /` (/login, /auth/*, /logout, /api/*,
    /// /.well-known/jwks.json, /healthz, /readyz, /metrics, /icons/*,
    /// /dev-idp/*), for a host router of any state type. No fallback is set,
    /// and no ConnectInfo is needed.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        web::routes(self.state.clone(), self.dev_idp.clone())
    }

    /// The binary's `GET /` page (who is signed in, a sign-out form), for a
    /// host that has no home page of its own.
    pub fn home_page<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        web::home(self.state.clone())
    }

    /// The layer that makes the extractors work on every route under it.
    pub fn layer(&self) -> Extension<Doorman> {
        Extension(self.clone())
    }

    /// The shared state (crate-internal: extractors and the binary).
    pub(crate) fn state(&self) -> &AppState {
        &self.state
    }
}
