//! Authenticated JSON requests to provider APIs (userinfo, /user, Graph).

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::{FlowError, ProviderHttp};

/// GET `url` with the access token as a Bearer; the answer must be JSON.
pub async fn get_json(
    http: &ProviderHttp,
    url: &str,
    access_token: &str,
    extra_query: &[(&str, &str)],
) -> Result<Value, FlowError> {
    let response = get(http, url, access_token, extra_query).await?;
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
    let mut url = url::Url::parse(url).map_err(|e| FlowError::Profile(e.to_string()))?;
    if !extra_query.is_empty() {
        url.query_pairs_mut().extend_pairs(extra_query);
    }
    let request = http::Request::get(url.as_str())
        .header(http::header::ACCEPT, "application/json")
        .header(
            http::header::AUTHORIZATION,
            format!("Bearer {access_token}"),
        )
        .body(Vec::new())
        .map_err(|e| FlowError::Profile(e.to_string()))?;
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
