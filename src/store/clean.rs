//! Provider text is data: before a profile is stored its strings lose NUL
//! and every other control character and are capped (1,024 characters;
//! URLs 2,048), so no provider answer can make the database refuse a write
//! (PostgreSQL's text and jsonb refuse NUL) or fill it.

use serde_json::Value;

use crate::providers::Profile;

/// Longest text kept from a provider, in characters.
pub const MAX_TEXT: usize = 1024;
/// Longest URL kept from a provider, in characters.
pub const MAX_URL: usize = 2048;

/// `text` without control characters, at most `max` characters long.
pub fn text(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}

fn optional(value: &Option<String>, max: usize) -> Option<String> {
    value
        .as_deref()
        .map(|v| text(v, max))
        .filter(|v| !v.is_empty())
}

/// The profile as it may be stored.
pub fn profile(p: &Profile) -> Profile {
    Profile {
        provider: p.provider.clone(),
        subject: text(&p.subject, MAX_TEXT),
        username: optional(&p.username, MAX_TEXT),
        name: optional(&p.name, MAX_TEXT),
        email: optional(&p.email, MAX_TEXT),
        email_verified: p.email_verified,
        avatar_url: optional(&p.avatar_url, MAX_URL),
        raw: json(&p.raw),
    }
}

/// A provider document with every string (keys included) cleaned like a URL.
fn json(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(text(s, MAX_URL)),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (text(k, MAX_TEXT), json(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_long_text_is_capped() {
        assert_eq!(
            text("Ada\0 \u{1b}[31mLovelace\n", MAX_TEXT),
            "Ada [31mLovelace"
        );
        assert_eq!(text(&"é".repeat(5000), MAX_TEXT).chars().count(), 1024);
        let raw = serde_json::json!({"na\u{0}me": ["a\u{0}b", 1, {"c": "\u{7}"}]});
        assert_eq!(
            json(&raw),
            serde_json::json!({"name": ["ab", 1, {"c": ""}]})
        );
    }
}
