//! AppError: every failure a request can end in (its status table is
//! error_status.rs). Handlers return it;
//! the request frame (frame.rs, error_page.rs) turns it into an HTML page or,
//! for clients that accept JSON, {"error": CODE, "message": TEXT}.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::flow::backchannel::LogoutError;
use crate::flow::FlowError;
use crate::store;

pub use super::error_page::{accepts_json, finish, retrying, wants_json, RetryNext};

/// Every failure a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Sign-in failed.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// No provider of that name.
    #[error("unknown provider")]
    UnknownProvider,
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// No valid session, and the client is told where to sign in.
    #[error("not signed in")]
    SignInRequired {
        /// The sign-in page's URL, with the original URI as `next`.
        login_url: String,
    },
    /// The user is disabled.
    #[error("this account is disabled")]
    Disabled,
    /// A rule (a forward-auth query rule, a required group) refuses a
    /// signed-in user.
    #[error("access denied")]
    Forbidden,
    /// A cross-site request that must come from this site.
    #[error("cross-site request refused")]
    CrossSite,
    /// Too many sign-in requests from one client.
    #[error("too many requests; retry in {0} s")]
    RateLimited(u64),
    /// A back-channel logout was refused or could not be done.
    #[error(transparent)]
    Logout(#[from] LogoutError),
    /// A page failed to render.
    #[error("page rendering failed: {0}")]
    Render(#[from] minijinja::Error),
    /// A Bearer token that claims to be doorman's failed verification.
    #[error("the access token is invalid or expired")]
    InvalidToken,
    /// A refresh token is unknown, spent or expired.
    #[error("the refresh token is invalid, spent or expired")]
    InvalidGrant,
    /// A token request doorman cannot read.
    #[error("{0}")]
    InvalidRequest(&'static str),
    /// A grant_type other than refresh_token.
    #[error("unsupported grant_type")]
    UnsupportedGrant,
    /// A request body over the route's limit.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// A route that is switched off.
    #[error("not found")]
    NotFound,
    /// What the request names does not exist, or is not the user's (404).
    #[error("{0}")]
    Missing(&'static str),
    /// A form doorman cannot read (400).
    #[error("{0}")]
    BadRequest(&'static str),
    /// Linking needs a more recent sign-in (403).
    #[error("this needs a recent sign-in")]
    ReauthRequired,
    /// A signed-in user without the group a route requires.
    #[error("you are not in a group allowed here")]
    MissingGroup,
    /// The library extractors were used without `Doorman::layer()`.
    #[error("doorman's layer is missing")]
    MissingLayer,
    /// A JWT could not be signed.
    #[error(transparent)]
    Sign(#[from] crate::jwt::SignError),
}

impl From<crate::flow::signin::SignInError> for AppError {
    fn from(e: crate::flow::signin::SignInError) -> Self {
        match e {
            crate::flow::signin::SignInError::Flow(e) => AppError::Flow(e),
            crate::flow::signin::SignInError::Store(e) => AppError::Store(e),
        }
    }
}

/// What the renderer needs to know about a failure.
#[derive(Clone, Debug)]
pub(super) struct ErrorMeta {
    pub(super) code: &'static str,
    pub(super) title: &'static str,
    pub(super) message: String,
    /// A failed sign-in: the page offers "Try again".
    pub(super) sign_in: bool,
    /// Where to sign in (JSON answers of /login).
    pub(super) login_url: Option<String>,
}

impl AppError {
    /// `e`, except that the store's NotFound becomes a 404 saying `what`.
    pub fn not_found(e: store::Error, what: &'static str) -> AppError {
        match e {
            store::Error::NotFound => AppError::Missing(what),
            other => AppError::Store(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, title, message) = self.classify();
        if status.is_server_error() || status == StatusCode::BAD_GATEWAY {
            tracing::error!(error = ?anyhow_chain(&self), "request failed");
        } else if status != StatusCode::UNAUTHORIZED && status != StatusCode::TOO_MANY_REQUESTS {
            tracing::info!(error = %self, "request refused");
        }
        let mut response = status.into_response();
        if let AppError::RateLimited(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        let sign_in = matches!(self, AppError::Flow(_) | AppError::UnknownProvider);
        let login_url = match self {
            AppError::SignInRequired { login_url } => Some(login_url),
            _ => None,
        };
        response.extensions_mut().insert(ErrorMeta {
            code,
            title,
            message,
            sign_in,
            login_url,
        });
        response
    }
}

fn anyhow_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
