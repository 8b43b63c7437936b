//! Fetching a provider's groups at sign-in: a claim or pointer read from
//! the document the protocol produced, or GitHub's /user/orgs and
//! /user/teams followed through every page of their Link headers.

use serde_json::Value;

use super::{api, FlowError, ProviderHttp};
use crate::providers::groups::{self, GroupsSource, MAX_GROUPS};
use crate::providers::Provider;

/// Reads one page of a GitHub list into group names.
type PageReader = fn(&Value) -> Result<Vec<String>, String>;

/// At most this many pages are read from one paginated list.
const MAX_PAGES: usize = 10;

/// The provider's groups from `doc` (OIDC claims, or the OAuth profile
/// document), fetching GitHub's with `access_token`. None when the provider's
/// groups are not wanted.
pub async fn fetch(
    http: &ProviderHttp,
    provider: &Provider,
    doc: &Value,
    access_token: Option<&str>,
) -> Result<Option<Vec<String>>, FlowError> {
    let Some(source) = &provider.groups else {
        return Ok(None);
    };
    let found = match source {
        GroupsSource::Claim(name) => groups::from_value(doc.get(name)),
        GroupsSource::Pointer(pointer) => groups::from_value(doc.pointer(pointer)),
        GroupsSource::GitHub { api_url } => {
            let token = access_token.ok_or_else(|| FlowError::Profile("no access token".into()))?;
            return github(http, api_url, token).await.map(Some);
        }
    };
    found
        .map(Some)
        .map_err(|e| FlowError::Profile(format!("groups: {e}")))
}

/// GitHub: each org's login and each team as "org/slug", every page.
async fn github(http: &ProviderHttp, api_url: &str, token: &str) -> Result<Vec<String>, FlowError> {
    let mut found = Vec::new();
    let lists: [(&str, PageReader); 2] = [
        ("/user/orgs", groups::github_orgs),
        ("/user/teams", groups::github_teams),
    ];
    for (path, read) in lists {
        let mut url = Some(format!("{api_url}{path}?per_page=100"));
        let mut pages = 0;
        while let Some(current) = url.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(FlowError::Profile(format!(
                    "{path}: more than {MAX_PAGES} pages"
                )));
            }
            let response = api::get(http, &current, token, &[]).await?;
            let page: Value = serde_json::from_slice(response.body())
                .map_err(|_| FlowError::Profile(format!("{path}: the answer is not JSON")))?;
            found.extend(read(&page).map_err(|e| FlowError::Profile(format!("{path}: {e}")))?);
            if found.len() > MAX_GROUPS {
                return Err(FlowError::Profile(format!("more than {MAX_GROUPS} groups")));
            }
            url = next_link(response.headers(), api_url);
        }
    }
    Ok(found)
}

/// The `rel="next"` URL of a Link header, if it stays under the API's base
/// URL (the access token is never sent anywhere else).
fn next_link(headers: &http::HeaderMap, api_url: &str) -> Option<String> {
    let links = headers.get_all(http::header::LINK);
    links
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().split_once(';')?;
            let is_next = params
                .split(';')
                .any(|p| matches!(p.trim(), "rel=\"next\"" | "rel=next"));
            let url = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            (is_next && url.starts_with(&format!("{api_url}/"))).then(|| url.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(value: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::LINK, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_next_page_is_read_from_the_link_header() {
        let api = "https://api.github.com";
        let h = link(
            "<https://api.github.com/user/orgs?page=2>; rel=\"next\", \
             <https://api.github.com/user/orgs?page=5>; rel=\"last\"",
        );
        assert_eq!(
            next_link(&h, api).as_deref(),
            Some("https://api.github.com/user/orgs?page=2")
        );
        let last = link("<https://api.github.com/user/orgs?page=1>; rel=\"first\"");
        assert_eq!(next_link(&last, api), None);
    }

    #[test]
    fn a_next_page_on_another_host_is_not_followed() {
        let h = link("<https://evil.example/user/orgs?page=2>; rel=\"next\"");
        assert_eq!(next_link(&h, "https://api.github.com"), None);
        let prefix = link("<https://api.github.com.evil.example/x>; rel=\"next\"");
        assert_eq!(next_link(&prefix, "https://api.github.com"), None);
    }
}
