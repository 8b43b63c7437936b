//! Authenticated JSON requests to provider APIs (userinfo, /user, Graph).

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::{FlowError, ProviderHttp};
use crate::providers::{ApiRequest, OAuth2Spec, Provider};

/// One API call with the access token, as a preset's quirks shape it.
pub struct Call<'a> {
    /// The full URL.
    pub url: &'a str,
    /// POST with an empty body (Dropbox) instead of GET.
    pub post: bool,
    /// The access token.
    pub access_token: &'a str,
    /// The Authorization scheme ("Bearer"; Yandex: "OAuth").
    pub scheme: &'a str,
    /// Query parameters to add (appsecret_proof).
    pub query: Vec<(&'a str, String)>,
    /// Extra headers (User-Agent, Client-Id, Notion-Version).
    pub headers: Vec<(&'a str, String)>,
}

impl<'a> Call<'a> {
    /// A plain Bearer GET.
    pub fn get(url: &'a str, access_token: &'a str) -> Self {
        Call {
            url,
            post: false,
            access_token,
            scheme: "Bearer",
            query: Vec::new(),
            headers: Vec::new(),
        }
    }
}

/// Sends `call`; the answer must be a 2xx JSON document.
pub async fn json(http: &ProviderHttp, call: &Call<'_>) -> Result<Value, FlowError> {
    let response = send(http, call).await?;
    serde_json::from_slice(response.body())
        .map_err(|_| FlowError::Profile("the profile answer is not JSON".into()))
}

/// GET `url` with the access token as a Bearer; any 2xx answer.
pub async fn get(
    http: &ProviderHttp,
    url: &str,
    access_token: &str,
    extra_query: &[(&str, &str)],
) -> Result<http::Response<Vec<u8>>, FlowError> {
    let mut call = Call::get(url, access_token);
    call.query = extra_query
        .iter()
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
    send(http, &call).await
}

/// Sends `call`; any 2xx answer.
pub async fn send(
    http: &ProviderHttp,
    call: &Call<'_>,
) -> Result<http::Response<Vec<u8>>, FlowError> {
    let mut url = url::Url::parse(call.url).map_err(|e| FlowError::Profile(e.to_string()))?;
    if !call.query.is_empty() {
        url.query_pairs_mut().extend_pairs(&call.query);
    }
    let method = if call.post { "POST" } else { "GET" };
    let request = http::Request::builder()
        .method(method)
        .uri(url.as_str())
        .header(http::header::ACCEPT, "application/json")
        .header(
            http::header::AUTHORIZATION,
            format!("{} {}", call.scheme, call.access_token),
        );
    let mut request = request
        .body(Vec::new())
        .map_err(|e| FlowError::Profile(e.to_string()))?;
    for (name, value) in &call.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes());
        let value = http::HeaderValue::from_str(value);
        let (Ok(name), Ok(value)) = (name, value) else {
            return Err(FlowError::Profile("a preset header is not valid".into()));
        };
        request.headers_mut().insert(name, value);
    }
    let response = http.execute(request).await?;
    if !response.status().is_success() {
        return Err(FlowError::Profile(format!(
            "{} answered {}",
            url.path(),
            response.status()
        )));
    }
    Ok(response)
}

/// One API request with the preset's quirks: appsecret_proof, the token
/// scheme, a required User-Agent, the client id header, fixed headers.
pub fn for_request<'a>(
    provider: &'a Provider,
    spec: &'a OAuth2Spec,
    request: &'a ApiRequest,
    secret: &str,
    access_token: &'a str,
) -> Call<'a> {
    let q = &spec.quirks;
    let mut call = Call::get(&request.url, access_token);
    call.post = request.post;
    call.scheme = q.token_scheme;
    if request.appsecret_proof {
        call.query
            .push(("appsecret_proof", appsecret_proof(secret, access_token)));
    }
    call.headers = quirk_headers(provider, spec);
    call
}

/// The headers every call to this provider carries beyond the standard ones.
pub fn quirk_headers<'a>(provider: &Provider, spec: &'a OAuth2Spec) -> Vec<(&'a str, String)> {
    let q = &spec.quirks;
    let mut headers: Vec<(&str, String)> = q
        .api_headers
        .iter()
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
    if let Some(ua) = q.user_agent {
        headers.push(("user-agent", ua.replace("{client_id}", &provider.client_id)));
    }
    if let Some(name) = q.client_id_header {
        headers.push((name, provider.client_id.clone()));
    }
    headers
}

/// Facebook's appsecret_proof: hex HMAC-SHA256 of the access token under the app secret.
pub fn appsecret_proof(app_secret: &str, access_token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(access_token.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn appsecret_proof_is_hex_hmac_sha256() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), RFC 4231-style vector.
        assert_eq!(
            super::appsecret_proof("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
