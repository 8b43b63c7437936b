//! Brand icons of the presets: SVGs embedded in the binary and served by the
//! web layer at /icons/{name}.svg. The brand marks come from simple-icons
//! (CC0); microsoft, linkedin, slack and the generic key are drawn here.

/// Every icon by name.
const ICONS: &[(&str, &str)] = &[
    ("apple", include_str!("../../assets/icons/apple.svg")),
    ("discord", include_str!("../../assets/icons/discord.svg")),
    ("facebook", include_str!("../../assets/icons/facebook.svg")),
    ("github", include_str!("../../assets/icons/github.svg")),
    ("gitlab", include_str!("../../assets/icons/gitlab.svg")),
    ("google", include_str!("../../assets/icons/google.svg")),
    ("key", include_str!("../../assets/icons/key.svg")),
    ("linkedin", include_str!("../../assets/icons/linkedin.svg")),
    (
        "microsoft",
        include_str!("../../assets/icons/microsoft.svg"),
    ),
    ("openid", include_str!("../../assets/icons/openid.svg")),
    ("slack", include_str!("../../assets/icons/slack.svg")),
    ("x", include_str!("../../assets/icons/x.svg")),
];

/// The SVG document of icon `name`.
pub fn svg(name: &str) -> Option<&'static str> {
    ICONS.iter().find(|(n, _)| *n == name).map(|(_, svg)| *svg)
}

/// The path doorman serves icon `name` at.
pub fn url(name: &str) -> String {
    format!("/icons/{name}.svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_a_self_contained_svg() {
        for (name, doc) in ICONS {
            assert!(
                doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
                "{name}"
            );
            assert!(doc.trim_end().ends_with("</svg>"), "{name}");
            assert!(!doc.contains("<script") && !doc.contains("href"), "{name}");
        }
    }

    #[test]
    fn every_preset_points_at_an_existing_icon() {
        for preset in crate::providers::PRESETS {
            assert!(
                svg(preset.icon).is_some(),
                "{} -> {}",
                preset.id,
                preset.icon
            );
        }
        assert_eq!(svg("nosuch"), None);
        assert_eq!(url("github"), "/icons/github.svg");
    }
}
