//! The web layer: axum routes, pages, JSON API, forward-auth, health and
//! metrics. Handlers delegate to flow/, session/ and store/.

mod api;
mod auth;
pub mod error;
mod health;
mod icons;
mod pages;
pub mod session_cookie;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::{middleware, Router};
use tower_cookies::CookieManagerLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::dev_idp::DevIdp;
use crate::state::AppState;

pub use error::AppError;
pub use session_cookie::SignedIn;

/// Content-Security-Policy of every page.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole application's router.
pub fn router(state: AppState, dev_idp: Option<Arc<DevIdp>>) -> Router {
    let mut app = Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login))
        .route("/logout", post(pages::logout))
        .route("/auth/verify", get(api::verify))
        .route("/api/me", get(api::me))
        .route("/auth/{name}", get(auth::begin))
        .route(
            "/auth/{name}/callback",
            get(auth::callback_get).post(auth::callback_post),
        )
        .route("/icons/{file}", get(icons::icon))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .layer(middleware::from_fn_with_state(state.clone(), error::render))
        .with_state(state);
    if let Some(idp) = dev_idp {
        app = app.nest("/dev-idp", idp.router());
    }
    app.layer(CookieManagerLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(TraceLayer::new_for_http())
}
