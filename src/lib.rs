//! doorman: social sign-in (OAuth 1.0a, OAuth 2.0, OpenID Connect) for any
//! web app, with server-side sessions its apps trust.
#![forbid(unsafe_code)]

/// The command line.
pub mod cli;
/// The client's IP address, through trusted proxies.
pub mod client_ip;
/// Configuration: load, interpolate, validate.
pub mod config;
/// The built-in development OpenID provider.
pub mod dev_idp;
/// How sign-in runs; the only code that talks to providers.
pub mod flow;
/// The master secret and per-purpose keys.
pub mod keys;
/// What each provider is: presets and profile mappings.
pub mod providers;
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
