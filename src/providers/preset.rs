//! A preset as data: what a provider is (id, label, brand colour, icon,
//! protocol with default endpoints, scopes, API requests, named quirks and a
//! pure profile mapping). The registry turns one into a [`Protocol`] once,
//! applying the operator's endpoint overrides (see `resolve.rs`).

use serde_json::Value;

use super::{ClientAuth, Fields, Profile, ProfileError, Protocol};
use crate::config::ProviderConfig;

/// A preset's pure profile mapping.
pub type MapFn = fn(&str, &Value) -> Result<Profile, ProfileError>;

/// How a provider's profile document becomes a [`Profile`].
#[derive(Debug, Clone, Copy)]
pub enum Map {
    /// A pure function.
    Fn(MapFn),
    /// JSON pointers into the document.
    Fields(Fields),
    /// The operator's `[providers.NAME.claims]` pointers.
    Claims,
}

/// Preset-specific keys (Google's hosted_domain, Microsoft's tenant, Apple's
/// key) applied to the built protocol.
pub type Configure = fn(&ProviderConfig, &mut Protocol) -> Result<(), String>;

/// A provider declared as data.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The id used in `preset = "..."`.
    pub id: &'static str,
    /// The brand name shown on the button.
    pub label: &'static str,
    /// The brand colour (CSS hex) of the button.
    pub color: &'static str,
    /// The icon's name in [`icons`](super::icons), served at /icons/{icon}.svg.
    pub icon: &'static str,
    /// Protocol and default endpoints (URL templates, see `resolve.rs`).
    pub kind: Kind,
    /// Scopes requested unless the operator names others.
    pub scopes: &'static [&'static str],
    /// How this provider departs from the standard.
    pub quirks: Quirks,
    /// Preset-specific keys it reads (`api_version`, `tenant`, ...); any
    /// other preset-specific key in its table is refused.
    pub accepts: &'static [&'static str],
    /// Applies the preset-specific keys.
    pub configure: Option<Configure>,
    /// OAuth 2.0: the requests whose answers make up the profile document;
    /// none: one GET of `{userinfo}` whose answer is `user`.
    pub requests: &'static [Request],
    /// Where the user's groups come from when they are wanted, if not from
    /// a claim or a pointer: GitHub's /user/orgs and /user/teams requests
    /// (made by flow/). `None`: the OIDC `groups` claim, or `claims.groups`.
    pub groups: Option<fn(&ProviderConfig) -> super::GroupsSource>,
}

/// Protocol and default endpoints. URLs are templates: `{api}` is the API
/// base (`api_url`), `{version}` the API version, `{userinfo}` the profile
/// URL; an empty template must come from config.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// OpenID Connect by discovery.
    Oidc {
        /// The issuer (empty: the operator names it).
        issuer: &'static str,
        /// The shape an operator's issuer must have, e.g.
        /// `https://{host}/realms/{realm}` (Keycloak); empty: any URL.
        issuer_format: &'static str,
        /// Claims (ID token merged with userinfo) to a profile.
        map: Map,
    },
    /// OAuth 2.0 authorization code plus API requests.
    OAuth2 {
        /// Authorization endpoint.
        auth_url: &'static str,
        /// Token endpoint.
        token_url: &'static str,
        /// Default API base, the `{api}` of the templates.
        api_url: &'static str,
        /// Default profile URL, the `{userinfo}` of the templates.
        userinfo_url: &'static str,
        /// The mapping.
        map: Map,
    },
    /// OAuth 1.0a plus one signed profile request.
    OAuth1 {
        /// Temporary credentials endpoint.
        request_token_url: &'static str,
        /// Where the browser goes (authenticate or authorize).
        auth_url: &'static str,
        /// Token credentials endpoint.
        token_url: &'static str,
        /// The profile request.
        userinfo_url: &'static str,
        /// Query parameters of the profile request.
        profile_params: &'static [(&'static str, &'static str)],
        /// The mapping.
        map: Map,
    },
}

/// One API request made with the access token.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// Where its answer goes in the profile document.
    pub key: &'static str,
    /// URL template.
    pub url: &'static str,
    /// A failed optional request leaves `null`.
    pub optional: bool,
    /// POST with an empty body instead of GET (Dropbox).
    pub post: bool,
}

impl Request {
    /// A required GET.
    pub const fn get(key: &'static str, url: &'static str) -> Request {
        Request {
            key,
            url,
            optional: false,
            post: false,
        }
    }

