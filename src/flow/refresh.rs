//! The refresh_token grant through the protocol cores: the openidconnect
//! client for OIDC providers, the oauth2 client for OAuth 2.0 ones.

use oauth2::{RefreshToken, RequestTokenError};

use super::oauth2_core::{self, FormAsJson};
use super::provider_tokens::ProviderTokens;
use super::{oidc_core, unix_now, Engine, FlowError};
use crate::providers::{Protocol, Provider};

impl Engine {
    /// Exchanges `refresh_token` for fresh tokens (a provider that does not
    /// rotate it sends none back: the caller keeps the old one). A refresh
    /// token the provider refuses is [`FlowError::CodeRejected`].
    pub async fn refresh(
        &self,
        provider: &Provider,
        refresh_token: &str,
    ) -> Result<ProviderTokens, FlowError> {
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        match &provider.protocol {
            Protocol::Oidc(spec) => {
                let meta = self.oidc.metadata(&self.http, provider, spec).await?;
                let client = self.oidc.client(provider, spec, &meta)?;
                let token = client
                    .exchange_refresh_token(&refresh_token)
                    .map_err(|e| FlowError::Discovery(e.to_string()))?
                    .request_async(&self.http)
                    .await
                    .map_err(oidc_core::token_error)?;
                Ok(ProviderTokens::from_response(&token, unix_now()))
            }
            Protocol::OAuth2(spec) => {
                let token = oauth2_core::client(provider, spec)?
                    .exchange_refresh_token(&refresh_token)
                    .request_async(&FormAsJson::for_provider(&self.http, provider, spec))
                    .await
                    .map_err(oauth2_error)?;
                Ok(ProviderTokens::from_response(&token, unix_now()))
            }
            Protocol::OAuth1(_) => Err(FlowError::TokenExchange(
                "OAuth 1.0a tokens are not refreshed".into(),
            )),
        }
    }
}

fn oauth2_error(e: oauth2_core::TokenError) -> FlowError {
    match e {
        RequestTokenError::ServerResponse(r) => oauth2_core::refused(r.error().as_ref()),
        RequestTokenError::Request(e) => FlowError::from(e),
        RequestTokenError::Parse(_, _) => {
            FlowError::TokenExchange("unreadable token response".into())
        }
        RequestTokenError::Other(e) => FlowError::TokenExchange(e),
    }
}
