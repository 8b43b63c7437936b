//! Brand colours of the presets' sign-in buttons, as each brand asks for
//! them, with a text colour that keeps WCAG AA contrast (4.5:1). Presets
//! without a brand (generic OIDC, OAuth 2.0, OAuth 1.0a, dev) get none and
//! follow the page's theme.

/// A button's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Brand {
    /// Background.
    pub background: &'static str,
    /// Text.
    pub text: &'static str,
    /// Border (the background itself unless the brand asks for an outline).
    pub border: &'static str,
}

const fn solid(background: &'static str, text: &'static str) -> Brand {
    Brand {
        background,
        text,
        border: background,
    }
}

/// The brand of preset `preset`, if it has one.
pub fn brand(preset: &str) -> Option<Brand> {
    Some(match preset {
        "github" => solid("#24292f", "#ffffff"),
        "facebook" => solid("#0866ff", "#ffffff"),
        "google" => Brand {
            background: "#ffffff",
            text: "#1f1f1f",
            border: "#747775",
        },
        "microsoft" => Brand {
            background: "#ffffff",
            text: "#5e5e5e",
            border: "#8c8c8c",
        },
        "gitlab" => solid("#fc6d26", "#171321"),
        "linkedin" => solid("#0a66c2", "#ffffff"),
        "slack" => solid("#4a154b", "#ffffff"),
        "discord" => solid("#5865f2", "#ffffff"),
        "apple" | "x" => Brand {
            background: "#000000",
            text: "#ffffff",
            border: "#6b7280",
        },
        _ => return None,
    })
}

/// Presets without a brand of their own: they follow the page's theme.
const UNBRANDED: &[&str] = &["oidc", "oauth2", "oauth1", "dev"];

/// The button of a provider built from `preset` with brand colour `color`:
/// the table above, else the preset's colour with the text that reads best
/// on it, when that keeps AA contrast.
pub fn of(preset: &str, color: &'static str) -> Option<Brand> {
    if UNBRANDED.contains(&preset) {
        return None;
    }
    brand(preset).or_else(|| {
        let text = text_on(color);
        (color.starts_with('#') && contrast(color, text) >= 4.5).then(|| solid(color, text))
    })
}

/// The WCAG relative luminance of `#rrggbb` or `#rgb` (0 for anything else).
pub fn luminance(hex: &str) -> f64 {
    let digits = hex.trim_start_matches('#');
    let expanded: String = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        _ => digits.to_owned(),
    };
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(expanded.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    match (channel(0), channel(2), channel(4)) {
        (Some(r), Some(g), Some(b)) => 0.2126 * r + 0.7152 * g + 0.0722 * b,
        _ => 0.0,
    }
}

/// The contrast ratio of two colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// White or near-black, whichever reads better on `background`.
pub fn text_on(background: &str) -> &'static str {
    if contrast(background, "#ffffff") >= contrast(background, "#111827") {
        "#ffffff"
    } else {
        "#111827"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_brand_keeps_aa_contrast() {
        for preset in crate::providers::PRESETS {
            if let Some(b) = brand(preset.id) {
                let ratio = contrast(b.background, b.text);
                assert!(ratio >= 4.5, "{}: {ratio}", preset.id);
            }
        }
    }

    #[test]
    fn every_branded_preset_gets_a_button_with_aa_contrast() {
        for preset in crate::providers::PRESETS {
            match of(preset.id, preset.color) {
                Some(b) => assert!(contrast(b.background, b.text) >= 4.5, "{}", preset.id),
                None => assert!(
                    UNBRANDED.contains(&preset.id) || brand(preset.id).is_none(),
                    "{}",
                    preset.id
                ),
            }
        }
        assert!(of("okta", "#00297a").is_some());
        assert_eq!(of("oidc", "#4b5563"), None);
    }

    #[test]
    fn accent_text_is_chosen_for_contrast() {
        assert_eq!(text_on("#4f46e5"), "#ffffff");
        assert_eq!(text_on("#fde047"), "#111827");
        assert_eq!(text_on("#fff"), "#111827");
        assert!(contrast("#000", "#ffffff") > 20.0);
    }
}
