//! The OAuth 1.0a core (RFC 5849): temporary credentials requested with
//! oauth_callback, the redirect to the provider with the temporary
//! oauth_token, token credentials requested with oauth_verifier, then the
//! signed profile request. Signatures come from `oauth1_sign`.

use std::collections::HashMap;

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use super::oauth1_sign::Signer;
use super::{CallbackParams, FlowError, HttpError, LoginState, ProviderHttp};
use crate::providers::{OAuth1Spec, Provider};

/// Where an OAuth 1.0a sign-in sends the browser, and the temporary
/// credentials the callback needs.
pub struct Begun {
    /// The authenticate URL with `oauth_token`.
    pub url: url::Url,
    /// The temporary `oauth_token` (the login state's `state`).
    pub token: String,
    /// The temporary credentials' secret (kept in the login state).
    pub token_secret: String,
}

/// Requests temporary credentials and builds the authenticate URL.
pub async fn begin(
    http: &ProviderHttp,
    provider: &Provider,
    spec: &OAuth1Spec,
) -> Result<Begun, FlowError> {
    let secret = consumer_secret(provider);
    let signer = Signer::new(&provider.client_id, &secret).callback(&provider.redirect_uri);
    let response = send(http, "POST", &spec.request_token_url, &signer).await?;
    let status = response.status();
    if !status.is_success() {
        return Err(FlowError::RequestToken(format!(
            "the request-token endpoint answered {status}"
        )));
    }
    let mut fields = form_fields(response.body());
    if fields.get("oauth_callback_confirmed").map(String::as_str) != Some("true") {
        return Err(FlowError::RequestToken(
            "the provider did not confirm oauth_callback".into(),
        ));
    }
    let (token, token_secret) = credentials(&mut fields)
        .ok_or_else(|| FlowError::RequestToken("no temporary credentials in the answer".into()))?;
    let mut url = spec.authenticate_url.clone();
    url.query_pairs_mut().append_pair("oauth_token", &token);
    Ok(Begun {
        url,
        token,
        token_secret,
    })
}

/// The callback's side: the temporary credentials (already checked against
/// the callback's oauth_token) and the verifier.
pub struct Callback<'a> {
    /// The temporary `oauth_token`.
    pub token: &'a str,
    /// Its secret, from the login state.
    pub token_secret: &'a str,
    /// `oauth_verifier`.
    pub verifier: &'a str,
}

impl<'a> Callback<'a> {
    /// Reads the callback's verifier and the login state's temporary credentials.
    pub fn new(login: &'a LoginState, params: &'a CallbackParams) -> Result<Self, FlowError> {
        Ok(Callback {
            token: &login.state,
            token_secret: login
                .oauth1_token_secret
                .as_deref()
                .ok_or(FlowError::MissingLoginState)?,
            verifier: params
                .oauth_verifier
                .as_deref()
                .ok_or(FlowError::MissingParameter("oauth_verifier"))?,
        })
    }
}

/// Exchanges the verifier for token credentials and fetches the profile;
/// returns the profile document `{"profile": answer}`.
pub async fn complete(
    http: &ProviderHttp,
    provider: &Provider,
    spec: &OAuth1Spec,
    callback: Callback<'_>,
) -> Result<Value, FlowError> {
    let secret = consumer_secret(provider);
    let client = Signer::new(&provider.client_id, &secret);
    let signer = client
        .token(callback.token, callback.token_secret)
        .verifier(callback.verifier);
    let response = send(http, "POST", &spec.access_token_url, &signer).await?;
    let status = response.status();
    // The consumer key and secret were accepted moments ago for the request
    // token, so a 400/401 here refuses what the browser brought: the verifier.
    if status == http::StatusCode::BAD_REQUEST || status == http::StatusCode::UNAUTHORIZED {
        return Err(FlowError::CodeRejected);
    }
    if !status.is_success() {
        return Err(FlowError::TokenExchange(format!(
            "the access-token endpoint answered {status}"
        )));
    }
    let (token, token_secret) = credentials(&mut form_fields(response.body()))
        .ok_or_else(|| FlowError::TokenExchange("unreadable token response".into()))?;
    let profile = profile(http, spec, &client.token(&token, &token_secret)).await?;
    Ok(json!({ "profile": profile }))
}

/// GET the profile URL (plus the preset's parameters), signed with the token credentials.
async fn profile(
    http: &ProviderHttp,
    spec: &OAuth1Spec,
    signer: &Signer<'_>,
) -> Result<Value, FlowError> {
    let mut url = spec.profile_url.clone();
    if !spec.profile_params.is_empty() {
        url.query_pairs_mut().extend_pairs(&spec.profile_params);
    }
    let response = send(http, "GET", &url, signer).await?;
    if !response.status().is_success() {
        return Err(FlowError::Profile(format!(
            "{} answered {}",
            url.path(),
            response.status()
        )));
    }
    serde_json::from_slice(response.body())
        .map_err(|_| FlowError::Profile(format!("{} did not answer JSON", url.path())))
}

/// Sends a signed request with an empty body.
async fn send(
    http: &ProviderHttp,
    method: &str,
    url: &url::Url,
    signer: &Signer<'_>,
) -> Result<http::Response<Vec<u8>>, FlowError> {
    let authorization = signer.authorization(method, url, &[]);
    let request = http::Request::builder()
        .method(method)
        .uri(url.as_str())
        .header(http::header::AUTHORIZATION, authorization)
        .header(http::header::ACCEPT, "application/json, */*;q=0.5")
        .body(Vec::new())
        .map_err(|e| HttpError::Request(e.to_string()))?;
    Ok(http.execute(request).await?)
}

fn consumer_secret(provider: &Provider) -> String {
    provider
        .client_secret
        .as_ref()
        .map(|s| s.expose_secret().to_owned())
        .unwrap_or_default()
}

/// A form-encoded answer (RFC 5849 2.1, 2.3) as a map.
fn form_fields(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// `oauth_token` and `oauth_token_secret`, both non-empty.
fn credentials(fields: &mut HashMap<String, String>) -> Option<(String, String)> {
    let token = fields.remove("oauth_token").filter(|t| !t.is_empty())?;
    let secret = fields.remove("oauth_token_secret")?;
    Some((token, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_credentials_are_read_from_a_form_answer() {
        let mut fields = form_fields(
            b"oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
        );
        assert_eq!(fields["oauth_callback_confirmed"], "true");
        assert_eq!(
            credentials(&mut fields),
            Some(("hh5s93j4hdidpola".into(), "hdhd0244k9j7ao03".into()))
        );
    }

    #[test]
    fn nonsense_has_no_credentials() {
        assert_eq!(credentials(&mut form_fields(b"<html>")), None);
        assert_eq!(
            credentials(&mut form_fields(b"oauth_token=&oauth_token_secret=x")),
            None
        );
        assert_eq!(credentials(&mut form_fields(b"oauth_token=x")), None);
    }
}
