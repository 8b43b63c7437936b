//! The shapes of operator-named issuers (Keycloak's
//! `https://{host}/realms/{realm}`, Auth0's trailing slash): a preset states
//! the shape, and an issuer that does not have it stops start-up or a reload.

use super::Preset;

/// The operator's issuer must be a URL of the preset's documented shape.
pub fn check(preset: &Preset, issuer: &str, format: &str) -> Result<String, String> {
    url::Url::parse(issuer).map_err(|e| format!("issuer `{issuer}` is not a URL: {e}"))?;
    if !matches_format(issuer, format) {
        return Err(format!(
            "issuer `{issuer}` is not a {} issuer ({format})",
            preset.label
        ));
    }
    Ok(issuer.to_owned())
}

/// Whether `issuer` has the shape `format`: its literal parts in order,
/// each `{placeholder}` non-empty; https, or http on a loopback host.
pub fn matches_format(issuer: &str, format: &str) -> bool {
    let Ok(url) = url::Url::parse(issuer) else {
        return false;
    };
    let loopback = url.host_str().is_some_and(crate::config::is_loopback_host);
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return false;
    }
    if format.is_empty() {
        return true;
    }
    let rest = issuer.split_once("://").map_or(issuer, |(_, r)| r);
    let shape = format.split_once("://").map_or(format, |(_, r)| r);
    let literals: Vec<&str> = shape
        .split('{')
        .enumerate()
        .map(|(i, part)| match part.split_once('}') {
            Some((_, literal)) if i > 0 => literal,
            _ => part,
        })
        .collect();
    let (first, last) = (literals[0], literals[literals.len() - 1]);
    if literals.len() == 1 {
        return rest == first;
    }
    let Some(mut tail) = rest.strip_prefix(first).and_then(|t| t.strip_suffix(last)) else {
        return false;
    };
    for literal in &literals[1..literals.len() - 1] {
        match tail.get(1..).and_then(|t| t.find(literal)) {
            Some(pos) => tail = &tail[1 + pos + literal.len()..],
            None => return false,
        }
    }
    !tail.is_empty()
}

/// Fixture-test support: `good` builds, `bad` is refused naming the issuer,
/// and when the preset has no issuer of its own, none is refused too.
#[cfg(test)]
pub fn assert_issuer_shape(preset: &Preset, good: &str, bad: &str) {
    let config = |issuer: Option<&str>| -> crate::config::ProviderConfig {
        let line = issuer
            .map(|i| format!("issuer = \"{i}\""))
            .unwrap_or_default();
        toml::from_str(&format!(
            "preset = \"{}\"\nclient_id = \"c\"\n{line}",
            preset.id
        ))
        .unwrap()
    };
    assert!(preset.build(&config(Some(good))).is_ok(), "{good}");
    let e = preset.build(&config(Some(bad))).unwrap_err();
    assert!(e.contains("issuer"), "{e}");
    if matches!(preset.kind, super::Kind::Oidc { issuer: "", .. }) {
        let e = preset.build(&config(None)).unwrap_err();
        assert!(e.contains("`issuer`"), "{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_shapes_are_matched_literally_with_non_empty_placeholders() {
        let keycloak = "https://{host}/realms/{realm}";
        assert!(matches_format("https://sso.example/realms/acme", keycloak));
        assert!(matches_format("http://127.0.0.1:8/realms/acme", keycloak));
        assert!(!matches_format("http://sso.example/realms/acme", keycloak));
        assert!(!matches_format("https://sso.example/realms/", keycloak));
        assert!(!matches_format("https://sso.example/acme", keycloak));
        assert!(matches_format("https://t.auth0.com/", "https://{domain}/"));
        assert!(!matches_format("https://t.auth0.com", "https://{domain}/"));
        assert!(matches_format("https://any.example/x", ""));
    }
}
