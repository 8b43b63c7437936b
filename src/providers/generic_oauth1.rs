//! Preset `oauth1`: any OAuth 1.0a provider, from request_token_url, auth_url
//! (the authenticate or authorize URL), token_url (the access-token URL),
//! userinfo_url and the same claim mapping as the oauth2 preset.

use super::{Kind, Map, Preset};

/// Any OAuth 1.0a provider, mapped by the operator's JSON pointers.
pub const PRESET: Preset = Preset {
    icon: "key",
    kind: Kind::OAuth1 {
        request_token_url: "",
        auth_url: "",
        token_url: "",
        userinfo_url: "",
        profile_params: &[],
        map: Map::Claims,
    },
    scopes: &[],
    accepts: &["claims"],
    ..Preset::named("oauth1", "OAuth 1.0a", "#4b5563")
};

#[cfg(test)]
use {super::Protocol, crate::config::ProviderConfig};

/// The registry's build of this preset, as the tests call it.
#[cfg(test)]
fn build(config: &ProviderConfig) -> Result<Protocol, String> {
    PRESET.build(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> ProviderConfig {
        let text = format!(
            "preset = \"oauth1\"\nclient_id = \"key\"\n{extra}\n\
             request_token_url = \"https://p.example/oauth/request_token\"\n\
             auth_url = \"https://p.example/oauth/authorize\"\n\
             token_url = \"https://p.example/oauth/access_token\"\n\
             userinfo_url = \"https://p.example/api/me?fields=id,name\"\n\
             [claims]\nsubject = \"/id\"\n"
        );
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn a_complete_oauth1_provider_builds() {
        let Protocol::OAuth1(spec) = build(&config("client_secret = \"s\"")).unwrap() else {
            panic!("not OAuth 1.0a");
        };
        assert_eq!(spec.authenticate_url.path(), "/oauth/authorize");
        assert_eq!(spec.profile_url.query(), Some("fields=id,name"));
    }

    #[test]
    fn the_consumer_secret_is_required_and_scopes_are_refused() {
        let e = build(&config("")).unwrap_err();
        assert!(e.contains("client_secret"), "{e}");
        let e = build(&config("client_secret = \"s\"\nscopes = [\"read\"]")).unwrap_err();
        assert!(e.contains("scopes"), "{e}");
    }

    #[test]
    fn each_endpoint_and_the_claims_are_required() {
        let mut c = config("client_secret = \"s\"");
        c.endpoints.request_token_url = None;
        assert!(build(&c).unwrap_err().contains("request_token_url"));
        let mut c = config("client_secret = \"s\"");
        c.claims = None;
        assert!(build(&c).unwrap_err().contains("claims"));
    }
}
