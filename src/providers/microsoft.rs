//! Preset `microsoft` (Microsoft identity platform v2.0): `tenant` is common
//! (default), organizations, consumers or a tenant id. Multi-tenant metadata
//! publishes `https://login.microsoftonline.com/{tenantid}/v2.0` as issuer:
//! the token's `iss` is checked against it with the token's `tid` filled in,
//! and `tid` against the optional `allowed_tenants`.

use serde_json::Value;

use super::TenantIssuer;
use super::{generic_oidc, string_at, Kind, Map, Preset, Profile, ProfileError, Protocol};
use crate::config::ProviderConfig;

/// Microsoft (Entra ID and personal accounts).
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "https://login.microsoftonline.com/common/v2.0",
        issuer_format: "",
        map: Map::Fn(map),
    },
    accepts: &["tenant", "allowed_tenants"],
    configure: Some(tenant),
    ..Preset::named("microsoft", "Microsoft", "#2f2f2f")
};

/// `tenant` picks the issuer; the metadata's `{tenantid}` is the token's `tid`.
fn tenant(config: &ProviderConfig, protocol: &mut Protocol) -> Result<(), String> {
    let Protocol::Oidc(spec) = protocol else {
        return Ok(());
    };
    let valid = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
    };
    match (&config.tenant, &config.endpoints.issuer) {
        (Some(_), Some(_)) => return Err("set either `tenant` or `issuer`, not both".into()),
        (Some(t), None) if !valid(t) => {
            return Err(format!("tenant `{t}` is not a tenant name or id"))
        }
        (Some(t), None) => spec.issuer = format!("https://login.microsoftonline.com/{t}/v2.0"),
        (None, _) => {}
    }
    let allowed = config.allowed_tenants.clone();
    if allowed
        .as_ref()
        .is_some_and(|a| a.is_empty() || !a.iter().all(|t| valid(t)))
    {
        return Err("allowed_tenants must list tenant ids".into());
    }
    spec.tenant_issuer = Some(Box::new(TenantIssuer {
        placeholder: "{tenantid}",
        claim: "tid",
        allowed,
    }));
    Ok(())
}

/// ID token claims to a profile. The subject is `sub` (pairwise per app);
/// the email is never taken as verified unless Microsoft says its domain is.
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut profile = generic_oidc::map_claims(provider, claims)?;
    // Entra ID's `email` is an editable directory attribute (the "nOAuth" issue):
    // only the optional xms_edov claim vouches for it.
    profile.email_verified = profile.email.is_some() && claims["xms_edov"] == true;
    profile.username = string_at(claims, "/preferred_username");
    Ok(profile)
}

#[cfg(test)]
use super::OidcSpec;

/// The registry's build of this preset, as the tests call it.
#[cfg(test)]
fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    PRESET.build(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims() -> Value {
        // The v2.0 ID token of Microsoft's "ID token claims reference".
        json!({
            "aud": "6cb04018-a3f5-46a7-b995-940c78f5aef3",
            "iss": "https://login.microsoftonline.com/b9419818-09af-49c2-b0c3-653adc1f376e/v2.0",
            "iat": 1452285331, "nbf": 1452285331, "exp": 1452289231,
            "name": "Babe Ruth", "nonce": "12345",
            "oid": "a1dbdde8-e4f9-4571-ad93-3059e3750d23",
            "preferred_username": "thegreatbambino@nyy.onmicrosoft.com",
            "email": "thegreatbambino@nyy.onmicrosoft.com",
            "sub": "MF4f-ggWMEji12KynJUNQZphaUTvLcQug5jdF2nl01Q",
            "tid": "b9419818-09af-49c2-b0c3-653adc1f376e", "ver": "2.0"
        })
    }

    #[test]
    fn microsoft_claims_map_to_a_profile_keyed_on_sub() {
        let p = map("microsoft", &claims()).unwrap();
        assert_eq!(p.subject, "MF4f-ggWMEji12KynJUNQZphaUTvLcQug5jdF2nl01Q");
        assert_eq!(p.name.as_deref(), Some("Babe Ruth"));
        assert_eq!(
            p.username.as_deref(),
            Some("thegreatbambino@nyy.onmicrosoft.com")
        );
        assert_eq!(
            p.email.as_deref(),
            Some("thegreatbambino@nyy.onmicrosoft.com")
        );
        assert!(!p.email_verified, "Entra's email claim is not verified");
        assert_eq!(p.raw["oid"], "a1dbdde8-e4f9-4571-ad93-3059e3750d23");
    }

    #[test]
    fn an_email_is_verified_only_when_its_domain_owner_is() {
        let mut c = claims();
        c["email_verified"] = json!(true);
        assert!(!map("microsoft", &c).unwrap().email_verified);
        c["xms_edov"] = json!(true);
        assert!(map("microsoft", &c).unwrap().email_verified);
    }

    fn spec(toml: &str) -> Result<OidcSpec, String> {
        let text = format!("preset = \"microsoft\"\nclient_id = \"x\"\n{toml}");
        match build(&toml::from_str(&text).unwrap())? {
            Protocol::Oidc(spec) => Ok(spec),
            _ => panic!("microsoft is OIDC"),
        }
    }

    #[test]
    fn the_tenant_picks_the_issuer() {
        let common = "https://login.microsoftonline.com/common/v2.0";
        assert_eq!(spec("").unwrap().issuer, common);
        let one = spec("tenant = \"b9419818-09af-49c2-b0c3-653adc1f376e\"").unwrap();
        assert!(one
            .issuer
            .contains("/b9419818-09af-49c2-b0c3-653adc1f376e/v2.0"));
        assert!(spec("tenant = \"../evil\"").is_err());
        assert!(spec("tenant = \"common\"\nissuer = \"https://x.example\"").is_err());
        assert!(spec("allowed_tenants = []").is_err());
    }
}
