//! The documented reverse-proxy snippets, run against real nginx and real
//! Caddy: the snippets are read out of README.md and docs/deploy.md (only
//! addresses and ports rewritten), doorman runs with its dev IdP behind them,
//! and a tiny upstream app echoes the headers it receives.
//!
//! Switched on by DOORMAN_TEST_PROXIES=1 (set by .ci/run, which installs
//! Debian's nginx-light and caddy); otherwise every test says why it skips.

mod journey;
mod page;
mod servers;
mod snippets;

use std::io::Write;

use servers::ProxyKind;

/// Whether the suite runs; prints the reason when it does not.
fn enabled(test: &str) -> bool {
    if std::env::var("DOORMAN_TEST_PROXIES").as_deref() == Ok("1") {
        return true;
    }
    // Straight to stderr, past the test harness's capture, so the skip shows.
    let _ = writeln!(
        std::io::stderr(),
        "tests/proxies {test}: skipped, set DOORMAN_TEST_PROXIES=1 (needs nginx and caddy installed)"
    );
    false
}

#[tokio::test]
async fn the_readme_nginx_snippet_protects_an_app_under_a_prefix() {
    if enabled("readme nginx") {
        let snippet = snippets::read("README.md", "nginx");
        journey::run(ProxyKind::Nginx, &snippet, "/_doorman").await;
    }
}

#[tokio::test]
async fn the_deploy_nginx_snippet_protects_an_app_under_a_prefix() {
    if enabled("deploy nginx") {
        let snippet = snippets::read("docs/deploy.md", "nginx");
        journey::run(ProxyKind::Nginx, &snippet, "/_doorman").await;
    }
}

#[tokio::test]
async fn the_deploy_nginx_snippet_without_a_prefix_protects_an_app() {
    if enabled("deploy nginx, default prefix") {
        let snippet = snippets::read("docs/deploy.md", "nginx-root");
        journey::run(ProxyKind::Nginx, &snippet, "").await;
    }
}

#[tokio::test]
async fn the_deploy_caddy_snippet_protects_an_app_under_a_prefix() {
    if enabled("deploy caddy") {
        let snippet = snippets::read("docs/deploy.md", "caddy");
        journey::run(ProxyKind::Caddy, &snippet, "/_doorman").await;
    }
}

#[tokio::test]
async fn the_deploy_caddy_snippet_without_a_prefix_protects_an_app() {
    if enabled("deploy caddy, default prefix") {
        let snippet = snippets::read("docs/deploy.md", "caddy-root");
        journey::run(ProxyKind::Caddy, &snippet, "").await;
    }
}
