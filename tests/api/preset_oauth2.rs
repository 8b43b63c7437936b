//! The generic oauth2 preset: a provider without OIDC read through a claims
//! mapping of JSON pointers.

use serde_json::Value;

use crate::fake_oauth2::FakeOAuth2;
use crate::helpers::{assert_redirects_to, spawn_app_with, Options};

#[tokio::test]
async fn a_generic_oauth2_sign_in_reads_the_profile_through_json_pointers() {
    let acme = FakeOAuth2::start().await;
    let app = spawn_app_with(Options {
        extra_toml: acme.config("acme"),
        ..Options::default()
    })
    .await;
    assert_redirects_to(&app.sign_in("acme").await, "/");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["identities"][0]["provider"], "acme");
    assert_eq!(me["identities"][0]["subject"], "7001");
    assert_eq!(me["identities"][0]["username"], "grace");
    assert_eq!(me["name"], "Grace Hopper");
    assert_eq!(me["email"], "grace@acme.example");
    assert_eq!(me["email_verified"], true);
}
