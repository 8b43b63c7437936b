//! doorman's integration tests: the real application on a real port with a
//! real database, against fake providers that behave like the real ones.

mod fake_discord;
mod fake_facebook;
mod fake_github;
mod fake_oauth2;
mod fake_oidc;
mod fake_support;
mod helpers;

mod cli;
mod dev_idp;
mod forward_auth;
mod next;
mod oidc_flow;
mod oidc_validation;
mod preset_discord;
mod preset_facebook;
mod preset_github;
mod preset_oauth2;
mod sessions;
mod several_providers;
