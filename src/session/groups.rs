//! A user's groups, what every consumer sees: its roles (plain names) and
//! each identity's provider groups as "{provider}:{group}", sorted and
//! unique, compared case-insensitively (ASCII). Computed once when a session
//! is looked up and cached with it; provider groups older than
//! `[access] groups_max_age` are stale and left out.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::store::entities::identities;

/// Bytes encoded in a group name in X-Auth-Request-Groups: everything
/// outside visible ASCII, `%`, and the list separator `,`.
const GROUP_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b',');

/// Provider groups of one identity and when they were fetched.
#[derive(Debug, Clone)]
struct Fetched {
    at: i64,
    groups: Vec<String>,
}

/// A user's groups as of a session lookup.
#[derive(Debug, Clone, Default)]
pub struct UserGroups {
    roles: Vec<String>,
    fetched: Vec<Fetched>,
    max_age: i64,
    /// Every group fresh at `built`, sorted, unique.
    all: Vec<String>,
    /// `all` as the X-Auth-Request-Groups value (None when empty).
    header: Option<String>,
    /// When the oldest provider groups go stale (None: never).
    stale_at: Option<i64>,
}

/// The groups as they stand at one instant.
#[derive(Debug)]
pub struct GroupsView<'a> {
    /// Every fresh group, sorted, unique.
    pub groups: Cow<'a, [String]>,
    /// The X-Auth-Request-Groups value (None when there are none).
    pub header: Cow<'a, Option<String>>,
    /// Whether some provider groups were left out as stale.
    pub stale: bool,
}

impl UserGroups {
    /// From a user's roles and identities, as of `now` (Unix seconds).
    pub fn build(
        roles: Vec<String>,
        identities: &[identities::Model],
        max_age: i64,
        now: i64,
    ) -> Self {
        let fetched = identities.iter().filter_map(provider_groups).collect();
        let mut built = UserGroups {
            roles,
            fetched,
            max_age,
            ..Default::default()
        };
        built.all = built.fresh_at(now);
        built.header = header_value(&built.all);
        built.stale_at = built
            .fetched
            .iter()
            .map(|f| f.at.saturating_add(max_age))
            .filter(|t| *t > now)
            .min();
        if built
            .fetched
            .iter()
            .any(|f| f.at.saturating_add(max_age) <= now)
        {
            built.stale_at = Some(now);
        }
        built
    }

    /// The groups at `now`: the cached list while nothing went stale.
    pub fn view(&self, now: i64) -> GroupsView<'_> {
        match self.stale_at {
            Some(at) if now >= at => {
                let groups = self.fresh_at(now);
                let header = header_value(&groups);
                GroupsView {
                    groups: Cow::Owned(groups),
                    header: Cow::Owned(header),
                    stale: true,
                }
            }
            _ => GroupsView {
                groups: Cow::Borrowed(&self.all),
                header: Cow::Borrowed(&self.header),
                stale: false,
            },
        }
    }

    fn fresh_at(&self, now: i64) -> Vec<String> {
        let fresh = self
            .fetched
            .iter()
            .filter(|f| f.at.saturating_add(self.max_age) > now)
            .flat_map(|f| f.groups.iter().cloned());
        sorted_unique(self.roles.iter().cloned().chain(fresh).collect())
    }
}

impl GroupsView<'_> {
    /// Whether the user has one of `wanted` (ASCII case-insensitive).
    pub fn has_any(&self, wanted: &[String]) -> bool {
        self.groups
            .iter()
            .any(|g| wanted.iter().any(|w| w.eq_ignore_ascii_case(g)))
    }
}

/// An identity's provider groups, prefixed with its provider, if fetched.
fn provider_groups(identity: &identities::Model) -> Option<Fetched> {
    let at = identity.groups_fetched_at?.unix_timestamp();
    let groups = identity.groups.as_ref()?.as_array()?;
    let groups = groups
        .iter()
        .filter_map(|g| g.as_str())
        .map(|g| format!("{}:{g}", identity.provider))
        .collect();
    Some(Fetched { at, groups })
}

/// Sorted (case-insensitively) and unique (case-insensitively).
fn sorted_unique(mut groups: Vec<String>) -> Vec<String> {
    groups.sort_by_cached_key(|g| g.to_ascii_lowercase());
    groups.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    groups
}

/// The comma-separated header value, each name percent-encoded.
fn header_value(groups: &[String]) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let encoded: Vec<String> = groups
        .iter()
        .map(|g| utf8_percent_encode(g, GROUP_UNSAFE).to_string())
        .collect();
    Some(encoded.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::OffsetDateTime;
    use uuid::Uuid;

    fn identity(provider: &str, groups: serde_json::Value, at: i64) -> identities::Model {
        let t = OffsetDateTime::from_unix_timestamp(at).unwrap();
        identities::Model {
            id: Uuid::now_v7(),
            user_id: Uuid::nil(),
            provider: provider.into(),
            subject: "1".into(),
            username: None,
            email: None,
            email_verified: false,
            profile: json!({}),
            created_at: t,
            updated_at: t,
            groups: Some(groups),
            groups_fetched_at: Some(t),
            provider_tokens: None,
            token_lease_id: None,
            token_lease_until: None,
        }
    }

    #[test]
    fn roles_and_prefixed_provider_groups_are_sorted_and_unique() {
        let ids = [
            identity("github", json!(["acme", "acme/platform", "ACME"]), 100),
            identity("corp", json!(["engineering"]), 100),
        ];
        let g = UserGroups::build(vec!["admin".into()], &ids, 60, 120);
        let view = g.view(120);
        assert_eq!(
            view.groups.as_ref(),
            [
                "admin",
                "corp:engineering",
                "github:acme",
                "github:acme/platform"
            ]
        );
        assert!(!view.stale);
        assert!(view.has_any(&["GitHub:Acme".into()]));
        assert!(!view.has_any(&["acme".into()]));
    }

    #[test]
    fn stale_provider_groups_are_left_out_and_roles_stay() {
        let ids = [identity("github", json!(["acme"]), 100)];
        let g = UserGroups::build(vec!["admin".into()], &ids, 60, 120);
        assert_eq!(g.view(159).groups.len(), 2);
        let later = g.view(160);
        assert!(later.stale);
        assert_eq!(later.groups.as_ref(), ["admin"]);
        assert_eq!(later.header.as_deref(), Some("admin"));
    }

    #[test]
    fn commas_percent_and_non_ascii_are_encoded_in_the_header() {
        let ids = [identity("corp", json!(["a,b", "100%", "é t"]), 100)];
        let g = UserGroups::build(vec![], &ids, 60, 100);
        assert_eq!(
            g.view(100).header.as_deref(),
            Some("corp:100%25,corp:a%2Cb,corp:%C3%A9%20t")
        );
        assert_eq!(
            UserGroups::build(vec![], &[], 60, 0)
                .view(0)
                .header
                .as_deref(),
            None
        );
    }
}
