//! The URLs of a preset for one `[providers.NAME]`: its templates filled in
//! (`{api}`, `{version}`, `{userinfo}`), or the operator's own endpoints.

use super::preset::{Kind, Preset, Request};
use super::ApiRequest;
use crate::config::ProviderConfig;

/// The values of `{api}`, `{version}` and `{userinfo}`.
pub(super) struct Urls<'a> {
    pub(super) preset: &'a Preset,
    pub(super) config: &'a ProviderConfig,
    api: String,
    version: String,
}

impl<'a> Urls<'a> {
    pub(super) fn new(preset: &'a Preset, config: &'a ProviderConfig) -> Result<Self, String> {
        let api = match (&config.endpoints.api_url, preset.kind) {
            (Some(api), _) => api.clone(),
            (None, Kind::OAuth2 { api_url, .. }) => api_url.to_owned(),
            _ => String::new(),
        };
        let version = config.api_version.as_deref().unwrap_or(DEFAULT_VERSION);
        let digits = version.strip_prefix('v').unwrap_or_default();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(format!("api_version `{version}` is not like `v23.0`"));
        }
        Ok(Urls {
            preset,
            config,
            api: api.trim_end_matches('/').to_owned(),
            version: version.to_owned(),
        })
    }

    /// Fills in a template; `{userinfo}` is the configured or default profile URL.
    pub(super) fn fill(&self, template: &str) -> String {
        let mut url = template.to_owned();
        if url.contains("{userinfo}") {
            let userinfo = match (&self.config.endpoints.userinfo_url, self.preset.kind) {
                (Some(u), _) => u.to_string(),
                (None, Kind::OAuth2 { userinfo_url, .. } | Kind::OAuth1 { userinfo_url, .. }) => {
                    self.fill(userinfo_url)
                }
                _ => String::new(),
            };
            url = url.replace("{userinfo}", &userinfo);
        }
        url.replace("{api}", &self.api)
            .replace("{version}", &self.version)
    }

    /// The operator's URL for `key`, or the preset's template filled in.
    pub(super) fn endpoint(
        &self,
        configured: &Option<url::Url>,
        template: &str,
        key: &str,
    ) -> Result<url::Url, String> {
        if let Some(url) = configured {
            return Ok(url.clone());
        }
        let filled = self.fill(template);
        if filled.is_empty() {
            return Err(format!("the {} preset needs `{key}`", self.preset.id));
        }
        url::Url::parse(&filled).map_err(|e| format!("bad `{key}` {filled}: {e}"))
    }

    pub(super) fn requests(&self, requests: &[Request], appsecret_proof: bool) -> Vec<ApiRequest> {
        requests
            .iter()
            .map(|r| ApiRequest {
                key: r.key,
                url: self.fill(r.url),
                optional: r.optional,
                post: r.post,
                appsecret_proof,
            })
            .collect()
    }
}

/// The Graph API version of presets whose URLs hold `{version}` (Facebook).
pub const DEFAULT_VERSION: &str = "v23.0";
