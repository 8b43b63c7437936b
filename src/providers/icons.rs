//! Brand icons of the presets: SVGs embedded in the binary and served by the
//! web layer at /icons/{name}.svg. The brand marks come from simple-icons
//! (CC0); microsoft, linkedin, slack and the generic key are drawn here, and
//! the other presets' icons are monograms on the brand colour, drawn here too.

/// Every icon by name.
const ICONS: &[(&str, &str)] = &[
    ("amazon", include_str!("../../assets/icons/amazon.svg")),
    ("apple", include_str!("../../assets/icons/apple.svg")),
    (
        "atlassian",
        include_str!("../../assets/icons/atlassian.svg"),
    ),
    ("auth0", include_str!("../../assets/icons/auth0.svg")),
    (
        "authentik",
        include_str!("../../assets/icons/authentik.svg"),
    ),
    (
        "bitbucket",
        include_str!("../../assets/icons/bitbucket.svg"),
    ),
    ("box", include_str!("../../assets/icons/box.svg")),
    ("cognito", include_str!("../../assets/icons/cognito.svg")),
    ("discord", include_str!("../../assets/icons/discord.svg")),
    ("dropbox", include_str!("../../assets/icons/dropbox.svg")),
    ("facebook", include_str!("../../assets/icons/facebook.svg")),
    ("figma", include_str!("../../assets/icons/figma.svg")),
    ("forgejo", include_str!("../../assets/icons/forgejo.svg")),
    ("gitea", include_str!("../../assets/icons/gitea.svg")),
    ("github", include_str!("../../assets/icons/github.svg")),
    ("gitlab", include_str!("../../assets/icons/gitlab.svg")),
    ("google", include_str!("../../assets/icons/google.svg")),
    ("heroku", include_str!("../../assets/icons/heroku.svg")),
    ("kakao", include_str!("../../assets/icons/kakao.svg")),
    ("key", include_str!("../../assets/icons/key.svg")),
    ("keycloak", include_str!("../../assets/icons/keycloak.svg")),
    ("line", include_str!("../../assets/icons/line.svg")),
    ("linkedin", include_str!("../../assets/icons/linkedin.svg")),
    (
        "microsoft",
        include_str!("../../assets/icons/microsoft.svg"),
    ),
    ("naver", include_str!("../../assets/icons/naver.svg")),
    ("notion", include_str!("../../assets/icons/notion.svg")),
    ("okta", include_str!("../../assets/icons/okta.svg")),
    ("openid", include_str!("../../assets/icons/openid.svg")),
    ("patreon", include_str!("../../assets/icons/patreon.svg")),
    ("paypal", include_str!("../../assets/icons/paypal.svg")),
    ("reddit", include_str!("../../assets/icons/reddit.svg")),
    (
        "salesforce",
        include_str!("../../assets/icons/salesforce.svg"),
    ),
    ("slack", include_str!("../../assets/icons/slack.svg")),
    ("spotify", include_str!("../../assets/icons/spotify.svg")),
    ("strava", include_str!("../../assets/icons/strava.svg")),
    ("tiktok", include_str!("../../assets/icons/tiktok.svg")),
    ("twitch", include_str!("../../assets/icons/twitch.svg")),
    ("x", include_str!("../../assets/icons/x.svg")),
    ("yahoo", include_str!("../../assets/icons/yahoo.svg")),
    ("yandex", include_str!("../../assets/icons/yandex.svg")),
    ("zitadel", include_str!("../../assets/icons/zitadel.svg")),
    ("zoom", include_str!("../../assets/icons/zoom.svg")),
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
