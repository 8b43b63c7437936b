//! /auth/verify's identity headers, encoded once when a session is cached
//! (and again whenever the entry is reloaded after a change), not on every
//! request a proxy makes. The three values share one buffer: a request
//! clones them by reference count, and a lookup reads one allocation.

use std::ops::Range;

use bytes::Bytes;
use http::HeaderValue;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::store::entities::users;

/// Everything outside visible ASCII, plus `%` itself.
const HEADER_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'%');

/// The X-Auth-Request-* values of a session, percent-encoded.
#[derive(Debug, Default)]
pub struct IdentityHeaders {
    /// X-Auth-Request-User: the user's id.
    pub user: Option<HeaderValue>,
    /// X-Auth-Request-Email: only a verified email.
    pub email: Option<HeaderValue>,
    /// X-Auth-Request-Preferred-Username: the signed-in identity's username.
    pub preferred_username: Option<HeaderValue>,
}

impl IdentityHeaders {
    /// The headers of `user` signed in with an identity named `username`;
    /// an empty value is no header.
    pub fn new(user: &users::Model, username: Option<&str>) -> Self {
        let mut id = uuid::Uuid::encode_buffer();
        let values = [
            Some(&*user.id.hyphenated().encode_lower(&mut id)),
            user.email.as_deref().filter(|_| user.email_verified),
            username,
        ];
        let mut buffer = String::new();
        let spans = values.map(|value| {
            let value = value.filter(|v| !v.is_empty())?;
            let start = buffer.len();
            buffer.extend(utf8_percent_encode(value, HEADER_UNSAFE));
            Some(start..buffer.len())
        });
        let buffer = Bytes::from(buffer);
        let [user, email, preferred_username] = spans.map(|span| slice(&buffer, span));
        IdentityHeaders {
            user,
            email,
            preferred_username,
        }
    }
}

/// A header value over part of `buffer` (encoded: always valid).
fn slice(buffer: &Bytes, span: Option<Range<usize>>) -> Option<HeaderValue> {
    HeaderValue::from_maybe_shared(buffer.slice(span?)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(email: Option<&str>, verified: bool) -> users::Model {
        let now = time::OffsetDateTime::now_utc();
        users::Model {
            id: uuid::Uuid::parse_str("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").unwrap(),
            name: None,
            email: email.map(str::to_owned),
            email_verified: verified,
            avatar_url: None,
            disabled: false,
            created_at: now,
            updated_at: now,
            last_login_at: None,
        }
    }

    #[test]
    fn values_are_percent_encoded_and_empty_ones_left_out() {
        let headers = IdentityHeaders::new(&user(Some("zoë@example.com"), true), Some("a b%\n"));
        assert_eq!(
            headers.user,
            Some(HeaderValue::from_static(
                "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
            ))
        );
        assert_eq!(
            headers.email,
            Some(HeaderValue::from_static("zo%C3%AB@example.com"))
        );
        assert_eq!(
            headers.preferred_username,
            Some(HeaderValue::from_static("a%20b%25%0A"))
        );
        let headers = IdentityHeaders::new(&user(Some("x@example.com"), false), Some(""));
        assert_eq!(headers.email, None, "an unverified email is never sent");
        assert_eq!(headers.preferred_username, None);
        assert!(headers.user.is_some());
    }
}
