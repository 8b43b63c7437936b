//! /auth/verify's identity headers, encoded once when a session is cached
//! (and again whenever the entry is reloaded after a change), not on every
//! request a proxy makes.

use std::borrow::Cow;

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
    /// The headers of `user` signed in with an identity named `username`.
    pub fn new(user: &users::Model, username: Option<&str>) -> Self {
        let mut id = uuid::Uuid::encode_buffer();
        IdentityHeaders {
            user: encode(user.id.hyphenated().encode_lower(&mut id)),
            email: user
                .email
                .as_deref()
                .filter(|_| user.email_verified)
                .and_then(encode),
            preferred_username: username.and_then(encode),
        }
    }
}

/// A header value: empty text is no header.
fn encode(value: &str) -> Option<HeaderValue> {
    if value.is_empty() {
        return None;
    }
    let encoded: Cow<'_, str> = utf8_percent_encode(value, HEADER_UNSAFE).into();
    HeaderValue::from_str(&encoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded_and_empty_ones_left_out() {
        assert_eq!(encode("ada"), Some(HeaderValue::from_static("ada")));
        assert_eq!(
            encode("Zoë 100%"),
            Some(HeaderValue::from_static("Zo%C3%AB%20100%25"))
        );
        assert_eq!(encode(""), None);
        assert_eq!(encode("a\nb"), Some(HeaderValue::from_static("a%0Ab")));
    }
}
