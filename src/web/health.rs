//! /healthz (liveness), /readyz (database reachable) and /metrics.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;
use crate::store;

/// GET /healthz
pub async fn healthz() -> &'static str {
    "ok"
}

/// GET /readyz: 503 when the database does not answer within acquire_timeout.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let limit = state.config.database.acquire_timeout;
    match tokio::time::timeout(limit, store::ping(&state.db)).await {
        Ok(true) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// GET /metrics: Prometheus text.
pub async fn metrics(State(state): State<AppState>) -> String {
    state.metrics.render()
}
