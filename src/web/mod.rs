//! The web layer: axum routes, pages, JSON API, forward-auth, health and
//! metrics. Handlers delegate to flow/, session/ and store/.

mod access_token;
mod account;
mod account_view;
mod api;
mod assertion;
mod auth;
mod backchannel;
mod bearer;
pub mod client;
pub mod error;
mod error_page;
mod error_status;
mod error_words;
pub mod extract;
mod frame;
mod health;
mod icons;
mod link;
mod login;
pub mod login_cookie;
pub mod observe;
mod pages;
mod rejections;
mod require_group;
mod return_to;
mod rules;
pub mod same_origin;
pub mod session_cookie;
mod sessions_api;
mod tokens;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tower_cookies::CookieManagerLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::{GovernorError, GovernorLayer};

use crate::dev_idp::DevIdp;
use crate::state::AppState;
use frame::FrameLayer;

pub use error::AppError;
pub use login_cookie::LoginCookie;
pub use session_cookie::SignedIn;

/// Request bodies larger than this are refused (413).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Applies `[rate_limit] auth_per_ip_per_minute` per client IP (0 = off).
fn rate_limited(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    let per_minute = state.config.rate_limit.auth_per_ip_per_minute;
    if per_minute == 0 {
        return routes;
    }
    let config = GovernorConfigBuilder::default()
        .per_millisecond((60_000 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .key_extractor(state.trusted_proxies.clone())
        .finish();
    let Some(config) = config else {
        return routes;
    };
    let limiter = config.limiter().clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    });
    routes.route_layer(GovernorLayer::new(config).error_handler(|e| match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            AppError::RateLimited(wait_time).into_response()
        }
        _ => AppError::RateLimited(1).into_response(),
    }))
}

/// Every doorman route under `[server] path_prefix`: the one place the
/// prefix is applied to routes (axum strips it before the handlers run).
fn under_prefix<S: Clone + Send + Sync + 'static>(routes: Router<S>, prefix: &str) -> Router<S> {
    if prefix.is_empty() {
        routes
    } else {
        Router::new().nest(prefix, routes)
    }
}

/// Every doorman route except `GET /`, with its layers and state, for any
/// host state `S`: the one place routes are assembled, so nesting them under
/// a prefix is one call. No fallback is set.
pub fn routes<S: Clone + Send + Sync + 'static>(
    state: AppState,
    dev_idp: Option<Arc<DevIdp>>,
) -> Router<S> {
    let mut app = cookie_routes(&state)
        .merge(cookieless_routes(&state))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(FrameLayer::new(state.clone()));
    if let Some(idp) = dev_idp {
        let idp = Router::new()
            .nest("/dev-idp", idp.router())
            .layer(FrameLayer::without_error_pages(state.clone()));
        app = app.merge(idp);
    }
    let prefix = state.config.base_path().to_owned();
    under_prefix(app.with_state(state), &prefix)
}

/// The routes that read or write cookies: sign-in, linking, the login page
/// and logout.
fn cookie_routes(state: &AppState) -> Router<AppState> {
    let sign_in = rate_limited(
        Router::new().route("/auth/{name}", get(auth::begin)).route(
            "/auth/{name}/callback",
            get(auth::callback_get).post(auth::callback_post),
        ),
        state,
    );
    Router::new()
        .route("/login", get(login::login))
        .route("/logout", post(pages::logout))
        .route("/auth/{name}/link", post(link::begin))
        .route("/account/unlink", post(link::unlink))
        .merge(sign_in)
        .layer(CookieManagerLayer::new())
}

/// The routes that only read the request's headers: /auth/verify and the
/// API among them, so they skip the cookie layer.
fn cookieless_routes(state: &AppState) -> Router<AppState> {
    let mut app = Router::new()
        .route("/auth/verify", get(api::verify))
        .route(
            "/auth/{name}/backchannel-logout",
            post(backchannel::logout).layer(DefaultBodyLimit::max(backchannel::BODY_LIMIT)),
        )
        .route("/api/me", get(api::me))
        .route("/account", get(account::page))
        .route("/api/sessions", get(sessions_api::list))
        .route("/api/sessions/{id}/revoke", post(sessions_api::revoke))
        .route(
            "/api/sessions/revoke-others",
            post(sessions_api::revoke_others),
        )
        .route(
            "/api/token",
            post(tokens::token).layer(DefaultBodyLimit::max(tokens::MAX_TOKEN_BODY)),
        )
        .route("/.well-known/jwks.json", get(tokens::jwks))
        .route("/icons/{file}", get(icons::icon))
        .route("/favicon.svg", get(icons::favicon))
        .route("/favicon.ico", get(icons::favicon))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz));
    if state.config.metrics.bind.is_none() {
        app = app.route("/metrics", get(health::metrics));
    }
    app
}

/// The binary's own `GET /`: who is signed in, with a sign-out form.
pub fn home<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    let app = Router::new()
        .route("/", get(pages::home))
        .layer(CookieManagerLayer::new())
        .layer(FrameLayer::new(state.clone()));
    let prefix = state.config.base_path().to_owned();
    under_prefix(app.with_state(state), &prefix)
}

/// `[metrics] bind`'s own listener: /metrics alone.
pub fn metrics_only(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(health::metrics))
        .with_state(state)
}
