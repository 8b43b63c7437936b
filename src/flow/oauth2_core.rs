//! The OAuth 2.0 core on the oauth2 crate: authorization code with state and
//! PKCE S256, the token exchange (JSON or form-encoded answers, errors sent
//! with HTTP 200 as GitHub does), then the preset's API requests.

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, TokenUrl,
};
use secrecy::ExposeSecret;
use serde_json::{Map, Value};

use super::provider_tokens::ProviderTokens;
use super::{api, FlowError, HttpError, ProviderHttp};
use crate::providers::{ClientAuth, OAuth2Spec, Provider};

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Where an OAuth 2.0 sign-in sends the browser, and what the callback checks.
pub struct Begun {
    /// The authorization URL.
    pub url: url::Url,
    /// `state`.
    pub state: String,
    /// PKCE verifier, when the preset sends PKCE.
    pub pkce_verifier: Option<String>,
}

/// Builds the authorization URL.
pub fn begin(provider: &Provider, spec: &OAuth2Spec) -> Result<Begun, FlowError> {
    let client = client(provider, spec)?;
    let mut request = client.authorize_url(CsrfToken::new_random);
    if spec.scope_separator == " " {
        request = request.add_scopes(spec.scopes.iter().cloned().map(Scope::new));
    } else if !spec.scopes.is_empty() {
        request = request.add_extra_param("scope", spec.scopes.join(spec.scope_separator));
    }
    for (name, value) in &spec.auth_params {
        request = request.add_extra_param(name.clone(), value.clone());
    }
    if let Some(name) = spec.quirks.client_id_param {
        request = request.add_extra_param(name, provider.client_id.clone());
    }
    let mut verifier = None;
    if spec.pkce {
        let (challenge, v) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        verifier = Some(v.secret().clone());
    }
    let (url, state) = request.url();
    Ok(Begun {
        url,
        state: state.secret().clone(),
        pkce_verifier: verifier,
    })
}

/// Exchanges the code and runs the preset's API requests; returns the
/// profile document `{key: answer, ...}` and the tokens granted.
pub async fn complete(
    http: &ProviderHttp,
    provider: &Provider,
    spec: &OAuth2Spec,
    code: &str,
    pkce_verifier: Option<&str>,
) -> Result<(Value, ProviderTokens), FlowError> {
    let tokens = exchange(http, provider, spec, code, pkce_verifier).await?;
    let access_token = tokens.access_token.clone();
    let secret = provider
        .client_secret
        .as_ref()
        .map(|s| s.expose_secret().to_owned())
        .unwrap_or_default();
    let mut doc = Map::new();
    for request in &spec.requests {
        let call = api::for_request(provider, spec, request, &secret, &access_token);
        let answer = match api::json(http, &call).await {
            Ok(v) => v,
            Err(e) if request.optional => {
                tracing::info!(provider = %provider.name, key = request.key, error = %e,
                    "optional profile request failed");
                Value::Null
            }
            Err(e) => return Err(e),
        };
        doc.insert(request.key.to_owned(), answer);
    }
    Ok((Value::Object(doc), tokens))
}

async fn exchange(
    http: &ProviderHttp,
    provider: &Provider,
    spec: &OAuth2Spec,
    code: &str,
    pkce_verifier: Option<&str>,
) -> Result<ProviderTokens, FlowError> {
    let client = client(provider, spec)?;
    let mut request = client.exchange_code(AuthorizationCode::new(code.to_owned()));
    if let Some(v) = pkce_verifier {
        request = request.set_pkce_verifier(PkceCodeVerifier::new(v.to_owned()));
    }
    if let Some(name) = spec.quirks.client_id_param {
        request = request.add_extra_param(name, provider.client_id.clone());
    }
    match request
        .request_async(&FormAsJson::for_provider(http, provider, spec))
        .await
    {
        Ok(token) => Ok(ProviderTokens::from_response(&token, super::unix_now())),
        Err(e) => token_error(e).map(ProviderTokens::access_only),
    }
}

/// The provider client for token requests, through [`form_as_json`], with
/// the preset's extra headers (Reddit's User-Agent).
pub(super) struct FormAsJson<'a> {
    http: &'a ProviderHttp,
    headers: Vec<(&'a str, String)>,
}

impl<'a> FormAsJson<'a> {
    /// The client for `provider`'s token requests.
    pub(super) fn for_provider(
        http: &'a ProviderHttp,
        provider: &Provider,
        spec: &'a OAuth2Spec,
    ) -> Self {
        Self {
            http,
            headers: api::quirk_headers(provider, spec),
        }
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for FormAsJson<'_> {
    type Error = HttpError;
    type Future = super::http::OAuthFuture<'c>;

    fn call(&'c self, mut request: http::Request<Vec<u8>>) -> Self::Future {
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                request.headers_mut().insert(name, value);
            }
        }
        Box::pin(form_as_json(self.http, request))
    }
}

