//! doorman's integration tests: the real application on a real port with a
//! real database, against fake providers that behave like the real ones.

mod databases;
mod fake_discord;
mod fake_facebook;
mod fake_github;
mod fake_oauth2;
mod fake_oidc;
mod fake_support;
mod fake_x;
mod helpers;
mod tcp_proxy;

mod binary;
mod cli;
mod concurrency;
mod dev_idp;
mod forward_auth;
mod next;
mod oauth1_flow;
mod oidc_flow;
mod oidc_validation;
mod postgres;
mod preset_discord;
mod preset_facebook;
mod preset_github;
mod preset_oauth2;
mod rate_limit;
mod security;
mod session_cache;
mod sessions;
mod several_providers;
