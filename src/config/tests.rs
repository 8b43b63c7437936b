//! Config parsing and validation from TOML text.

use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml(text, Path::new("test.toml"))
}

#[test]
fn the_shipped_config_parses() {
    let text = include_str!("../../config/doorman.toml");
    let config = parse(text).expect("shipped config is valid");
    assert!(config.dev_idp.enabled);
    assert!(config.providers.is_empty());
}

#[test]
fn a_missing_variable_is_named() {
    let err = parse(
        r#"[server]
secret_key = "${DOORMAN_TEST_SURELY_UNSET_VAR}""#,
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("DOORMAN_TEST_SURELY_UNSET_VAR"),
        "{message}"
    );
    assert!(message.contains("server.secret_key"), "{message}");
}

#[test]
fn a_set_variable_is_interpolated() {
    std::env::set_var("DOORMAN_TEST_SECRET_FOR_CONFIG", "s3cr3t");
    let config = parse(
        r#"[providers.corp]
preset = "oidc"
client_id = "abc"
client_secret = "x-${DOORMAN_TEST_SECRET_FOR_CONFIG}-y"
issuer = "https://id.example""#,
    )
    .unwrap();
    let secret = config.providers["corp"].client_secret.as_ref().unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(secret), "x-s3cr3t-y");
}

#[test]
fn unknown_keys_are_refused() {
    let err = parse("[server]\nbindd = \"127.0.0.1:1\"").unwrap_err();
    assert!(err.to_string().contains("bindd"), "{err}");
    assert!(parse("[nonsense]\na = 1").is_err());
}

#[test]
fn durations_are_humantime() {
    let config = parse("[session]\nidle_timeout = \"90s\"\nabsolute_lifetime = \"2d\"").unwrap();
    assert_eq!(config.session.idle_timeout.as_secs(), 90);
    assert_eq!(config.session.absolute_lifetime.as_secs(), 2 * 86_400);
}

#[test]
fn bad_provider_names_and_reserved_names_are_refused() {
    for name in ["Github", "9lives", "verify", "dev", "a-b"] {
        let text = format!("[providers.\"{name}\"]\npreset = \"oidc\"\nclient_id = \"x\"");
        assert!(parse(&text).is_err(), "{name} accepted");
    }
}

#[test]
fn a_short_secret_key_is_refused() {
    let err = parse("[server]\nsecret_key = \"short\"").unwrap_err();
    assert!(err.to_string().contains("32 bytes"), "{err}");
}

#[test]
fn the_dev_idp_is_refused_off_loopback() {
    let err = parse(
        "[server]\npublic_url = \"https://auth.example\"\nsecret_key = \"0123456789abcdef0123456789abcdef\"\n[dev_idp]\nenabled = true",
    )
    .unwrap_err();
    assert!(err.to_string().contains("dev_idp"), "{err}");
}

#[test]
fn the_secret_key_is_required_off_loopback() {
    let err = parse("[server]\npublic_url = \"https://auth.example\"").unwrap_err();
    assert!(err.to_string().contains("secret_key"), "{err}");
}

#[test]
fn the_token_endpoint_auth_method_takes_registration_names_only() {
    let provider = |method: &str| {
        format!(
            "[providers.corp]\npreset = \"oidc\"\nclient_id = \"abc\"\n\
             issuer = \"https://id.example\"\ntoken_endpoint_auth_method = \"{method}\""
        )
    };
    let config = parse(&provider("client_secret_post")).unwrap();
    assert_eq!(
        config.providers["corp"].token_endpoint_auth_method,
        Some(TokenEndpointAuthMethod::ClientSecretPost)
    );
    let err = parse(&provider("post")).unwrap_err();
    assert!(
        err.to_string().contains("token_endpoint_auth_method"),
        "{err}"
    );
}

#[test]
fn access_lists_and_group_keys_parse_and_bad_values_are_named() {
    let config = parse(
        r#"[access]
allowed_email_domains = ["corp.example"]
groups_max_age = "2h"
[providers.github]
preset = "github"
client_id = "x"
allowed_groups = ["acme"]
"#,
    )
    .unwrap();
    assert!(config.access.restricts_emails());
    assert_eq!(config.access.groups_max_age.as_secs(), 7200);
    assert!(config.providers["github"].wants_groups());
    let err = parse("[access]\nallowed_email_domains = [\"a@b\"]\n").unwrap_err();
    assert!(
        err.to_string().contains("access.allowed_email_domains"),
        "{err}"
    );
}

#[test]
fn groups_on_a_preset_without_groups_are_refused_at_start() {
    let config = parse(
        r#"[providers.chat]
preset = "discord"
client_id = "x"
groups = true
"#,
    )
    .unwrap();
    let err = crate::providers::Registry::from_config(&config).unwrap_err();
    assert!(err.to_string().contains("providers.chat"), "{err}");
    assert!(err.to_string().contains("claims.groups"), "{err}");
}

#[test]
fn provider_token_and_logout_keys_are_refused_where_they_cannot_work() {
    let registry = |toml: &str| crate::providers::Registry::from_config(&parse(toml).unwrap());
    let oauth1 = "[providers.tw]\npreset = \"x\"\nclient_id = \"x\"\nclient_secret = \"y\"\npass_access_token = true\n";
    let err = registry(oauth1).unwrap_err().to_string();
    assert!(
        err.contains("providers.tw") && err.contains("pass_access_token"),
        "{err}"
    );
    let not_oidc = "[providers.gh]\npreset = \"github\"\nclient_id = \"x\"\nend_session = true\n";
    let err = registry(not_oidc).unwrap_err().to_string();
    assert!(err.contains("end_session"), "{err}");
    let ok = "[providers.gh]\npreset = \"github\"\nclient_id = \"x\"\npass_access_token = true\n";
    let gh = registry(ok).unwrap().get("gh").unwrap();
    assert!(
        gh.tokens.store && gh.tokens.pass,
        "pass_access_token implies store_tokens"
    );
}

#[test]
fn a_bad_path_prefix_is_refused_naming_the_key() {
    for prefix in ["_doorman", "/_doorman/", "/auth", "/login/x"] {
        let err = parse(&format!("[server]\npath_prefix = \"{prefix}\"")).unwrap_err();
        assert!(err.to_string().contains("server.path_prefix"), "{err}");
    }
    let config = parse("[server]\npath_prefix = \"/_doorman\"").unwrap();
    assert_eq!(
        config.redirect_uri("corp"),
        "http://127.0.0.1:8080/_doorman/auth/corp/callback"
    );
}

#[test]
fn cookie_domain_must_hold_public_urls_host() {
    let ok = "[server]\npublic_url = \"https://auth.example.com\"\nsecret_key = \"0123456789abcdef0123456789abcdef\"\n";
    let config = parse(&format!(
        "{ok}cookie_domain = \"example.com\"\nallowed_redirect_hosts = [\"*.example.com\"]"
    ))
    .unwrap();
    assert_eq!(config.session_cookie_name(), "__Secure-doorman_session");
    for bad in [
        "cookie_domain = \"other.example\"",
        "cookie_domain = \".example.com\"",
        "allowed_redirect_hosts = [\"app.example.com\"]",
        "cookie_domain = \"example.com\"\nallowed_redirect_hosts = [\"*.*.example.com\"]",
    ] {
        let err = parse(&format!("{ok}{bad}")).unwrap_err().to_string();
        assert!(
            err.contains("server.cookie_domain") || err.contains("server.allowed_redirect_hosts"),
            "{err}"
        );
    }
}
