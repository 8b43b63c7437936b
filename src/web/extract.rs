//! The library extractors: [`CurrentUser`], [`MaybeUser`] and the
//! [`require_group`] layer. They read the [`Doorman`] extension that
//! [`Doorman::layer`] adds, so the host app's own state type is untouched.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::bearer::authenticate;
use super::error::{finish, wants_json, AppError};
use crate::embed::Doorman;
use crate::flow::access_token;
use crate::session::{ActiveSession, Cached, Lookup};
use crate::state::AppState;

/// The signed-in user of a request. Signed out: HTML requests are sent
/// (303) to {path_prefix}/login?next={path}, JSON requests get 401;
/// disabled: 403.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user's id.
    pub id: Uuid,
    /// Display name.
    pub name: Option<String>,
    /// Email, only when verified.
    pub email: Option<String>,
    /// Roles and "{provider}:{group}" names, sorted.
    pub groups: Vec<String>,
    /// What [`CurrentUser::provider_token`] reads through.
    tokens: Option<TokenHandle>,
}

/// The application and the session a user's provider tokens are read through.
#[derive(Clone)]
struct TokenHandle {
    state: AppState,
    session: Arc<Cached>,
}

impl std::fmt::Debug for TokenHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHandle(..)")
    }
}

impl CurrentUser {
    fn from_session(doorman: &Doorman, active: &ActiveSession) -> CurrentUser {
        let user = &active.session.user;
        CurrentUser {
            id: user.id,
            name: user.name.clone(),
            email: user.email.clone().filter(|_| user.email_verified),
            groups: active.groups().groups.into_owned(),
            tokens: Some(TokenHandle {
                state: doorman.state().clone(),
                session: active.session.clone(),
            }),
        }
    }

    /// The user's access token at provider `name` (`store_tokens`),
    /// refreshed first when it is within a minute of its expiry; None when
    /// that provider keeps no tokens, the user has no identity there, or a
    /// refresh failed (logged).
    pub async fn provider_token(&self, name: &str) -> Option<String> {
        let handle = self.tokens.as_ref()?;
        access_token::provider_token(&handle.state, &handle.session, name).await
    }

    /// Whether the user is in `group` (compared ASCII case-insensitively).
    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g.eq_ignore_ascii_case(group))
    }
}

/// The signed-in user, or None for a guest (a disabled user is a guest).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

/// The request's session, or the finished error answer.
async fn find(parts: &Parts) -> Result<(Doorman, Lookup), Response> {
    let Some(doorman) = parts.extensions.get::<Doorman>().cloned() else {
        tracing::error!("doorman's extractors need `.layer(doorman.layer())` on the app");
        return Err(AppError::MissingLayer.into_response());
    };
    match authenticate(doorman.state(), &parts.headers).await {
        Ok(lookup) => Ok((doorman, lookup)),
        Err(e) => Err(reject(&doorman, parts, e)),
    }
}

/// An AppError answered as a page or JSON, as doorman's routes do.
fn reject(doorman: &Doorman, parts: &Parts, error: AppError) -> Response {
    let json = wants_json(&parts.uri, &parts.headers);
    finish(doorman.state(), error.into_response(), json)
}

/// Signed out: JSON clients get 401, browsers go to {path_prefix}/login with `next`.
fn signed_out(doorman: &Doorman, parts: &Parts) -> Response {
    if wants_json(&parts.uri, &parts.headers) {
        return reject(doorman, parts, AppError::Unauthenticated);
    }
    let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    let login = doorman.state().config.path("/login");
    Redirect::to(&format!("{login}?next={next}")).into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let (doorman, lookup) = find(parts).await?;
        match lookup {
            Lookup::Active(active) => Ok(CurrentUser::from_session(&doorman, &active)),
            Lookup::Disabled => Err(reject(&doorman, parts, AppError::Disabled)),
            Lookup::None => Err(signed_out(&doorman, parts)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match find(parts).await? {
            (doorman, Lookup::Active(active)) => Ok(MaybeUser(Some(CurrentUser::from_session(
                &doorman, &active,
            )))),
            (_, Lookup::Disabled | Lookup::None) => Ok(MaybeUser(None)),
        }
    }
}

pub use super::require_group::{require_group, RequireGroup, RequireGroupService};
