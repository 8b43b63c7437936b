//! Logout at the fake OP: its end_session_endpoint (RP-Initiated Logout,
//! the queries it received are kept) and logout tokens for back-channel
//! logout, signed with the OP's current key, with a knob per way of being
//! wrong (any claim changed or removed, `alg: none`, a key not in /jwks).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Map, Value};

use super::{now, random_token, FakeOidc, Key, Op};

/// The event every logout token carries.
pub const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signing {
    Current,
    AlgNone,
    ForeignKey,
}

/// A logout token to mint: valid by default (iss, aud, iat now, exp in two
/// minutes, a fresh jti, the event), with knobs that break it.
#[derive(Clone, Debug)]
pub struct LogoutToken {
    claims: Map<String, Value>,
    signing: Signing,
}

impl LogoutToken {
    fn new(name: &str, value: &str) -> LogoutToken {
        let mut claims = Map::new();
        claims.insert(name.into(), json!(value));
        claims.insert("iat".into(), json!(now()));
        claims.insert("exp".into(), json!(now() + 120));
        claims.insert("jti".into(), json!(random_token()));
        claims.insert("events".into(), json!({ EVENT: {} }));
        LogoutToken {
            claims,
            signing: Signing::Current,
        }
    }

    /// A token naming the user `sub`.
    pub fn for_sub(sub: &str) -> LogoutToken {
        LogoutToken::new("sub", sub)
    }

    /// A token naming the session `sid`.
    pub fn for_sid(sid: &str) -> LogoutToken {
        LogoutToken::new("sid", sid)
    }

    /// Sets (or replaces) a claim.
    pub fn with(mut self, name: &str, value: Value) -> LogoutToken {
        self.claims.insert(name.into(), value);
        self
    }

    /// Removes a claim.
    pub fn without(mut self, name: &str) -> LogoutToken {
        self.claims.remove(name);
        self
    }

    /// Unsigned: `alg: none` and an empty signature.
    pub fn alg_none(mut self) -> LogoutToken {
        self.signing = Signing::AlgNone;
        self
    }

    /// Signed by a key that is not in /jwks, under the published kid.
    pub fn foreign_key(mut self) -> LogoutToken {
        self.signing = Signing::ForeignKey;
        self
    }

    /// Its jti.
    pub fn jti(&self) -> String {
        self.claims["jti"].as_str().unwrap_or_default().to_owned()
    }
}

impl FakeOidc {
    /// Mints `token` as this OP would send it (iss and aud added unless set).
    pub fn logout_token(&self, token: &LogoutToken) -> String {
        let st = self.inner.lock();
        let mut claims = token.claims.clone();
        claims
            .entry("iss")
            .or_insert_with(|| json!(self.inner.issuer));
        claims
            .entry("aud")
            .or_insert_with(|| json!(FakeOidc::CLIENT_ID));
        let claims = Value::Object(claims);
        if token.signing == Signing::AlgNone {
            let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
            let header = json!({"alg": "none", "typ": "logout+jwt"});
            return format!("{}.{}.", part(header), part(claims));
        }
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(st.key.kid.clone());
        header.typ = Some("logout+jwt".into());
        let der = match token.signing {
            Signing::ForeignKey => Key::generate().der,
            _ => st.key.der.clone(),
        };
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&der)).expect("sign")
    }

    /// The queries /end-session received, oldest first.
    pub fn end_session_queries(&self) -> Vec<HashMap<String, String>> {
        self.inner.lock().end_session_queries.clone()
    }
}

/// GET /end-session: records the query and says goodbye.
pub(super) async fn end_session(
    State(op): Op,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    op.lock().end_session_queries.push(query);
    Html("<p>You are signed out.</p>").into_response()
}
