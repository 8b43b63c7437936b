//! The forward-auth assertion (X-Auth-Request-Jwt): an ES256 JWT, header
//! `typ` "JWT", that upstream apps verify with the JWKS. It lives at most
//! [`ASSERTION_LIFETIME`] seconds and is reused until a minute before then.

use serde::Serialize;

use super::{JwtKeys, SignError};

/// How long an assertion is valid (seconds).
pub const ASSERTION_LIFETIME: i64 = 300;
/// An assertion is not handed out in its last minute.
pub const ASSERTION_MARGIN: i64 = 60;

/// What an assertion says about the signed-in user.
#[derive(Debug, Clone, Serialize)]
pub struct AssertionClaims<'a> {
    /// public_url (with the path prefix).
    pub iss: &'a str,
    /// The audience the proxy asked for, or jwt_audience.
    pub aud: &'a str,
    /// The user id.
    pub sub: String,
    /// The verified email only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    /// Whether `email` is verified (false when there is none).
    pub email_verified: bool,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The username of the identity signed in with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<&'a str>,
    /// The user's groups.
    pub groups: &'a [String],
    /// Issued at.
    pub iat: i64,
    /// Expires at (iat + 300).
    pub exp: i64,
}

/// A signed assertion and when it expires.
#[derive(Debug, Clone)]
pub struct Assertion {
    /// The compact JWT.
    pub jwt: String,
    /// Its exp.
    pub exp: i64,
}

impl Assertion {
    /// Whether it may still be handed out at `now`.
    pub fn usable_at(&self, now: i64) -> bool {
        now < self.exp - ASSERTION_MARGIN
    }
}

impl JwtKeys {
    /// Signs an assertion.
    pub fn sign_assertion(&self, claims: &AssertionClaims<'_>) -> Result<Assertion, SignError> {
        Ok(Assertion {
            jwt: self.sign("JWT", claims)?,
            exp: claims.exp,
        })
    }
}
