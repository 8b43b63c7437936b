//! The `next` parameter: honoured only as a path on this site.

/// `next` when it is a local path, else `/`. A local path starts with one
/// `/` (not `//`) and holds no `\`, control or whitespace character anywhere.
pub fn sanitize_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2048
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::sanitize_next;

    #[test]
    fn local_paths_are_kept() {
        for next in ["/", "/dashboard", "/a/b?c=d&e=%2F#frag", "/x//y"] {
            assert_eq!(sanitize_next(Some(next)), next);
        }
    }

    #[test]
    fn anything_else_falls_back_to_root() {
        for next in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            " /x",
            "/a b",
            "evil.example",
            "",
            "javascript:alert(1)",
            "/\u{2028}x",
        ] {
            assert_eq!(sanitize_next(Some(next)), "/", "{next:?} was kept");
        }
        assert_eq!(sanitize_next(None), "/");
    }
}
