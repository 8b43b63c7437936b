//! doorman: social sign-in (OAuth 1.0a, OAuth 2.0, OpenID Connect) for any
//! web app, with server-side sessions its apps trust.
//!
//! The `doorman` binary serves it on its own; the same calls put it inside
//! any axum app (`examples/embed.rs` runs this program):
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use doorman::{Config, CurrentUser, Doorman, MaybeUser};
//!
//! async fn home(user: MaybeUser) -> String {
//!     match user.0 {
//!         Some(user) => format!("Hello, {}", user.name.unwrap_or_default()),
//!         None => "Hello, guest".into(),
//!     }
//! }
//!
//! async fn me(user: CurrentUser) -> String {
//!     format!("{} in {:?}", user.id, user.groups)
//! }
//!
//! async fn admin(user: CurrentUser) -> String {
//!     format!("admin {}", user.id)
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let auth = Doorman::build(Config::load("config/doorman.toml")?).await?;
//! let app = Router::new()
//!     .route("/", get(home))
//!     .route("/me", get(me))
//!     .route("/admin", get(admin).route_layer(doorman::require_group("admin")))
//!     .merge(auth.router())      // /login, /auth/*, /logout, /api/*, ... (never GET /)
//!     .layer(auth.layer());      // the extractors work on every route
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```
//!
//! [`CurrentUser`] answers a signed-out browser with a 303 to
//! `{path_prefix}/login?next=...` and a JSON client with 401; a disabled user gets 403.
//! [`MaybeUser`] never refuses. [`require_group`] is a route layer (403
//! without the group). Bearer API tokens work wherever the cookie does when
//! `[api_tokens] enabled = true`.
#![forbid(unsafe_code)]

/// The command line.
pub mod cli;
/// The client's IP address, through trusted proxies.
pub mod client_ip;
/// Configuration: load, interpolate, validate.
pub mod config;
/// The built-in development OpenID provider.
pub mod dev_idp;
/// Library mode: doorman inside any axum app.
pub mod embed;
/// How sign-in runs; the only code that talks to providers.
pub mod flow;
/// doorman's own JWTs: signing keys, JWKS, assertions, access tokens.
pub mod jwt;
/// The master secret and per-purpose keys.
pub mod keys;
/// The reloadable config and providers, swapped whole.
pub mod live;
/// Log output: text or JSON lines.
pub mod logging;
/// What each provider is: presets and profile mappings.
pub mod providers;
/// Config reload on SIGHUP.
pub mod reload;
/// Session tokens and rules.
pub mod session;
/// Building and serving the application.
pub mod startup;
/// Shared handler state.
pub mod state;
/// The users store.
pub mod store;
/// Page templates.
pub mod templates;
/// Routes, pages, JSON API, forward-auth.
pub mod web;

pub use config::Config;
pub use embed::{BuildError, Doorman};
pub use web::extract::{require_group, CurrentUser, MaybeUser};
