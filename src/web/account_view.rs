//! What the account page shows, in words: a session's browser and OS (from
//! its User-Agent, by the woothee parser), times, and events.

use serde::Serialize;
use time::OffsetDateTime;

use crate::store::entities::{events, sessions};

/// A session as the page lists it.
#[derive(Debug, Serialize)]
pub struct SessionView {
    id: String,
    browser: String,
    os: String,
    ip: Option<String>,
    created: String,
    last_seen: String,
    current: bool,
}

/// An event as the page lists it.
#[derive(Debug, Serialize)]
pub struct EventView {
    what: &'static str,
    provider: Option<String>,
    ip: Option<String>,
    when: String,
}

/// `s`, `current` when it is the session of this request.
pub fn session(s: &sessions::Model, current: bool) -> SessionView {
    let (browser, os) = browser_and_os(s.user_agent.as_deref().unwrap_or(""));
    SessionView {
        id: s.id.to_string(),
        browser,
        os,
        ip: s.ip.clone(),
        created: when(s.created_at),
        last_seen: when(s.last_seen_at),
        current,
    }
}

/// `e` in words.
pub fn event(e: &events::Model) -> EventView {
    EventView {
        what: words(&e.kind),
        provider: e.provider.clone(),
        ip: e.ip.clone(),
        when: when(e.created_at),
    }
}

/// ("Firefox", "Linux"), with "Unknown browser" / "an unknown system" when
/// the User-Agent does not say.
pub fn browser_and_os(user_agent: &str) -> (String, String) {
    let parsed = woothee::parser::Parser::new().parse(user_agent);
    let known = |s: &str| !s.is_empty() && s != woothee::woothee::VALUE_UNKNOWN;
    let browser = parsed
        .as_ref()
        .map(|r| r.name)
        .filter(|n| known(n))
        .map_or("Unknown browser".to_owned(), str::to_owned);
    let os = parsed
        .as_ref()
        .map(|r| r.os)
        .filter(|n| known(n))
        .map_or("an unknown system".to_owned(), str::to_owned);
    (browser, os)
}

/// "2026-12-01 15:04 UTC"
fn when(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn words(kind: &str) -> &'static str {
    match kind {
        "sign_in" => "Signed in",
        "sign_in_refused" => "Sign-in refused",
        "sign_out" => "Signed out",
        "link" => "Linked an account",
        "unlink" => "Unlinked an account",
        "session_revoked" => "Ended a session",
        "user_disabled" => "Account disabled",
        "user_enabled" => "Account enabled",
        "role_granted" => "Role granted",
        "role_revoked" => "Role removed",
        "refresh_token_reuse" => "A used token came back; its session was ended",
        _ => "Other activity",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_become_browser_and_os() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(browser_and_os(firefox), ("Firefox".into(), "Linux".into()));
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                      (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        let (browser, os) = browser_and_os(chrome);
        assert_eq!(browser, "Chrome");
        assert!(os.starts_with("Windows"), "{os}");
        assert_eq!(
            browser_and_os("curl-ish nonsense"),
            ("Unknown browser".into(), "an unknown system".into())
        );
    }
}
