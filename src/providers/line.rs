//! Preset `line` (LINE Login v2.1, OIDC at `https://access.line.me`): the
//! email claim needs LINE's email permission and comes with no
//! email_verified, so it is never taken as verified.

use super::Preset;

/// LINE.
pub const PRESET: Preset = Preset {
    kind: Preset::oidc("https://access.line.me", ""),
    scopes: &["openid", "profile", "email"],
    ..Preset::named("line", "LINE", "#06c755")
};

#[cfg(test)]
mod tests {
    use crate::providers::generic_oidc::map_claims;

    #[test]
    fn line_id_token_claims_map_to_a_profile() {
        // The payload of LINE Login's documented ID token.
        let claims = serde_json::json!({"iss": "https://access.line.me", "sub": "U1234567890abcdef1234567890abcdef",
            "aud": "1234567890", "exp": 1504169092, "iat": 1504263657, "nonce": "0987654asdf",
            "amr": ["pwd"], "name": "Taro Line", "picture": "https://sample_line.me/aBcdefg123456",
            "email": "taro.line@example.com"});
        let p = map_claims("line", &claims).unwrap();
        assert_eq!(p.subject, "U1234567890abcdef1234567890abcdef");
        assert_eq!(p.name.as_deref(), Some("Taro Line"));
        assert_eq!(p.email.as_deref(), Some("taro.line@example.com"));
        assert!(!p.email_verified, "LINE sends no email_verified");
    }
}
