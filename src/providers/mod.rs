//! WHAT each provider is: presets as data plus pure profile mappings, and the
//! registry of configured providers. No I/O here.

pub mod dev;
pub mod generic_oidc;
mod registry;

use secrecy::SecretString;
use serde_json::Value;

pub use registry::{Registry, PRESETS};

/// The social identity a sign-in produced, whatever the protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The configured provider's name.
    pub provider: String,
    /// The provider's stable user id (never a login name or an email).
    pub subject: String,
    /// Login name at the provider.
    pub username: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Whether the provider says it verified the email.
    pub email_verified: bool,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// The provider's document the profile was read from.
    pub raw: Value,
}

/// A provider document that cannot become a [`Profile`].
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProfileError {
    /// No usable subject (user id).
    #[error("the profile has no subject")]
    MissingSubject,
    /// The document is not what the provider documents.
    #[error("unexpected profile document: {0}")]
    Invalid(String),
}

/// Maps a provider document (claims, API answers) to a profile.
pub type ProfileMapper = fn(provider: &str, doc: &Value) -> Result<Profile, ProfileError>;

/// How a provider is spoken to.
#[derive(Debug, Clone)]
pub enum Protocol {
    /// OpenID Connect by discovery.
    Oidc(OidcSpec),
}

/// An OpenID Connect provider.
#[derive(Debug, Clone)]
pub struct OidcSpec {
    /// The issuer, exactly as the provider spells it; metadata is discovered from it.
    pub issuer: String,
    /// Scopes requested (openid is always sent).
    pub scopes: Vec<String>,
    /// Maps the merged ID token and userinfo claims to a profile.
    pub map_profile: ProfileMapper,
}

/// A configured provider: a preset plus the operator's keys.
#[derive(Debug)]
pub struct Provider {
    /// The name in URLs and tables.
    pub name: String,
    /// The button's brand name.
    pub label: String,
    /// The button's icon URL, if any.
    pub icon: Option<String>,
    /// The preset it was built from.
    pub preset: &'static str,
    /// Client id.
    pub client_id: String,
    /// Client secret (none for public clients).
    pub client_secret: Option<SecretString>,
    /// `{public_url}/auth/{name}/callback`.
    pub redirect_uri: String,
    /// Protocol and endpoints.
    pub protocol: Protocol,
}

/// Reads a string at a JSON pointer; numbers become their decimal text.
pub fn string_at(doc: &Value, pointer: &str) -> Option<String> {
    match doc.pointer(pointer)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a boolean at a JSON pointer; the string "true" counts (Apple).
pub fn bool_at(doc: &Value, pointer: &str) -> bool {
    match doc.pointer(pointer) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}
