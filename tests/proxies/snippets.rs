//! The snippets as documented: the fenced block after a
//! `<!-- tested: NAME -->` line, with its addresses rewritten to the test's.

/// The block marked `<!-- tested: {name} -->` in `file` (from the crate root).
pub fn read(file: &str, name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let marker = format!("<!-- tested: {name} -->");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{file} has no {marker}"));
    let after = &text[start + marker.len()..];
    let fence = after.find("```").expect("a fenced block after the marker");
    let body = &after[fence..];
    let body = &body[body.find('\n').expect("a fence line") + 1..];
    let end = body.find("\n```").expect("the block's closing fence");
    body[..=end].to_owned()
}

/// The ports the snippets are written with, and the test's.
pub struct Ports {
    /// The proxy's port (the snippets: 80, or the site address).
    pub proxy: u16,
    /// doorman (the snippets: 8080).
    pub doorman: u16,
    /// The protected app (the snippets: 3000).
    pub app: u16,
}

/// The snippet with the test's ports: nginx's `listen 80;`, Caddy's site
/// address, 127.0.0.1:8080 (doorman) and 127.0.0.1:3000 (the app).
pub fn rewrite(snippet: &str, ports: &Ports) -> String {
    let rewritten = snippet
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{}", ports.doorman))
        .replace("127.0.0.1:3000", &format!("127.0.0.1:{}", ports.app))
        .replace("listen 80;", &format!("listen 127.0.0.1:{};", ports.proxy))
        .replace(
            "app.example.com {",
            &format!("http://127.0.0.1:{} {{", ports.proxy),
        );
    assert_ne!(rewritten, snippet, "the snippet names no known address");
    rewritten
}
