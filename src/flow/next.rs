//! The `next` parameter and the original URI a proxy passes: honoured only
//! as a path on this site, or an https URL on an allowed redirect host.

/// `next` when it is a local path, else `/`. A local path starts with one
/// `/` (not `//`) and holds no `\`, control or whitespace character anywhere.
pub fn sanitize_next(next: Option<&str>) -> String {
    sanitize_next_for(next, &[])
}

/// Like [`sanitize_next`], also keeping an absolute https URL whose host
/// matches one of `allowed_hosts` (`[server] allowed_redirect_hosts`: exact
/// names, or `*.` and one wildcard label).
pub fn sanitize_next_for(next: Option<&str>, allowed_hosts: &[String]) -> String {
    match next {
        Some(n) if is_local_path(n) || is_allowed_url(n, allowed_hosts) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Where a sign-in returns to, from the first of these the request carries:
/// the `next` parameter, X-Auth-Request-Redirect, X-Forwarded-Uri (only
/// when it came from a trusted proxy); validated like `next`.
pub fn original_uri(
    next: Option<&str>,
    auth_request_redirect: Option<&str>,
    trusted_forwarded_uri: Option<&str>,
    allowed_hosts: &[String],
) -> String {
    let first = next.or(auth_request_redirect).or(trusted_forwarded_uri);
    sanitize_next_for(first, allowed_hosts)
}

/// An https URL with no user info or explicit port, on an allowed host.
fn is_allowed_url(next: &str, allowed_hosts: &[String]) -> bool {
    if allowed_hosts.is_empty() || next.len() > 2048 || has_forbidden_char(next) {
        return false;
    }
    let Ok(url) = url::Url::parse(next) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default();
    url.scheme() == "https"
        && next
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && allowed_hosts.iter().any(|p| host_matches(p, host))
}

/// `pattern` is a host name (exact) or `*.rest` (one label, then `rest`).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(rest) => host
            .strip_suffix(rest)
            .and_then(|label| label.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => pattern.eq_ignore_ascii_case(host),
    }
}

fn has_forbidden_char(next: &str) -> bool {
    next.chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2048
        && !has_forbidden_char(next)
}

#[cfg(test)]
mod tests {
    use super::{original_uri, sanitize_next, sanitize_next_for};

    #[test]
    fn local_paths_are_kept() {
        for next in ["/", "/dashboard", "/a/b?c=d&e=%2F#frag", "/x//y"] {
            assert_eq!(sanitize_next(Some(next)), next);
        }
    }

    #[test]
    fn anything_else_falls_back_to_root() {
        for next in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            " /x",
            "/a b",
            "evil.example",
            "",
            "javascript:alert(1)",
            "/\u{2028}x",
        ] {
            assert_eq!(sanitize_next(Some(next)), "/", "{next:?} was kept");
        }
        assert_eq!(sanitize_next(None), "/");
    }

    fn hosts() -> Vec<String> {
        vec!["app1.example.com".into(), "*.apps.example.com".into()]
    }

    #[test]
    fn absolute_urls_pass_only_on_allowed_https_hosts() {
        for next in [
            "https://app1.example.com/x?a=1&b=2",
            "https://APP1.example.com/",
            "https://one.apps.example.com/dashboard",
        ] {
            assert_eq!(sanitize_next_for(Some(next), &hosts()), next);
        }
        for next in [
            "http://app1.example.com/x",
            "https://app2.example.com/",
            "https://apps.example.com/",
            "https://a.b.apps.example.com/",
            "https://app1.example.com.evil.test/",
            "https://evil@app1.example.com/",
            "https://app1.example.com:8443/",
            "https://app1.example.com/\\evil",
            "https://app1.example.com/\t",
            "https:app1.example.com/x",
            "https:/app1.example.com/x",
        ] {
            assert_eq!(
                sanitize_next_for(Some(next), &hosts()),
                "/",
                "{next:?} was kept"
            );
        }
        assert_eq!(sanitize_next(Some("https://app1.example.com/")), "/");
    }

    #[test]
    fn the_original_uri_comes_from_the_first_source_present() {
        let none: &[String] = &[];
        assert_eq!(original_uri(Some("/a"), Some("/b"), Some("/c"), none), "/a");
        assert_eq!(
            original_uri(None, Some("/b?x=1&y=2"), Some("/c"), none),
            "/b?x=1&y=2"
        );
        assert_eq!(original_uri(None, None, Some("/c"), none), "/c");
        assert_eq!(original_uri(None, None, None, none), "/");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "/a\u{7}b",
        ] {
            assert_eq!(original_uri(None, Some(bad), None, none), "/", "{bad:?}");
        }
    }
}
