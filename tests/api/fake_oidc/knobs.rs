//! The fake OP's knobs: each makes one step misbehave on purpose, or
//! reads what the provider saw. All are cleared by `reset()`.

use std::time::Duration;

use super::{FakeOidc, Key, Knobs};

impl FakeOidc {
    fn knob(&self, f: impl FnOnce(&mut Knobs)) {
        f(&mut self.inner.lock().knobs);
    }

    /// Advertises `authorization_response_iss_parameter_supported` and adds `iss` to redirects.
    pub fn advertise_iss_parameter(&self, on: bool) {
        self.knob(|k| k.advertise_iss = on);
    }

    /// Makes /authorize redirect with `error=access_denied` instead of a code.
    pub fn deny(&self) {
        self.knob(|k| k.deny = true);
    }

    /// Makes /token answer `status` with `{"error":"server_error"}`.
    pub fn fail_token(&self, status: u16) {
        self.knob(|k| k.fail_token = Some(status));
    }

    /// Makes /token sleep this long before answering.
    pub fn token_delay(&self, delay: Duration) {
        self.knob(|k| k.token_delay = Some(delay));
    }

    /// Makes /token answer 200 with this raw body as `application/json`.
    pub fn token_body(&self, body: impl Into<String>) {
        let body = body.into();
        self.knob(|k| k.token_body = Some(body));
    }

    /// Signs ID tokens with a key that is not in /jwks but carries the published kid.
    pub fn wrong_signature(&self) {
        self.knob(|k| k.wrong_signature = true);
    }

    /// Issues unsigned ID tokens (`alg: none`, empty signature).
    pub fn alg_none(&self) {
        self.knob(|k| k.alg_none = true);
    }

    /// Sets `iss` to `https://evil.example` in ID tokens.
    pub fn wrong_iss(&self) {
        self.knob(|k| k.wrong_iss = true);
    }

    /// Sets `aud` to `someone-else` in ID tokens.
    pub fn wrong_aud(&self) {
        self.knob(|k| k.wrong_aud = true);
    }

    /// Issues ID tokens that expired ten minutes ago (`iat` twenty minutes ago).
    pub fn expired(&self) {
        self.knob(|k| k.expired = true);
    }

    /// Puts a nonce other than the one sent to /authorize in ID tokens.
    pub fn wrong_nonce(&self) {
        self.knob(|k| k.wrong_nonce = true);
    }

    /// Omits the `nonce` claim from ID tokens.
    pub fn no_nonce(&self) {
        self.knob(|k| k.no_nonce = true);
    }

    /// Issues ID tokens with `iat` an hour ahead (`exp` two hours ahead).
    pub fn iat_in_future(&self) {
        self.knob(|k| k.iat_in_future = true);
    }

    /// Sets `aud` to `[CLIENT_ID, "other"]` with no `azp` (unless `azp()` is also set).
    pub fn extra_aud_without_azp(&self) {
        self.knob(|k| k.extra_aud_without_azp = true);
    }

    /// Adds an `azp` claim with this value to ID tokens.
    pub fn azp(&self, azp: impl Into<String>) {
        let azp = azp.into();
        self.knob(|k| k.azp = Some(azp));
    }

    /// Omits `kid` from the ID token header.
    pub fn no_kid(&self) {
        self.knob(|k| k.no_kid = true);
    }

    /// Makes /userinfo answer this `sub` instead of the user's.
    pub fn userinfo_sub(&self, sub: impl Into<String>) {
        let sub = sub.into();
        self.knob(|k| k.userinfo_sub = Some(sub));
    }

    /// Makes /userinfo (after a valid token) answer `status` with `{"error":"server_error"}`.
    pub fn userinfo_status(&self, status: u16) {
        self.knob(|k| k.userinfo_status = Some(status));
    }

    /// Makes /userinfo answer a signed JWT (`application/jwt`) with iss and aud added.
    pub fn userinfo_signed(&self) {
        self.knob(|k| k.userinfo_signed = true);
    }

    /// Makes /userinfo answer 302 to /userinfo-moved, which answers normally.
    pub fn userinfo_redirect(&self) {
        self.knob(|k| k.userinfo_redirect = true);
    }

    /// Leaves `sid` out of ID tokens.
    pub fn no_sid(&self) {
        self.knob(|k| k.no_sid = true);
    }

    /// The `sid` of every sign-in so far, oldest first.
    pub fn sids(&self) -> Vec<String> {
        self.inner.lock().sids.clone()
    }

    /// Every ID token issued so far, oldest first.
    pub fn id_tokens(&self) -> Vec<String> {
        self.inner.lock().id_tokens.clone()
    }

    /// Every access token issued so far.
    pub fn access_tokens(&self) -> Vec<String> {
        self.inner.lock().access_tokens.keys().cloned().collect()
    }

    /// Publishes a second, unrelated key in /jwks beside the signing key.
    pub fn extra_jwks_key(&self) {
        let jwk = Key::generate().jwk();
        self.knob(|k| k.extra_jwks_key = Some(jwk));
    }

    /// Makes /userinfo (after a valid token) answer 200 with this raw body and content type.
    pub fn userinfo_body(&self, body: impl Into<String>, content_type: &str) {
        let raw = (body.into(), content_type.to_owned());
        self.knob(|k| k.userinfo_body = Some(raw));
    }
}
