//! Who may sign in: `[access]`'s verified-email lists and a provider's
//! `allowed_groups`, decided before anything is written.

use super::FlowError;
use crate::config::AccessConfig;
use crate::providers::{Profile, Provider};

/// Refuses (403) a sign-in the rules do not allow; the reason is logged,
/// never shown.
pub fn check(
    access: &AccessConfig,
    provider: &Provider,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<(), FlowError> {
    if access.restricts_emails() && !email_allowed(access, profile) {
        return Err(FlowError::AccessDenied(
            "no verified email on [access]'s lists".into(),
        ));
    }
    check_groups(provider, groups)
}

/// The provider's `allowed_groups` alone (what linking checks): one shared
/// group is enough.
pub fn check_groups(provider: &Provider, groups: Option<&[String]>) -> Result<(), FlowError> {
    if !provider.allowed_groups.is_empty() {
        let shared = groups.unwrap_or_default().iter().any(|g| {
            provider
                .allowed_groups
                .iter()
                .any(|a| a.eq_ignore_ascii_case(g))
        });
        if !shared {
            return Err(FlowError::AccessDenied(format!(
                "not in any of {}'s allowed_groups",
                provider.name
            )));
        }
    }
    Ok(())
}

/// A verified email that is listed, or whose exact domain is.
pub fn email_allowed(access: &AccessConfig, profile: &Profile) -> bool {
    let Some(email) = profile.email.as_deref().filter(|_| profile.email_verified) else {
        return false;
    };
    email_listed(&access.allowed_emails, &access.allowed_email_domains, email)
}

/// Whether `email` is in `emails`, or its domain in `domains` (ASCII
/// case-insensitive, exact domain: a subdomain is another domain).
pub fn email_listed(emails: &[String], domains: &[String], email: &str) -> bool {
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    emails.iter().any(|e| e.eq_ignore_ascii_case(email))
        || (!domain.is_empty() && domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> (Vec<String>, Vec<String>) {
        (vec!["ada@gmail.com".into()], vec!["corp.example".into()])
    }

    #[test]
    fn listed_emails_and_exact_domains_pass_case_insensitively() {
        let (emails, domains) = lists();
        assert!(email_listed(&emails, &domains, "Ada@Gmail.com"));
        assert!(email_listed(&emails, &domains, "bob@CORP.example"));
        assert!(!email_listed(&emails, &domains, "bob@eng.corp.example"));
        assert!(!email_listed(&emails, &domains, "bob@corp.example.evil"));
        assert!(!email_listed(&emails, &domains, "eve@gmail.com"));
        assert!(!email_listed(&emails, &domains, "corp.example"));
    }
}
