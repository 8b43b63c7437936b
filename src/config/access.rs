//! `[access]`: who may sign in at all, and how long provider groups are
//! trusted.

use std::time::Duration;

use serde::Deserialize;

/// `[access]`: every provider; empty lists let anyone in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccessConfig {
    /// Exact domains of a verified email, compared case-insensitively.
    pub allowed_email_domains: Vec<String>,
    /// Verified emails, compared case-insensitively.
    pub allowed_emails: Vec<String>,
    /// Provider groups fetched longer ago than this are stale.
    #[serde(with = "humantime_serde")]
    pub groups_max_age: Duration,
}

impl Default for AccessConfig {
    fn default() -> Self {
        Self {
            allowed_email_domains: Vec::new(),
            allowed_emails: Vec::new(),
            groups_max_age: Duration::from_secs(24 * 3600),
        }
    }
}

impl AccessConfig {
    /// Whether either email list restricts sign-in.
    pub fn restricts_emails(&self) -> bool {
        !self.allowed_email_domains.is_empty() || !self.allowed_emails.is_empty()
    }

    pub(super) fn validate(&self, problems: &mut Vec<String>) {
        for domain in &self.allowed_email_domains {
            if domain.is_empty() || domain.contains('@') || domain.contains(char::is_whitespace) {
                problems.push(format!(
                    "access.allowed_email_domains: `{domain}` is not a domain"
                ));
            }
        }
        for email in &self.allowed_emails {
            if !email.contains('@') || email.contains(char::is_whitespace) {
                problems.push(format!("access.allowed_emails: `{email}` is not an email"));
            }
        }
        if self.groups_max_age.is_zero() {
            problems.push("access.groups_max_age must be positive".into());
        }
    }
}
