//! doorman's integration tests: the real application on a real port with a
//! real database, against fake providers that behave like the real ones.

mod databases;
mod fake_oidc;
mod helpers;

mod binary;
mod cli;
mod concurrency;
mod dev_idp;
mod forward_auth;
mod interop;
mod next;
mod oidc_flow;
mod oidc_validation;
mod postgres;
mod rate_limit;
mod sessions;
mod tcp_proxy;
