//! Profile mappings declared as JSON pointers: most OAuth 2.0 presets name
//! where the user object is and where each field sits in it; the oauth2 and
//! oauth1 presets take the operator's pointers from `[providers.NAME.claims]`.

use serde_json::Value;

use super::{bool_at, string_at, Profile, ProfileError};
use crate::config::ClaimsConfig;

/// Whether the provider vouches for the email it returns.
#[derive(Debug, Clone, Copy)]
pub enum Verified {
    /// It does not say: never verified.
    Never,
    /// It returns only confirmed addresses: verified when present.
    Always,
    /// A boolean (or "true", or 1) at this pointer in the user object.
    At(&'static str),
}

/// Where a provider's profile fields are; empty pointers are absent fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The user object in the profile document (e.g. "/user").
    pub object: &'static str,
    /// The stable user id.
    pub subject: &'static str,
    /// Login name.
    pub username: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Email address.
    pub email: &'static str,
    /// Whether the email is verified.
    pub email_verified: Verified,
    /// Avatar URL.
    pub avatar_url: &'static str,
}

impl Fields {
    /// No field but the subject `/id` of the object at `/user`.
    pub const NONE: Fields = Fields {
        object: "/user",
        subject: "/id",
        username: "",
        name: "",
        email: "",
        email_verified: Verified::Never,
        avatar_url: "",
    };

    /// Standard OIDC claims (ID token merged with userinfo).
    pub const OIDC: Fields = Fields {
        object: "",
        subject: "/sub",
        username: "/preferred_username",
        name: "/name",
        email: "/email",
        email_verified: Verified::At("/email_verified"),
        avatar_url: "/picture",
    };

    /// Maps the profile document `doc` to a profile.
    pub fn map(&self, provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
        let user = doc
            .pointer(self.object)
            .filter(|u| u.is_object())
            .ok_or_else(|| ProfileError::Invalid(format!("{} is not an object", self.object)))?;
        let at = |p: &str| {
            Some(p)
                .filter(|p| !p.is_empty())
                .and_then(|p| string_at(user, p))
        };
        let subject = at(self.subject).ok_or(ProfileError::MissingSubject)?;
        let email = at(self.email);
        let verified = match self.email_verified {
            Verified::Never => false,
            Verified::Always => true,
            Verified::At(p) => bool_at(user, p) || user.pointer(p) == Some(&Value::from(1)),
        };
        Ok(Profile {
            provider: provider.to_owned(),
            subject,
            username: at(self.username),
            name: at(self.name),
            email_verified: verified && email.is_some(),
            email,
            avatar_url: at(self.avatar_url),
            raw: doc.clone(),
        })
    }
}

/// The first entry of the array at `list` that `pick` accepts, read at
/// `field` (GitHub's and Bitbucket's email lists).
pub fn listed(doc: &Value, list: &str, pick: fn(&Value) -> bool, field: &str) -> Option<String> {
    let entries = doc.pointer(list).and_then(Value::as_array);
    entries
        .into_iter()
        .flatten()
        .find(|e| pick(e))
        .and_then(|e| string_at(e, field))
}

/// The non-empty strings at `pointers` joined with spaces (first and last names).
pub fn joined(doc: &Value, pointers: &[&str]) -> Option<String> {
    let parts: Vec<String> = pointers.iter().filter_map(|p| string_at(doc, p)).collect();
    Some(parts.join(" ")).filter(|n| !n.trim().is_empty())
}

/// Standard OIDC claims (ID token merged with userinfo) to a profile.
pub fn map_claims(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    Fields::OIDC.map(provider, claims)
}

/// Refuses operator claim mappings that are not JSON pointers (oauth2, oauth1).
pub fn check_pointers(claims: &ClaimsConfig) -> Result<(), String> {
    let all = [
        Some(&claims.subject),
        claims.username.as_ref(),
        claims.name.as_ref(),
        claims.email.as_ref(),
        claims.email_verified.as_ref(),
        claims.avatar_url.as_ref(),
    ];
    match all
        .into_iter()
        .flatten()
        .find(|p| !p.is_empty() && !p.starts_with('/'))
    {
        Some(bad) => Err(format!(
            "claims: `{bad}` is not a JSON pointer (it starts with /)"
        )),
        None => Ok(()),
    }
}

/// The document `{"profile": answer}` to a profile through the operator's pointers.
pub fn map(claims: &ClaimsConfig, provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let profile = doc.get("profile").unwrap_or(&Value::Null);
    if !profile.is_object() {
        return Err(ProfileError::Invalid(
            "the profile is not a JSON object".into(),
        ));
    }
    let at = |p: &Option<String>| p.as_deref().and_then(|p| string_at(profile, p));
    let subject = string_at(profile, &claims.subject).ok_or(ProfileError::MissingSubject)?;
    let email = at(&claims.email);
    let verified = claims
        .email_verified
        .as_deref()
        .is_some_and(|p| bool_at(profile, p));
    Ok(Profile {
        provider: provider.to_owned(),
        subject,
        username: at(&claims.username),
        name: at(&claims.name),
        email_verified: email.is_some() && verified,
        email,
        avatar_url: at(&claims.avatar_url),
        raw: profile.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const F: Fields = Fields {
        email: "/mail",
        email_verified: Verified::At("/ok"),
        ..Fields::NONE
    };

    #[test]
    fn a_verified_flag_needs_an_email_and_1_counts_as_true() {
        let p = F.map(
            "p",
            &json!({"user": {"id": 7, "mail": "a@b.example", "ok": 1}}),
        );
        assert!(p.unwrap().email_verified);
        let p = F.map("p", &json!({"user": {"id": 7, "ok": true}})).unwrap();
        assert!(!p.email_verified);
        assert_eq!(
            F.map("p", &json!({"user": {"mail": "x"}})),
            Err(ProfileError::MissingSubject)
        );
        assert!(F.map("p", &json!({"user": "<html>"})).is_err());
    }
}
