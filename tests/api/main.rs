//! doorman's integration tests: the real application on a real port with a
//! real database, against fake providers that behave like the real ones.

mod fake_apple;
mod fake_oidc;
mod helpers;

mod apple;
mod cli;
mod dev_idp;
mod forward_auth;
mod next;
mod oidc_flow;
mod oidc_presets;
mod oidc_validation;
mod sessions;
