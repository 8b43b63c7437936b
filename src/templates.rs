//! minijinja pages: templates/*.html embedded in the binary; an operator's
//! templates/ folder overrides any of them. Autoescape is on (by extension).

use std::path::PathBuf;
use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::Environment;
use serde::Serialize;

/// The built-in pages.
const EMBEDDED: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("dev_idp.html", include_str!("../templates/dev_idp.html")),
];

/// The page renderer, built once at start.
#[derive(Clone)]
pub struct Templates {
    env: Arc<Environment<'static>>,
}

impl Templates {
    /// Pages from `override_dir` when it holds them, else the embedded ones.
    /// `base` (the variable `base` in every page) is what links to doorman's
    /// routes start with: `[server] path_prefix`, see `Config::page_base`.
    pub fn new(override_dir: Option<PathBuf>, base: &str) -> Self {
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
        Self { env: Arc::new(env) }
    }

    /// Renders a page.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        self.env
            .get_template(name)?
            .render(minijinja::Value::from(Serde(ctx)))
    }
}
