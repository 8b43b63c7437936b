//! `[ui]` (how the pages look) and `[accounts]` (linking rules), with their
//! validation: colours and logo URLs end up in pages, so only safe shapes pass.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

/// `[ui]`: the pages' product name, logo, accent colour and overrides.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// The product name: "Sign in to {title}".
    pub title: String,
    /// A logo above the title: an https URL or a path on this site.
    pub logo_url: Option<String>,
    /// The colour of primary actions, `#rrggbb` or `#rgb`.
    pub accent_color: String,
    /// With exactly one provider, /login goes straight to it.
    pub auto_redirect: bool,
    /// A folder of templates that override the built-in pages.
    pub templates_dir: PathBuf,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            title: "doorman".into(),
            logo_url: None,
            accent_color: "#4f46e5".into(),
            auto_redirect: false,
            templates_dir: PathBuf::from("templates"),
        }
    }
}

/// `[accounts]`: linking identities to a signed-in user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Linking needs a session that signed in at most this long ago.
    #[serde(with = "humantime_serde")]
    pub link_max_age: Duration,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            link_max_age: Duration::from_secs(600),
        }
    }
}

impl UiConfig {
    /// What is wrong with these values, if anything.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() || self.title.chars().count() > 100 {
            problems.push("ui.title must be 1 to 100 characters".into());
        }
        if !is_hex_color(&self.accent_color) {
            problems.push(format!(
                "ui.accent_color `{}` must be #rrggbb or #rgb",
                self.accent_color
            ));
        }
        if let Some(logo) = &self.logo_url {
            if !is_logo_url(logo) {
                problems.push(format!(
                    "ui.logo_url `{logo}` must be an https URL or a path starting with /"
                ));
            }
        }
        problems
    }
}

fn is_hex_color(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 6) && hex.chars().all(|ch| ch.is_ascii_hexdigit())
    })
}

fn is_logo_url(url: &str) -> bool {
    let safe = !url.is_empty()
        && url.len() <= 2048
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\'));
    let https = url
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty());
    let path = url.starts_with('/') && !url.starts_with("//");
    safe && (https || path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_logos_are_checked() {
        let mut ui = UiConfig::default();
        assert!(ui.problems().is_empty());
        for bad in ["red", "#12345", "#1234567", "#ggg", "#fff;}body{x:y"] {
            ui.accent_color = bad.into();
            assert_eq!(ui.problems().len(), 1, "{bad}");
        }
        ui.accent_color = "#ABC".into();
        for bad in [
            "http://x/logo.png",
            "//evil/x.png",
            "javascript:1",
            "/a b.png",
            "https://",
        ] {
            ui.logo_url = Some(bad.into());
            assert_eq!(ui.problems().len(), 1, "{bad}");
        }
        for good in ["https://cdn.example/logo.svg", "/static/logo.png"] {
            ui.logo_url = Some(good.into());
            assert!(ui.problems().is_empty(), "{good}");
        }
    }
}
