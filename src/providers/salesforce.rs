//! Preset `salesforce`. Salesforce: OIDC at `https://login.salesforce.com` (sandboxes:
//! `https://test.salesforce.com`, or a My Domain URL, as `issuer`).

use super::Preset;

/// Salesforce.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("https://login.salesforce.com", ""),
    ..Preset::named("salesforce", "Salesforce", "#00a1e0")
};

#[cfg(test)]
mod tests {
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn documented_claims_map_to_a_profile() {
        // The shape of Salesforce's documented ID token / userinfo claims.
        let claims = serde_json::json!({"sub": "https://login.salesforce.com/id/00Dx0000001T0zk/005x0000001S2b9", "user_id": "005x0000001S2b9", "organization_id": "00Dx0000001T0zk", "preferred_username": "admin@acme.example", "nickname": "admin", "name": "Admin User", "email": "admin@acme.example", "email_verified": true, "given_name": "Admin", "family_name": "User", "picture": "https://acme.file.force.com/profilephoto/005/F", "user_type": "STANDARD", "active": true});
        let p = map_claims("salesforce", &claims).unwrap();
        assert_eq!(
            p.subject,
            "https://login.salesforce.com/id/00Dx0000001T0zk/005x0000001S2b9"
        );
        assert_eq!(p.name.as_deref(), Some("Admin User"));
        assert_eq!(p.email.as_deref(), Some("admin@acme.example"));
        assert!(p.email_verified);
        assert_eq!(p.username.as_deref(), Some("admin@acme.example"));
    }
}
