//! AppError: the one place that chooses status codes. Handlers return it;
//! the `render` middleware turns it into an HTML page or, for clients that
//! accept JSON, {"error": CODE, "message": TEXT}.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::flow::backchannel::LogoutError;
use crate::flow::{FlowError, HttpError};
use crate::state::AppState;
use crate::store;

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
struct ErrorMeta {
    code: &'static str,
    title: &'static str,
    message: String,
    login_url: Option<String>,
}

impl AppError {
    fn classify(&self) -> (StatusCode, &'static str, &'static str, String) {
        use FlowError as F;
        let message = self.to_string();
        match self {
            AppError::Flow(
                F::MissingLoginState
                | F::Expired
                | F::StateMismatch
                | F::MissingParameter(_)
                | F::ProviderDenied(_)
                | F::IssuerMismatch
                | F::CodeRejected,
            ) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Sign-in failed",
                message,
            ),
            AppError::UnknownProvider => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Unknown provider",
                message,
            ),
            AppError::Flow(F::Http(HttpError::Timeout)) => (
                StatusCode::BAD_GATEWAY,
                "provider_error",
                "The provider did not answer",
                "The provider did not answer in time. Please try again.".into(),
            ),
            AppError::Flow(F::AccessDenied(_)) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Access denied",
                "Access was denied: this account is not allowed to sign in here.".into(),
            ),
            AppError::Flow(F::NotAllowed(_)) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Sign-in not allowed",
                "This account may not sign in here.".into(),
            ),
            AppError::Flow(_) => (
                StatusCode::BAD_GATEWAY,
                "provider_error",
                "The provider's answer was unusable",
                "The sign-in provider gave an answer doorman cannot trust. Please try again later."
                    .into(),
            ),
            AppError::Store(store::Error::Disabled) | AppError::Disabled => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Account disabled",
                "This account is disabled.".into(),
            ),
            AppError::CrossSite => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", message),
            AppError::Store(store::Error::Internal(_)) | AppError::Render(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "Something went wrong.".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Access denied",
                "You are signed in, but this account may not see this page.".into(),
            ),
            AppError::Store(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Temporarily unavailable",
                "The service is temporarily unavailable. Please try again.".into(),
            ),
            AppError::RateLimited(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many attempts",
                "Too many sign-in attempts from your address. Please wait a moment.".into(),
            ),
            AppError::Unauthenticated | AppError::SignInRequired { .. } => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Not signed in",
                message,
            ),
            AppError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "Not signed in",
                message,
            ),
            AppError::InvalidGrant => (
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "Bad request",
                message,
            ),
            AppError::InvalidRequest(_) => (
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Bad request",
                message,
            ),
            AppError::UnsupportedGrant => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Bad request",
                message,
            ),
            AppError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Request too large",
                message,
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found", message),
            AppError::MissingGroup => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", message),
            AppError::Sign(_) | AppError::MissingLayer => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "Something went wrong.".into(),
            ),
            AppError::Logout(LogoutError::Invalid(_)) => (
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Invalid logout token",
                message,
            ),
            AppError::Logout(LogoutError::Flow(_)) => (
                StatusCode::BAD_GATEWAY,
                "provider_error",
                "The provider's keys are unavailable",
                "The provider's signing keys could not be fetched.".into(),
            ),
            AppError::Logout(LogoutError::Store(_)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Temporarily unavailable",
                "The service is temporarily unavailable. Please try again.".into(),
            ),
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
        let login_url = match self {
            AppError::SignInRequired { login_url } => Some(login_url),
            _ => None,
        };
        response.extensions_mut().insert(ErrorMeta {
            code,
            title,
            message,
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

/// Middleware: renders AppError responses as a page or JSON.
pub async fn render(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wants_json = wants_json(request.uri(), request.headers());
    let response = next.run(request).await;
    finish(&state, response, wants_json)
}

/// Gives an AppError response its body: a page, or JSON when `wants_json`.
/// Other responses pass unchanged.
pub fn finish(state: &AppState, response: Response, wants_json: bool) -> Response {
    let Some(meta) = response.extensions().get::<ErrorMeta>().cloned() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    let body = if wants_json {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let mut body = json!({ "error": meta.code, "message": meta.message });
        if let Some(login_url) = meta.login_url {
            body["login_url"] = login_url.into();
        }
        Json(body).into_response().into_body()
    } else {
        let ctx = minijinja::context! { title => meta.title, message => meta.message.clone() };
        let html = state
            .templates
            .render("error.html", ctx)
            .unwrap_or_else(|_| meta.message.clone());
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        Html(html).into_response().into_body()
    };
    Response::from_parts(parts, body)
}

/// Whether a request asks for JSON (an /api/ path, a back-channel logout,
/// or Accept: application/json).
pub fn wants_json(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> bool {
    uri.path().starts_with("/api/")
        || uri.path().ends_with("/backchannel-logout")
        || accepts_json(headers)
}

/// Whether the request asks for JSON (Accept: application/json).
pub fn accepts_json(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}
