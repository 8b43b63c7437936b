//! Provider rules on already verified ID token claims: a templated issuer
//! filled in with the token's tenant and the allowed tenants (Microsoft),
//! and claims that must hold given values (Google's `hd`).

use serde_json::Value;

use super::FlowError;
use crate::providers::{OidcSpec, TenantIssuer};

/// Checks `claims` against the rules of `spec`; `published_issuer` is the
/// issuer the provider's metadata names (a template for multi-tenant ones).
pub fn check(spec: &OidcSpec, published_issuer: &str, claims: &Value) -> Result<(), FlowError> {
    if let Some(rule) = &spec.tenant_issuer {
        check_tenant(rule, published_issuer, claims)?;
    }
    for (name, value) in &spec.required_claims {
        let actual = claims.get(name).and_then(Value::as_str);
        if actual != Some(value.as_str()) {
            return Err(FlowError::NotAllowed(format!(
                "the ID token's `{name}` is {actual:?}, not {value:?}"
            )));
        }
    }
    Ok(())
}

fn check_tenant(rule: &TenantIssuer, template: &str, claims: &Value) -> Result<(), FlowError> {
    let tenant = claims
        .get(rule.claim)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .ok_or_else(|| FlowError::IdToken(format!("no usable `{}` claim", rule.claim)))?;
    let expected = template.replace(rule.placeholder, tenant);
    if claims.get("iss").and_then(Value::as_str) != Some(expected.as_str()) {
        return Err(FlowError::IdToken(format!(
            "iss is not {expected}, the issuer of tenant {tenant}"
        )));
    }
    if let Some(allowed) = &rule.allowed {
        if !allowed.iter().any(|a| a.eq_ignore_ascii_case(tenant)) {
            return Err(FlowError::NotAllowed(format!(
                "tenant {tenant} is not in allowed_tenants"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{generic_oidc, ProfileMapper};
    use serde_json::json;

    const TEMPLATE: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    fn spec(allowed: Option<Vec<String>>) -> OidcSpec {
        let mut spec = OidcSpec::new(
            "https://login.microsoftonline.com/common/v2.0".into(),
            vec![],
            ProfileMapper::new(generic_oidc::map_claims),
        );
        spec.tenant_issuer = Some(Box::new(TenantIssuer {
            placeholder: "{tenantid}",
            claim: "tid",
            allowed,
        }));
        spec
    }

    fn claims(iss_tenant: &str, tid: &str) -> Value {
        json!({"iss": format!("https://login.microsoftonline.com/{iss_tenant}/v2.0"), "tid": tid})
    }

    #[test]
    fn the_issuer_template_is_filled_with_the_tokens_tenant() {
        assert!(check(&spec(None), TEMPLATE, &claims(TID, TID)).is_ok());
        let other = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        let err = check(&spec(None), TEMPLATE, &claims(other, TID));
        assert!(matches!(err, Err(FlowError::IdToken(_))), "{err:?}");
        let err = check(
            &spec(None),
            TEMPLATE,
            &json!({"iss": TEMPLATE, "tid": "{tenantid}"}),
        );
        assert!(matches!(err, Err(FlowError::IdToken(_))), "{err:?}");
    }

    #[test]
    fn a_tenant_outside_allowed_tenants_is_not_allowed() {
        let only = spec(Some(vec![TID.to_uppercase()]));
        assert!(check(&only, TEMPLATE, &claims(TID, TID)).is_ok());
        let other = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        let err = check(&only, TEMPLATE, &claims(other, other));
        assert!(matches!(err, Err(FlowError::NotAllowed(_))), "{err:?}");
    }

    #[test]
    fn required_claims_must_hold_their_values() {
        let mut spec = spec(None);
        spec.tenant_issuer = None;
        spec.required_claims = vec![("hd".into(), "example.com".into())];
        assert!(check(&spec, "", &json!({"hd": "example.com"})).is_ok());
        for bad in [
            json!({}),
            json!({"hd": "evil.example"}),
            json!({"hd": true}),
        ] {
            let err = check(&spec, "", &bad);
            assert!(matches!(err, Err(FlowError::NotAllowed(_))), "{err:?}");
        }
    }
}
