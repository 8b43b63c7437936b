//! Preset `notion` (OAuth 2.0, public integrations): the token belongs to a
//! bot; GET /v1/users/me (with the required Notion-Version header) names the
//! person who installed it at `bot.owner.user`, whose id is the subject.

use super::{Fields, Kind, Map, Preset, Quirks, Request};

/// Notion.
pub const PRESET: Preset = Preset {
    kind: Kind::OAuth2 {
        auth_url: "{api}/v1/oauth/authorize",
        token_url: "{api}/v1/oauth/token",
        api_url: "https://api.notion.com",
        userinfo_url: "{api}/v1/users/me",
        map: Map::Fields(Fields {
            object: "/me/bot/owner/user",
            name: "/name",
            email: "/person/email",
            avatar_url: "/avatar_url",
            ..Fields::NONE
        }),
    },
    scopes: &[],
    quirks: Quirks {
        auth_params: &[("owner", "user")],
        api_headers: &[("notion-version", "2022-06-28")],
        ..Quirks::NONE
    },
    requests: &[Request::get("me", "{userinfo}")],
    ..Preset::named("notion", "Notion", "#000000")
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_bots_owner_is_the_profile() {
        // The shape of Notion's documented "Retrieve your token's bot user" answer.
        let me = json!({"object": "user", "id": "16d84278-ab0e-484c-9bdd-b35da3bd8905",
            "name": "pied piper", "avatar_url": null, "type": "bot",
            "bot": {"owner": {"type": "user", "user": {"object": "user",
                "id": "6794760a-1f15-45cd-9c65-0dfe42f5135a", "name": "Aman Gupta",
                "avatar_url": null, "type": "person", "person": {"email": "aman@example.com"}}},
                "workspace_name": "test-workspace"}});
        let p = PRESET.profile("notion", &json!({"me": me})).unwrap();
        assert_eq!(p.subject, "6794760a-1f15-45cd-9c65-0dfe42f5135a");
        assert_eq!(p.name.as_deref(), Some("Aman Gupta"));
        assert_eq!(p.email.as_deref(), Some("aman@example.com"));
        assert!(!p.email_verified);
    }

    #[test]
    fn a_workspace_owned_bot_has_no_person_to_sign_in() {
        let me = json!({"object": "user", "id": "b1", "type": "bot",
                        "bot": {"owner": {"type": "workspace", "workspace": true}}});
        assert!(PRESET.profile("notion", &json!({"me": me})).is_err());
    }
}
