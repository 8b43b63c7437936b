//! Preset `google` (OIDC by discovery): an optional `hosted_domain` is sent as
//! `hd` AND required on the ID token's `hd` claim; email_verified from the token.

use super::{Preset, Protocol};
use crate::config::ProviderConfig;

/// Google's issuer (no trailing slash, as its discovery document spells it).
pub const ISSUER: &str = "https://accounts.google.com";

/// Google.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc(ISSUER, ""),
    accepts: &["hosted_domain"],
    configure: Some(hosted_domain),
    ..Preset::named("google", "Google", "#ffffff")
};

/// `hosted_domain`: sent as `hd`, and required on the ID token's `hd` claim.
fn hosted_domain(config: &ProviderConfig, protocol: &mut Protocol) -> Result<(), String> {
    let (Some(domain), Protocol::Oidc(spec)) = (&config.hosted_domain, protocol) else {
        return Ok(());
    };
    let domain = domain.trim().to_ascii_lowercase();
    if domain.is_empty() || domain == "*" {
        return Err("hosted_domain must name one domain, e.g. example.com".into());
    }
    // `hd` on the request only preselects the account; the claim is the check.
    spec.auth_params.push(("hd".into(), domain.clone()));
    spec.required_claims.push(("hd".into(), domain));
    Ok(())
}

#[cfg(test)]
use super::{generic_oidc, OidcSpec};

/// The registry's build of this preset, as the tests call it.
#[cfg(test)]
fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    PRESET.build(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(toml: &str) -> ProviderConfig {
        toml::from_str(&format!("preset = \"google\"\nclient_id = \"x\"\n{toml}")).unwrap()
    }

    fn spec(toml: &str) -> OidcSpec {
        match build(&config(toml)).unwrap() {
            Protocol::Oidc(spec) => spec,
            _ => panic!("google is OIDC"),
        }
    }

    #[test]
    fn a_hosted_domain_is_sent_as_hd_and_required_on_the_token() {
        let spec = spec("hosted_domain = \"Example.com\"");
        assert_eq!(spec.issuer, "https://accounts.google.com");
        assert_eq!(spec.auth_params, [("hd".into(), "example.com".into())]);
        assert_eq!(spec.required_claims, [("hd".into(), "example.com".into())]);
    }

    #[test]
    fn without_a_hosted_domain_nothing_is_required() {
        let spec = spec("");
        assert!(spec.auth_params.is_empty() && spec.required_claims.is_empty());
        assert!(build(&config("hosted_domain = \"*\"")).is_err());
    }

    #[test]
    fn google_id_token_claims_map_to_a_profile() {
        // The claims of Google's "OpenID Connect" guide, ID token section.
        let claims = json!({
            "iss": "https://accounts.google.com", "azp": "1234987819200.apps.googleusercontent.com",
            "aud": "1234987819200.apps.googleusercontent.com", "sub": "10769150350006150715113082367",
            "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q", "hd": "example.com", "email": "jsmith@example.com",
            "email_verified": true, "iat": 1353601026, "exp": 1353604926, "nonce": "0394852-3190485-2490358",
            "name": "Jane Smith", "picture": "https://lh3.googleusercontent.com/a/photo.jpg"
        });
        let profile = generic_oidc::map_claims("google", &claims).unwrap();
        assert_eq!(profile.subject, "10769150350006150715113082367");
        assert_eq!(profile.name.as_deref(), Some("Jane Smith"));
        assert_eq!(profile.email.as_deref(), Some("jsmith@example.com"));
        assert!(profile.email_verified);
        assert_eq!(profile.username, None);
        assert!(profile.avatar_url.unwrap().starts_with("https://lh3."));
    }
}
