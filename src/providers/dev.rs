//! Preset `dev`: the built-in development OpenID provider under /dev-idp.

use super::{generic_oidc, icons, OidcSpec, ProfileMapper, Protocol, Provider};

/// The dev IdP's fixed client id.
pub const CLIENT_ID: &str = "dev";

/// The `dev` provider for a doorman served at `public_origin`.
pub fn provider(public_origin: &str) -> Provider {
    let issuer = format!("{public_origin}/dev-idp");
    Provider {
        name: "dev".into(),
        label: "Dev".into(),
        icon: Some(icons::url("key")),
        preset: "dev",
        client_id: CLIENT_ID.into(),
        client_secret: None,
        redirect_uri: format!("{public_origin}/auth/dev/callback"),
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
