//! Preset `paypal` (Log in with PayPal, OAuth 2.0): GET
//! /v1/identity/openidconnect/userinfo?schema=openid; the subject is
//! `user_id`; the email is the primary one of `emails`, verified only when
//! PayPal says `email_verified`. Sandbox: override auth_url and api_url.

use serde_json::Value;

use super::{bool_at, listed, string_at, Fields, Kind, Map, Preset, Profile, ProfileError};

/// PayPal.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.paypal.com/signin/authorize",
        token_url: "{api}/v1/oauth2/token",
        api_url: "https://api-m.paypal.com",
        userinfo_url: "{api}/v1/identity/openidconnect/userinfo?schema=openid",
        map: Map::Fn(map),
    },
    scopes: &["openid", "email", "profile"],
    ..Preset::named("paypal", "PayPal", "#003087")
};

/// `{"user": GET userinfo}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let fields = Fields {
        subject: "/user_id",
        name: "/name",
        ..Fields::NONE
    };
    let mut p = fields.map(provider, doc)?;
    p.email = listed(doc, "/user/emails", |e| e["primary"] == true, "/value")
        .or_else(|| string_at(doc, "/user/email"));
    p.email_verified = p.email.is_some() && bool_at(doc, "/user/email_verified");
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_userinfo_maps_to_a_profile() {
        // The shape of PayPal's documented userinfo answer (schema=openid).
        let user = json!({"user_id": "https://www.paypal.com/webapps/auth/identity/user/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA",
            "name": "identity test", "given_name": "identity", "family_name": "test",
            "payer_id": "WDJJHEBZ4X2LY", "verified_account": "true", "email_verified": true,
            "emails": [{"value": "user1@example.com", "primary": true, "confirmed": true}]});
        let p = map("paypal", &json!({"user": user})).unwrap();
        assert!(p
            .subject
            .ends_with("/mWq6_1sU85v5EG9yHdPxJRrhGHrnMJ-1PQKtX6pcsmA"));
        assert_eq!(p.name.as_deref(), Some("identity test"));
        assert_eq!(p.email.as_deref(), Some("user1@example.com"));
        assert!(p.email_verified);
    }

    #[test]
    fn without_email_verified_the_email_is_not_trusted() {
        let user =
            json!({"user_id": "u1", "emails": [{"value": "a@example.com", "primary": true}]});
        let p = map("paypal", &json!({"user": user})).unwrap();
        assert!(!p.email_verified);
    }
}
