//! minijinja pages: templates/*.html embedded in the binary; an operator's
//! templates folder (`[ui] templates_dir`) overrides any of them. Autoescape
//! is on (by extension). Every page sees two globals: `base`, the path
//! every link starts with, and `ui`, the `[ui]` look.

use std::path::PathBuf;
use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::Environment;
use serde::Serialize;

use crate::config::UiConfig;
use crate::providers::brand;

/// The built-in pages.
const EMBEDDED: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("dev_idp.html", include_str!("../templates/dev_idp.html")),
];

/// The `ui` global.
#[derive(Debug, Serialize)]
struct UiGlobal {
    title: String,
    logo_url: Option<String>,
    accent: String,
    accent_text: &'static str,
}

/// The page renderer, built at start and at each config reload.
#[derive(Clone)]
pub struct Templates {
    env: Arc<Environment<'static>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

impl Templates {
    /// Pages from `override_dir` when it holds them, else the embedded ones.
    /// `base` (the variable `base` in every page) is what links to doorman's
    /// routes start with: `[server] path_prefix`, see `Config::page_base`;
    /// `ui` is `[ui]`.
    pub fn new(override_dir: Option<PathBuf>, ui: &UiConfig, base: &str) -> Self {
        let mut env = Environment::new();
        // Safe: a validated path prefix, or public_url's origin and it.
        env.add_global("base", minijinja::Value::from_safe_string(base.to_owned()));
        env.set_loader(move |name| {
            if let Some(dir) = &override_dir {
                if let Some(source) = minijinja::path_loader(dir)(name)? {
                    return Ok(Some(source));
                }
            }
            Ok(EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| s.to_string().into()))
        });
        let global = UiGlobal {
            title: ui.title.clone(),
            logo_url: ui.logo_url.clone(),
            accent: ui.accent_color.clone(),
            accent_text: brand::text_on(&ui.accent_color),
        };
        env.add_global("ui", minijinja::Value::from(Serde(global)));
        Self { env: Arc::new(env) }
    }

    /// Renders a page.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        self.env
            .get_template(name)?
            .render(minijinja::Value::from(Serde(ctx)))
    }
}
