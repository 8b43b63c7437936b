//! The one HTTP client for provider calls: redirects off, connect and total
//! timeouts, and answers larger than max_response_bytes refused.

use std::future::Future;
use std::pin::Pin;

use crate::config::HttpConfig;

/// Why a provider call failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No answer within the timeout.
    #[error("the provider did not answer in time")]
    Timeout,
    /// Connection refused, DNS, TLS, reset.
    #[error("the provider is unreachable: {0}")]
    Unreachable(String),
    /// The answer exceeded max_response_bytes.
    #[error("the provider's answer exceeds {0} bytes")]
    TooLarge(usize),
    /// The request could not be built.
    #[error("bad request to the provider: {0}")]
    Request(String),
    /// Plain http to a host that is not loopback.
    #[error("refusing plain http to {0}: providers are reached over https")]
    Insecure(String),
}

/// The future the oauth2 and openidconnect crates await.
pub type OAuthFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, HttpError>> + Send + 'a>>;

/// Sends requests to providers.
#[derive(Clone, Debug)]
pub struct ProviderHttp {
    client: reqwest::Client,
    max_bytes: usize,
}

impl ProviderHttp {
    /// Builds the client from `[http]`.
    pub fn new(config: &HttpConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("doorman/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            max_bytes: config.max_response_bytes,
        })
    }

    /// Sends one request and reads at most max_response_bytes of its body.
    pub async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        let request =
            reqwest::Request::try_from(request).map_err(|e| HttpError::Request(e.to_string()))?;
        check_transport(request.url())?;
        let mut response = self.client.execute(request).await.map_err(classify)?;
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes as u64)
        {
            return Err(HttpError::TooLarge(self.max_bytes));
        }
        let mut builder = http::Response::builder().status(response.status());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(HttpError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| HttpError::Request(e.to_string()))
    }
}

impl<'c> openidconnect::AsyncHttpClient<'c> for ProviderHttp {
    type Error = HttpError;
    type Future = OAuthFuture<'c>;

    fn call(&'c self, request: http::Request<Vec<u8>>) -> Self::Future {
        Box::pin(self.execute(request))
    }
}

/// https everywhere; plain http only to loopback (development, tests).
fn check_transport(url: &url::Url) -> Result<(), HttpError> {
    let loopback = url.host_str().is_some_and(crate::config::is_loopback_host);
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(HttpError::Insecure(
            url.host_str().unwrap_or_default().to_owned(),
        )),
    }
}

fn classify(e: reqwest::Error) -> HttpError {
    if e.is_timeout() {
        HttpError::Timeout
    } else {
        HttpError::Unreachable(without_url(&e))
    }
}

/// reqwest's message without the URL (it may carry a code or token).
fn without_url(e: &reqwest::Error) -> String {
    let mut root: &dyn std::error::Error = e;
    while let Some(source) = root.source() {
        root = source;
    }
    root.to_string()
}

#[cfg(test)]
mod tests {
    use super::check_transport;

    #[test]
    fn providers_are_reached_over_https_or_on_loopback_only() {
        for ok in [
            "https://id.example/x",
            "http://127.0.0.1:9/x",
            "http://localhost/x",
            "http://[::1]:8/x",
        ] {
            assert!(check_transport(&ok.parse().unwrap()).is_ok(), "{ok}");
        }
        for bad in [
            "http://id.example/x",
            "http://10.0.0.1/x",
            "ftp://id.example/x",
        ] {
            assert!(check_transport(&bad.parse().unwrap()).is_err(), "{bad}");
        }
    }
}
