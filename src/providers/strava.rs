//! Preset `strava` (OAuth 2.0): comma-separated scopes, client credentials in
//! the token request's body; GET /api/v3/athlete, whose name is `firstname`
//! and `lastname`. Strava gives no email.

use serde_json::Value;

use super::{joined, Fields, Kind, Map, Preset, Profile, ProfileError, Quirks, Request};

/// Strava.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.strava.com/oauth/authorize",
        token_url: "https://www.strava.com/oauth/token",
        api_url: "https://www.strava.com/api/v3",
        userinfo_url: "{api}/athlete",
        map: Map::Fn(map),
    },
    scopes: &["read"],
    quirks: Quirks {
        scope_separator: ",",
        auth_params: &[("approval_prompt", "auto")],
        ..Quirks::POST
    },
    requests: &[Request::get("athlete", "{userinfo}")],
    ..Preset::named("strava", "Strava", "#fc4c02")
};

/// `{"athlete": GET /athlete}` to a profile.
pub fn map(provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
    let fields = Fields {
        object: "/athlete",
        username: "/username",
        avatar_url: "/profile",
        ..Fields::NONE
    };
    let mut p = fields.map(provider, doc)?;
    p.name = joined(doc, &["/athlete/firstname", "/athlete/lastname"]);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_athlete_maps_to_a_profile() {
        // The shape of Strava's documented DetailedAthlete.
        let athlete = json!({"id": 1234567890987654321u64, "username": "marianne_t",
            "resource_state": 3, "firstname": "Marianne", "lastname": "Teutenberg",
            "city": "San Francisco", "state": "CA", "country": "US", "sex": "F", "premium": true,
            "profile_medium": "https://dgalywyr863hv.cloudfront.net/pictures/athletes/123456789/123456789/2/medium.jpg",
            "profile": "https://dgalywyr863hv.cloudfront.net/pictures/athletes/123456789/123456789/2/large.jpg"});
        let p = map("strava", &json!({"athlete": athlete})).unwrap();
        assert_eq!(p.subject, "1234567890987654321");
        assert_eq!(p.username.as_deref(), Some("marianne_t"));
        assert_eq!(p.name.as_deref(), Some("Marianne Teutenberg"));
        assert_eq!((p.email, p.email_verified), (None, false));
        assert!(p.avatar_url.unwrap().ends_with("/large.jpg"));
    }

    #[test]
    fn strava_joins_scopes_with_commas() {
        assert_eq!(PRESET.quirks.scope_separator, ",");
    }
}
