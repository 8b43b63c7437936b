//! Preset `dev`: the built-in development OpenID provider under /dev-idp.

use super::{generic_oidc, icons, OidcSpec, ProfileMapper, Protocol, Provider};
use crate::config::Config;

/// The dev IdP's fixed client id.
pub const CLIENT_ID: &str = "dev";

/// The `dev` provider of a doorman served at `config.base_url()`.
pub fn provider(config: &Config) -> Provider {
    let issuer = format!("{}/dev-idp", config.base_url());
    Provider {
        name: "dev".into(),
        label: "Dev".into(),
        icon: Some(config.path(&icons::url("key"))),
        color: "#4b5563",
        preset: "dev",
        client_id: CLIENT_ID.into(),
        client_secret: None,
        redirect_uri: config.redirect_uri("dev"),
        client_auth: None,
        protocol: Protocol::Oidc(OidcSpec::new(
            issuer,
            generic_oidc::DEFAULT_SCOPES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ProfileMapper::new(generic_oidc::map_claims),
        )),
        groups: None,
        allowed_groups: Vec::new(),
        tokens: Default::default(),
        end_session: false,
    }
}
