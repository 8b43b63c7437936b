//! Where a provider's groups come from, and the pure readings of the
//! documents that carry them. Fetching (GitHub's API) is flow/'s.

use serde_json::Value;

use crate::config::ProviderConfig;

use super::{Preset, Protocol};

/// At most this many groups are read from one sign-in; more is refused.
pub const MAX_GROUPS: usize = 1000;

/// Where a provider's groups come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupsSource {
    /// OIDC: a claim of the ID token or userinfo (a string or an array).
    Claim(String),
    /// OAuth 2.0 / 1.0a: a JSON pointer into the profile document.
    Pointer(String),
    /// GitHub: GET {api}/user/orgs and {api}/user/teams, every page.
    GitHub {
        /// The API base URL, without a trailing slash.
        api_url: String,
    },
}

/// The groups source of a configured provider, when groups are wanted.
pub fn source(
    preset: &Preset,
    config: &ProviderConfig,
    protocol: &Protocol,
) -> Result<Option<GroupsSource>, String> {
    if !config.wants_groups() {
        return Ok(None);
    }
    let source = match (preset.groups, protocol) {
        (Some(requests), _) => requests(config),
        (None, Protocol::Oidc(_)) => GroupsSource::Claim(
            config
                .groups_claim
                .clone()
                .unwrap_or_else(|| "groups".into()),
        ),
        (None, _) => match config.claims.as_ref().and_then(|c| c.groups.clone()) {
            Some(pointer) => GroupsSource::Pointer(pointer),
            None => {
                return Err(
                    "groups are wanted (groups or allowed_groups) but this preset \
                            has no groups: set claims.groups to a JSON pointer"
                        .into(),
                )
            }
        },
    };
    Ok(Some(source))
}

/// GitHub's API base URL (Enterprise through api_url).
pub fn github_api(config: &ProviderConfig) -> String {
    config
        .endpoints
        .api_url
        .as_deref()
        .unwrap_or("https://api.github.com")
        .trim_end_matches('/')
        .to_owned()
}

/// A claim or pointer value as groups: a string is one group, an array of
/// strings many; absent is none. Anything else is not the documented shape.
pub fn from_value(value: Option<&Value>) -> Result<Vec<String>, String> {
    let groups = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err("a group is not a string".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("groups are neither a string nor an array".into()),
    };
    checked(groups)
}

/// GitHub's GET /user/orgs page: each organization's `login`.
pub fn github_orgs(page: &Value) -> Result<Vec<String>, String> {
    github_page(page, |org| org.get("login")?.as_str().map(str::to_owned))
}

/// GitHub's GET /user/teams page: `organization.login + "/" + slug`.
pub fn github_teams(page: &Value) -> Result<Vec<String>, String> {
    github_page(page, |team| {
        let org = team.pointer("/organization/login")?.as_str()?;
        let slug = team.get("slug")?.as_str()?;
        Some(format!("{org}/{slug}"))
    })
}

fn github_page(page: &Value, name: fn(&Value) -> Option<String>) -> Result<Vec<String>, String> {
    let items = page.as_array().ok_or("the answer is not an array")?;
    items
        .iter()
        .map(|item| name(item).ok_or_else(|| "an entry lacks its name".to_owned()))
        .collect()
}

/// Drops empty names and refuses more than [`MAX_GROUPS`].
pub fn checked(groups: Vec<String>) -> Result<Vec<String>, String> {
    let groups: Vec<String> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    if groups.len() > MAX_GROUPS {
        return Err(format!("more than {MAX_GROUPS} groups"));
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_claim_may_be_a_string_or_an_array_of_strings() {
        assert_eq!(from_value(Some(&json!("eng"))).unwrap(), ["eng"]);
        assert_eq!(
            from_value(Some(&json!(["eng", "ops"]))).unwrap(),
            ["eng", "ops"]
        );
        assert!(from_value(None).unwrap().is_empty());
        assert!(from_value(Some(&json!([1, 2]))).is_err());
        assert!(from_value(Some(&json!({"a": 1}))).is_err());
    }

    #[test]
    fn github_pages_give_org_logins_and_org_slash_team() {
        let orgs = json!([{"login": "acme", "id": 1}, {"login": "octo-org", "id": 2}]);
        assert_eq!(github_orgs(&orgs).unwrap(), ["acme", "octo-org"]);
        let teams = json!([{"slug": "platform", "organization": {"login": "acme"}}]);
        assert_eq!(github_teams(&teams).unwrap(), ["acme/platform"]);
        assert!(github_orgs(&json!({"message": "Bad credentials"})).is_err());
        assert!(github_teams(&json!([{"slug": "x"}])).is_err());
    }

    #[test]
    fn more_than_a_thousand_groups_are_refused() {
        let many: Vec<String> = (0..=MAX_GROUPS).map(|i| i.to_string()).collect();
        assert!(checked(many).is_err());
    }
}
