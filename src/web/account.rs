//! GET /account: the user, its identities (Unlink), a Link button per
//! provider, its live sessions (Revoke, sign out everywhere else) and its
//! last ten events. Signed out: 303 to /login?next=/account.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use serde::Serialize;

use super::account_view::{event, session, EventView, SessionView};
use super::error::AppError;
use super::login::buttons;
use super::session_cookie;
use crate::session::{ActiveSession, Lookup};
use crate::state::AppState;
use crate::store;

/// An identity as the page lists it.
#[derive(Debug, Serialize)]
struct IdentityView {
    id: String,
    label: String,
    username: Option<String>,
    email: Option<String>,
    current: bool,
}

/// GET /account
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let active = match session_cookie::lookup(&state, &headers).await? {
        Lookup::Active(s) => *s,
        Lookup::Disabled => return Err(AppError::Disabled),
        Lookup::None => {
            let next: String =
                url::form_urlencoded::byte_serialize(state.config.path("/account").as_bytes())
                    .collect();
            let to = state.config.path(&format!("/login?next={next}"));
            return Ok(Redirect::to(&to).into_response());
        }
    };
    let user = &active.session.user;
    let sessions: Vec<SessionView> = state
        .sessions
        .list(user.id)
        .await?
        .iter()
        .map(|s| session(s, s.id == active.session.id))
        .collect();
    let events: Vec<EventView> = store::latest_events(&state.db, Some(user.id), 10)
        .await?
        .iter()
        .map(event)
        .collect();
    let ctx = minijinja::context! {
        user => minijinja::context! {
            id => user.id.to_string(), name => user.name.clone(), email => user.email.clone(),
        },
        identities => Serde(identities(&state, &active).await?),
        providers => Serde(buttons(&state, None)),
        sessions => Serde(sessions),
        events => Serde(events),
        csrf_token => state.keys.csrf_token(&active.token_hash),
    };
    Ok(Html(state.live().templates.render("account.html", ctx)?).into_response())
}

/// The user's identities, the one this session signed in with marked.
async fn identities(
    state: &AppState,
    active: &ActiveSession,
) -> Result<Vec<IdentityView>, AppError> {
    let current = store::find_session_by_id(&state.db, active.session.id)
        .await?
        .map(|row| row.identity_id);
    let rows = store::user_identities(&state.db, active.session.user.id).await?;
    Ok(rows
        .into_iter()
        .map(|i| IdentityView {
            id: i.id.to_string(),
            label: state
                .providers
                .get(&i.provider)
                .map_or_else(|| i.provider.clone(), |p| p.label.clone()),
            current: Some(i.id) == current,
            username: i.username,
            email: i.email,
        })
        .collect())
}
