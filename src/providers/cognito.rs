//! Preset `cognito` (Amazon Cognito user pools, OIDC): the issuer is
//! `https://cognito-idp.REGION.amazonaws.com/POOL_ID`; the login name is the
//! `cognito:username` claim; userinfo sends `email_verified` as a string.

use serde_json::Value;

use super::{generic_oidc, string_at, Kind, Map, Preset, Profile, ProfileError};

/// Amazon Cognito.
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "",
        issuer_format: "https://cognito-idp.{region}.amazonaws.com/{pool}",
        map: Map::Fn(map),
    },
    ..Preset::named("cognito", "Amazon Cognito", "#dd344c")
};

/// Cognito's ID token and userinfo claims to a profile.
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut p = generic_oidc::map_claims(provider, claims)?;
    p.username = string_at(claims, "/cognito:username").or(p.username);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cognito_claims_map_to_a_profile() {
        // The shape of a Cognito user pool ID token and userinfo answer.
        let claims = json!({"sub": "aaaaaaaa-bbbb-cccc-dddd-example", "cognito:groups": ["admins"],
            "email_verified": "true", "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example",
            "cognito:username": "janedoe", "aud": "xxxxxxxxxxxxexample", "token_use": "id",
            "auth_time": 1500009400, "exp": 1500013000, "iat": 1500009400, "email": "janedoe@example.com"});
        let p = map("cognito", &claims).unwrap();
        assert_eq!(p.subject, "aaaaaaaa-bbbb-cccc-dddd-example");
        assert_eq!(p.username.as_deref(), Some("janedoe"));
        assert_eq!(p.email.as_deref(), Some("janedoe@example.com"));
        assert!(p.email_verified);
    }

    #[test]
    fn only_a_cognito_issuer_is_accepted() {
        let config = |issuer: &str| -> crate::config::ProviderConfig {
            toml::from_str(&format!(
                "preset = \"cognito\"\nclient_id = \"c\"\nissuer = \"{issuer}\""
            ))
            .unwrap()
        };
        let good = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf";
        assert!(PRESET.build(&config(good)).is_ok());
        assert!(PRESET
            .build(&config("https://evil.example/eu-west-1_AbCdEf"))
            .is_err());
    }
}
