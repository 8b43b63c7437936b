//! Provider-controlled text as the CLI prints it: control characters
//! (escape sequences, newlines, NUL) are escaped, so a name cannot move the
//! cursor, recolour the terminal or forge a line of output.

/// `text` with every control character escaped (`\u{1b}`, `\n`, ...).
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// An optional value, `-` when absent.
pub fn shown_or_dash(text: Option<&str>) -> String {
    text.map_or_else(|| "-".to_owned(), shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(shown("Ada\u{1b}[2J\nÉve\0"), "Ada\\u{1b}[2J\\nÉve\\u{0}");
        assert_eq!(shown_or_dash(None), "-");
    }
}
