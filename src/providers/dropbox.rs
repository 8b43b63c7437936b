//! Preset `dropbox`. Dropbox (OAuth 2.0): the profile is a POST with no body to
//! /2/users/get_current_account; `email_verified` is Dropbox's own flag.

use super::{Fields, Kind, Map, Preset, Request, Verified};

/// Dropbox.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "https://www.dropbox.com/oauth2/authorize",
        token_url: "{api}/oauth2/token",
        api_url: "https://api.dropboxapi.com",
        userinfo_url: "{api}/2/users/get_current_account",
        map: Map::Fields(Fields {
            subject: "/account_id",
            name: "/name/display_name",
            email: "/email",
            email_verified: Verified::At("/email_verified"),
            avatar_url: "/profile_photo_url",
            ..Fields::NONE
        }),
    },
    scopes: &["account_info.read"],
    requests: &[Request::post("user", "{userinfo}")],
    ..Preset::named("dropbox", "Dropbox", "#0061fe")
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_answer_maps_to_a_profile() {
        // The shape of Dropbox's documented answer.
        let doc = serde_json::json!({"user": {"account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", "name": {"given_name": "Franz", "surname": "Ferdinand", "familiar_name": "Franz", "display_name": "Franz Ferdinand (Personal)", "abbreviated_name": "FF"}, "email": "franz@dropbox.com", "email_verified": true, "disabled": false, "locale": "en", "referral_link": "https://db.tt/ZITNuhtI", "is_paired": true, "account_type": {".tag": "business"}, "profile_photo_url": "https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAHWGmIXV3sUuOmBfTz0wPsiqHUpBWvv3ZA?vers=1556069330102&size=128x128", "country": "US"}});
        let p = PRESET.profile("dropbox", &doc).unwrap();
        assert_eq!(p.subject, "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc");
        assert_eq!(p.name.as_deref(), Some("Franz Ferdinand (Personal)"));
        assert_eq!(p.email.as_deref(), Some("franz@dropbox.com"));
        assert!(p.email_verified);
        assert!(p.avatar_url.is_some());
    }

    #[test]
    fn an_answer_without_an_id_has_no_subject() {
        let doc = serde_json::json!({"user": {"name": "x"}});
        assert!(PRESET.profile("dropbox", &doc).is_err());
    }
}
