//! doorman's integration tests: the real application on a real port with a
//! real database, against fake providers that behave like the real ones.

mod access;
mod api_tokens;
mod apple;
mod binary;
mod change_feed;
mod cleanup;
mod cli;
mod concurrency;
mod databases;
mod dev_idp;
mod embed;
#[path = "../../examples/embed.rs"]
mod embed_example;
mod fake_apple;
mod fake_discord;
mod fake_facebook;
mod fake_github;
mod fake_oauth2;
mod fake_oidc;
mod fake_quirks;
mod fake_support;
mod fake_x;
mod forward_auth;
mod helpers;
mod interop;
mod jwt;
mod next;
mod oauth1_flow;
mod observability;
mod oidc_flow;
mod oidc_presets;
mod oidc_validation;
mod postgres;
mod preset_discord;
mod preset_facebook;
mod preset_github;
mod preset_oauth2;
mod preset_quirks;
mod rate_limit;
mod reload;
mod security;
mod session_cache;
mod sessions;
mod several_providers;
mod tcp_proxy;
