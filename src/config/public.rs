//! What doorman writes about itself: its base path (`[server] path_prefix`)
//! and base URL, and the hosts it serves (`cookie_domain`,
//! `allowed_redirect_hosts`); their start-up validation.

use super::Config;

/// The first path segment of every doorman route: a path_prefix may not
/// start with one, or a reader (and a proxy's location rules) could not tell
/// `/auth/...` of the prefix from `/auth/...` of doorman.
const ROUTE_ROOTS: &[&str] = &[
    "auth",
    "login",
    "logout",
    "account",
    "api",
    "icons",
    "dev-idp",
    "healthz",
    "readyz",
    "metrics",
    ".well-known",
];

impl Config {
    /// The path every doorman route lives under: "" or e.g. "/_doorman".
    pub fn base_path(&self) -> &str {
        &self.server.path_prefix
    }

    /// `path` (a doorman route, starting with `/`) with the base path in front:
    /// what every Location that names a doorman route carries.
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.server.path_prefix)
    }

    /// `{public_url}{path_prefix}`: the base of every absolute URL doorman
    /// writes (redirect URIs, the dev IdP's issuer, JWT issuers).
    pub fn base_url(&self) -> String {
        format!("{}{}", self.public_origin(), self.server.path_prefix)
    }

    /// The base the pages build their links from: the base path, or, when
    /// one sign-in serves several hosts (cookie_domain), the base URL, since
    /// a sign-in must begin on public_url's host where its callback arrives.
    pub fn page_base(&self) -> String {
        if self.server.cookie_domain.is_some() {
            self.base_url()
        } else {
            self.server.path_prefix.clone()
        }
    }

    /// The session cookie's name: `__Host-` on https, `__Secure-` on https
    /// with a Domain (which __Host- forbids).
    pub fn session_cookie_name(&self) -> &'static str {
        match (self.is_https(), self.server.cookie_domain.is_some()) {
            (false, _) => "doorman_session",
            (true, false) => "__Host-doorman_session",
            (true, true) => "__Secure-doorman_session",
        }
    }

    pub(super) fn validate_public(&self, problems: &mut Vec<String>) {
        if let Err(why) = check_path_prefix(&self.server.path_prefix) {
            problems.push(format!(
                "server.path_prefix `{}` {why}",
                self.server.path_prefix
            ));
        }
        if let Some(domain) = &self.server.cookie_domain {
            let host = self.server.public_url.host_str().unwrap_or_default();
            if !is_hostname(domain) {
                problems.push(format!(
                    "server.cookie_domain `{domain}` must be a lowercase host name (no dot in front)"
                ));
            } else if !(host == domain || host.ends_with(&format!(".{domain}"))) {
                problems.push(format!(
                    "server.cookie_domain `{domain}` must hold public_url's host `{host}`"
                ));
            }
        }
        if !self.server.allowed_redirect_hosts.is_empty() && self.server.cookie_domain.is_none() {
            problems.push(
                "server.allowed_redirect_hosts needs server.cookie_domain \
                 (without it doorman serves public_url's host alone)"
                    .into(),
            );
        }
        for pattern in &self.server.allowed_redirect_hosts {
            let name = pattern.strip_prefix("*.").unwrap_or(pattern);
            if !is_hostname(name) {
                problems.push(format!(
                    "server.allowed_redirect_hosts: `{pattern}` must be a lowercase host name, \
                     or `*.` and one (e.g. `*.example.com`)"
                ));
            }
        }
    }
}

/// "" or "/seg[/seg...]": segments of unreserved characters, none `.` or
/// `..`, the first not a doorman route's.
fn check_path_prefix(prefix: &str) -> Result<(), &'static str> {
    if prefix.is_empty() {
        return Ok(());
    }
    let Some(rest) = prefix.strip_prefix('/') else {
        return Err("must start with \"/\"");
    };
    if rest.is_empty() || rest.ends_with('/') {
        return Err("must not end with \"/\" (use \"\" for the root)");
    }
    let unreserved = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    for segment in rest.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err("must not hold empty, \".\" or \"..\" segments");
        }
        if !segment.chars().all(unreserved) {
            return Err("may hold only letters, digits, '-', '.', '_', '~' and '/'");
        }
    }
    let first = rest.split('/').next().unwrap_or_default();
    if ROUTE_ROOTS.contains(&first) {
        return Err("collides with a doorman route (choose e.g. \"/_doorman\")");
    }
    Ok(())
}

/// A lowercase DNS name: labels of [a-z0-9-], not empty.
fn is_hostname(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::check_path_prefix;

    #[test]
    fn good_prefixes_pass() {
        for prefix in ["", "/_doorman", "/sso", "/a/b", "/oauth2", "/auth2"] {
            assert_eq!(check_path_prefix(prefix), Ok(()), "{prefix}");
        }
    }

    #[test]
    fn bad_prefixes_are_refused() {
        for prefix in [
            "_doorman",
            "/",
            "/_doorman/",
            "//x",
            "/a//b",
            "/./x",
            "/x/..",
            "/{name}",
            "/a b",
            "/auth",
            "/login",
            "/api/x",
            "/.well-known",
        ] {
            assert!(check_path_prefix(prefix).is_err(), "{prefix} passed");
        }
    }
}
