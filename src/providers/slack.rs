//! Preset `slack` ("Sign in with Slack", OIDC): Slack's own claims are
//! namespaced (`https://slack.com/team_id`, `.../user_image_512`); a user id
//! is unique within its workspace, so the subject is `TEAM_ID:USER_ID`.

use serde_json::Value;

use super::{generic_oidc, Kind, Map, Preset, Profile, ProfileError};

/// Slack.
pub const PRESET: Preset = Preset {
    kind: Kind::Oidc {
        issuer: "https://slack.com",
        issuer_format: "",
        map: Map::Fn(map),
    },
    scopes: &["openid", "profile", "email"],
    ..Preset::named("slack", "Slack", "#4a154b")
};

fn slack<'a>(claims: &'a Value, name: &str) -> Option<&'a str> {
    claims
        .get(format!("https://slack.com/{name}"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Slack's ID token and userinfo claims to a profile.
pub fn map(provider: &str, claims: &Value) -> Result<Profile, ProfileError> {
    let mut profile = generic_oidc::map_claims(provider, claims)?;
    let team = slack(claims, "team_id").ok_or(ProfileError::MissingSubject)?;
    profile.subject = format!("{team}:{}", profile.subject);
    profile.username = None;
    profile.avatar_url = profile.avatar_url.or_else(|| {
        ["user_image_512", "user_image_192"]
            .iter()
            .find_map(|k| slack(claims, k).map(str::to_owned))
    });
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn userinfo() -> Value {
        // The example answer of Slack's openid.connect.userInfo reference.
        json!({
            "ok": true, "sub": "U0R7JM", "https://slack.com/user_id": "U0R7JM",
            "https://slack.com/team_id": "T0R7GR", "email": "krane@slack-corp.com",
            "email_verified": true, "date_email_verified": 1622128723, "name": "krane",
            "picture": "https://secure.gravatar.com/avatar/krane.png",
            "given_name": "Bront", "family_name": "Labradoodle", "locale": "en-US",
            "https://slack.com/team_name": "kraneflannel",
            "https://slack.com/team_domain": "kraneflannel",
            "https://slack.com/user_image_192": "https://avatars.slack-edge.com/krane_192.png",
            "https://slack.com/user_image_512": "https://avatars.slack-edge.com/krane_512.png"
        })
    }

    #[test]
    fn slack_userinfo_maps_to_a_workspace_scoped_profile() {
        let p = map("slack", &userinfo()).unwrap();
        assert_eq!(p.subject, "T0R7GR:U0R7JM");
        assert_eq!(p.name.as_deref(), Some("krane"));
        assert_eq!(p.email.as_deref(), Some("krane@slack-corp.com"));
        assert!(p.email_verified);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://secure.gravatar.com/avatar/krane.png")
        );
    }

    #[test]
    fn without_a_picture_the_slack_image_is_the_avatar() {
        let mut claims = userinfo();
        claims.as_object_mut().unwrap().remove("picture");
        let p = map("slack", &claims).unwrap();
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://avatars.slack-edge.com/krane_512.png")
        );
    }

    #[test]
    fn a_slack_profile_without_a_team_has_no_subject() {
        let claims = json!({"sub": "U0R7JM", "name": "krane"});
        assert_eq!(map("slack", &claims), Err(ProfileError::MissingSubject));
    }
}
