//! The one place that chooses status codes: what each [`AppError`] is
//! answered with (status, error code, page title, message).

use axum::http::StatusCode;

use super::error::AppError;
use crate::flow::backchannel::LogoutError;
use crate::flow::{FlowError, HttpError};
use crate::store;

impl AppError {
    /// Status, code, page title and message of this failure.
    pub(super) fn classify(&self) -> (StatusCode, &'static str, &'static str, String) {
        use FlowError as F;
        let message = self.to_string();
        match self {
            AppError::Flow(
                f @ (F::MissingLoginState
                | F::Expired
                | F::StateMismatch
                | F::MissingParameter(_)
                | F::ProviderDenied(_)
                | F::IssuerMismatch
                | F::CodeRejected
                | F::LinkSessionChanged),
            ) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Sign-in did not complete",
                super::error_words::bad_callback(f).into(),
            ),
            AppError::UnknownProvider => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Unknown sign-in method",
                "There is no sign-in method by that name here.".into(),
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
            AppError::Store(e @ (store::Error::IdentityTaken | store::Error::UnlinkRefused(_))) => {
                (
                    StatusCode::CONFLICT,
                    "conflict",
                    "Not possible",
                    super::error_words::conflict(e).into(),
                )
            }
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
            AppError::Missing(_) => (StatusCode::NOT_FOUND, "not_found", "Not found", message),
            AppError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Bad request",
                message,
            ),
            AppError::ReauthRequired => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Please sign in again",
                "For your safety, linking another account needs a recent sign-in. \
                 Sign out, sign in again, then link it."
                    .into(),
            ),
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