    /// An optional GET.
    pub const fn optional(key: &'static str, url: &'static str) -> Request {
        Request {
            optional: true,
            ..Request::get(key, url)
        }
    }

    /// A required POST with an empty body.
    pub const fn post(key: &'static str, url: &'static str) -> Request {
        Request {
            post: true,
            ..Request::get(key, url)
        }
    }
}

/// A provider's documented departures from the standard, by name.
#[derive(Debug, Clone, Copy)]
pub struct Quirks {
    /// Token endpoint client authentication; `None`: OIDC follows the
    /// metadata, OAuth 2.0 uses HTTP Basic (RFC 6749's preference).
    pub client_auth: Option<ClientAuth>,
    /// Send PKCE S256 (off where the provider refuses a code_verifier).
    pub pkce: bool,
    /// OIDC: ID tokens always carry the nonce (LinkedIn's do not).
    pub nonce_required: bool,
    /// How scopes are joined (" " per RFC 6749; Facebook wants ",").
    pub scope_separator: &'static str,
    /// Extra authorization parameters (Apple's response_mode, Reddit's duration).
    pub auth_params: &'static [(&'static str, &'static str)],
    /// The client id also goes by this name in the authorization and token
    /// requests (TikTok's `client_key`).
    pub client_id_param: Option<&'static str>,
    /// A User-Agent the provider requires on every call (Reddit's
    /// descriptive one); `{client_id}` is filled in.
    pub user_agent: Option<&'static str>,
    /// API calls carry the client id in this header (Twitch's `Client-Id`).
    pub client_id_header: Option<&'static str>,
    /// Fixed headers on API calls (Notion-Version).
    pub api_headers: &'static [(&'static str, &'static str)],
    /// The Authorization scheme of API calls ("Bearer"; Yandex: "OAuth").
    pub token_scheme: &'static str,
    /// API calls carry appsecret_proof = HMAC-SHA256(secret, token) (Facebook).
    pub appsecret_proof: bool,
}

impl Quirks {
    /// A provider that follows the standards.
    pub const NONE: Quirks = Quirks {
        client_auth: None,
        pkce: true,
        nonce_required: true,
        scope_separator: " ",
        auth_params: &[],
        client_id_param: None,
        user_agent: None,
        client_id_header: None,
        api_headers: &[],
        token_scheme: "Bearer",
        appsecret_proof: false,
    };

    /// Client id and secret in the token request's body (client_secret_post).
    pub const POST: Quirks = Quirks {
        client_auth: Some(ClientAuth::RequestBody),
        ..Quirks::NONE
    };
}

impl Preset {
    /// Every field at its plain default: presets override what they declare.
    pub const DEFAULT: Preset = Preset {
        id: "",
        label: "",
        color: "#4b5563",
        icon: "key",
        kind: Kind::Oidc {
            issuer: "",
            issuer_format: "",
            map: Map::Fields(Fields::OIDC),
        },
        scopes: super::generic_oidc::DEFAULT_SCOPES,
        quirks: Quirks::NONE,
        accepts: &[],
        configure: None,
        requests: &[],
        groups: None,
    };

    /// A preset's identity: id, label, brand colour; its icon is named
    /// like its id; every other field at its default.
    pub const fn named(id: &'static str, label: &'static str, color: &'static str) -> Preset {
        Preset {
            id,
            label,
            color,
            icon: id,
            ..Preset::DEFAULT
        }
    }

    /// A standard OIDC provider at `issuer` (empty: the operator's issuer of `format`).
    pub const fn oidc(issuer: &'static str, issuer_format: &'static str) -> Kind {
        Kind::Oidc {
            issuer,
            issuer_format,
            map: Map::Fields(Fields::OIDC),
        }
    }

    /// The preset's own mapping of a profile document (fixture tests).
    pub fn profile(&self, provider: &str, doc: &Value) -> Result<Profile, ProfileError> {
        let map = match self.kind {
            Kind::Oidc { map, .. } | Kind::OAuth2 { map, .. } | Kind::OAuth1 { map, .. } => map,
        };
        match map {
            Map::Fn(f) => f(provider, doc),
            Map::Fields(fields) => fields.map(provider, doc),
            Map::Claims => Err(ProfileError::Invalid(
                "mapped by the operator's claims".into(),
            )),
        }
    }

    /// Builds the protocol from `[providers.NAME]`.
    pub fn build(&self, config: &ProviderConfig) -> Result<Protocol, String> {
        super::resolve::build(self, config)
    }
}
