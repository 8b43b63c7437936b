//! Reading what the browser and the app receive: Location, the echoed
//! headers, attributes and hidden fields of doorman's pages.

use reqwest::header::LOCATION;
use reqwest::Response;
use serde_json::Value;

pub fn location(response: &Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// The echoed header `name`'s values, joined.
pub fn header(seen: &Value, name: &str) -> Option<String> {
    let values = seen["headers"][name].as_array()?;
    Some(
        values
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
    )
    .filter(|v| !v.is_empty())
}

/// The attribute value that starts right after `start` (which includes the
/// opening quote and any fixed beginning of the value).
pub fn attribute(html: &str, start: &str) -> Option<String> {
    let at = html.find(start)?;
    let quote = html[..at + start.len()].rfind('"')?;
    let end = at + start.len() + html[at + start.len()..].find('"')?;
    Some(html[quote + 1..end].to_owned())
}

pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let re =
        regex_lite::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)">"#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
