//! Forward-auth query rules: `allowed_groups`, `allowed_emails` and
//! `allowed_email_domains` on /auth/verify, set per location in the proxy's
//! config. Values are comma-separated and each item is percent-decoded
//! after splitting, so a group named "a,b" is written as it appears in
//! X-Auth-Request-Groups ("a%2Cb"); `+` stays a plus.

use percent_encoding::percent_decode_str;

use super::error::AppError;
use crate::flow::access::email_listed;
use crate::session::ActiveSession;

/// The rules of one /auth/verify call (all must hold).
#[derive(Debug, Default)]
pub struct QueryRules {
    groups: Vec<String>,
    emails: Vec<String>,
    domains: Vec<String>,
}

impl QueryRules {
    /// Reads the rules from a raw query string.
    pub fn parse(query: Option<&str>) -> Self {
        let mut rules = QueryRules::default();
        for pair in query.unwrap_or_default().split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let target = match key {
                "allowed_groups" => &mut rules.groups,
                "allowed_emails" => &mut rules.emails,
                "allowed_email_domains" => &mut rules.domains,
                _ => continue,
            };
            target.extend(
                value
                    .split(',')
                    .map(|item| percent_decode_str(item).decode_utf8_lossy().into_owned())
                    .filter(|item| !item.is_empty()),
            );
        }
        rules
    }

    /// Whether there is any rule to apply.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.emails.is_empty() && self.domains.is_empty()
    }

    /// Ok when every rule holds; 403, or 401 when provider groups went stale
    /// (signing in again fetches them afresh).
    pub fn check(&self, active: &ActiveSession) -> Result<(), AppError> {
        if self.is_empty() {
            return Ok(());
        }
        let groups = active.groups();
        let user = &active.session.user;
        let email = user.email.as_deref().filter(|_| user.email_verified);
        let email_ok = |list: &[String], domains: &[String]| {
            email.is_some_and(|e| email_listed(list, domains, e))
        };
        let holds = (self.groups.is_empty() || groups.has_any(&self.groups))
            && (self.emails.is_empty() || email_ok(&self.emails, &[]))
            && (self.domains.is_empty() || email_ok(&[], &self.domains));
        match (holds, groups.stale) {
            (true, _) => Ok(()),
            (false, true) => Err(AppError::Unauthenticated),
            (false, false) => Err(AppError::Forbidden),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_split_on_commas_then_decoded() {
        let r = QueryRules::parse(Some(
            "allowed_groups=github:acme,a%2Cb,c++&aud=x&allowed_email_domains=corp.example",
        ));
        assert_eq!(r.groups, ["github:acme", "a,b", "c++"]);
        assert_eq!(r.domains, ["corp.example"]);
        assert!(r.emails.is_empty());
        assert!(QueryRules::parse(None).is_empty());
        assert!(QueryRules::parse(Some("allowed_groups=")).is_empty());
    }
}