/// Sends a token request; a form-encoded answer (GitHub's unless JSON is
/// asked for, and some providers ignore Accept) is rewritten as JSON, since
/// the oauth2 crate refuses any other content type.
async fn form_as_json(
    http: &ProviderHttp,
    request: http::Request<Vec<u8>>,
) -> Result<http::Response<Vec<u8>>, HttpError> {
    let mut response = http.execute(request).await?;
    let content_type = response.headers().get(http::header::CONTENT_TYPE);
    let is_form = content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let fields: Map<String, Value> = url::form_urlencoded::parse(response.body())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        *response.body_mut() = Value::Object(fields).to_string().into_bytes();
        let json = http::HeaderValue::from_static("application/json");
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, json);
    }
    Ok(response)
}

pub(super) type TokenError =
    RequestTokenError<HttpError, StandardErrorResponse<BasicErrorResponseType>>;

/// Maps a failed token request; an unparsable 200 may still be an error
/// (GitHub) or a form-encoded token (providers that ignore Accept).
fn token_error(e: TokenError) -> Result<String, FlowError> {
    match e {
        RequestTokenError::ServerResponse(r) => Err(refused(r.error().as_ref())),
        RequestTokenError::Request(e) => Err(FlowError::from(e)),
        RequestTokenError::Parse(_, body) => parse_fallback(&body),
        RequestTokenError::Other(e) => Err(FlowError::TokenExchange(e)),
    }
}

fn parse_fallback(body: &[u8]) -> Result<String, FlowError> {
    let fields: Map<String, Value> = serde_json::from_slice(body).unwrap_or_else(|_| {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    });
    match fields.get("error") {
        Some(Value::String(error)) => return Err(refused(error)),
        Some(Value::Object(graph)) => return Err(graph_refused(graph)),
        _ => {}
    }
    match fields.get("access_token").and_then(Value::as_str) {
        Some(token) if !token.is_empty() => Ok(token.to_owned()),
        _ => Err(FlowError::TokenExchange("unreadable token response".into())),
    }
}

/// invalid_grant (and GitHub's bad_verification_code) mean the code was refused.
pub(super) fn refused(error: &str) -> FlowError {
    super::token_endpoint_error(error)
}

/// Facebook's Graph errors are objects; subcodes 36007 (expired) and 36009
/// (used) mean the code was refused.
fn graph_refused(error: &Map<String, Value>) -> FlowError {
    match error.get("error_subcode").and_then(Value::as_u64) {
        Some(36007 | 36009) => FlowError::CodeRejected,
        _ => FlowError::TokenExchange(format!(
            "the token endpoint answered {} {}",
            error
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("an error"),
            error
                .get("code")
                .and_then(Value::as_u64)
                .unwrap_or_default()
        )),
    }
}

/// The oauth2 client for `provider`.
pub(super) fn client(provider: &Provider, spec: &OAuth2Spec) -> Result<Client, FlowError> {
    let redirect = RedirectUrl::new(provider.redirect_uri.clone())
        .map_err(|e| FlowError::Discovery(e.to_string()))?;
    let mut client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(spec.auth_url.clone()))
        .set_token_uri(TokenUrl::from_url(spec.token_url.clone()))
        .set_redirect_uri(redirect)
        .set_auth_type(match provider.client_auth.unwrap_or(spec.client_auth) {
            ClientAuth::Basic => AuthType::BasicAuth,
            ClientAuth::RequestBody => AuthType::RequestBody,
        });
    if let Some(secret) = &provider.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_encoded_token_answer_is_read() {
        let token = parse_fallback(b"access_token=gho_abc&scope=user%3Aemail&token_type=bearer");
        assert_eq!(token.unwrap(), "gho_abc");
    }

    #[test]
    fn an_error_sent_with_http_200_is_a_refused_code() {
        let json = br#"{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}"#;
        assert!(matches!(parse_fallback(json), Err(FlowError::CodeRejected)));
        let form = b"error=bad_verification_code&error_description=expired";
        assert!(matches!(parse_fallback(form), Err(FlowError::CodeRejected)));
        let other = br#"{"error":"incorrect_client_credentials"}"#;
        assert!(matches!(
            parse_fallback(other),
            Err(FlowError::TokenExchange(_))
        ));
        let used = br#"{"error":{"message":"This authorization code has been used.","type":"OAuthException","code":100,"error_subcode":36009}}"#;
        assert!(matches!(parse_fallback(used), Err(FlowError::CodeRejected)));
        let secret = br#"{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1}}"#;
        assert!(matches!(
            parse_fallback(secret),
            Err(FlowError::TokenExchange(_))
        ));
        assert!(matches!(
            parse_fallback(b"<html>"),
            Err(FlowError::TokenExchange(_))
        ));
    }
}
