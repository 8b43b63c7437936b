//! The linking side of a callback: the login state names the session that
//! asked to link; it must still be live and, unless the provider's callback
//! is a cross-site POST that carries no Lax cookie (Apple's form_post), be
//! the session of the browser's cookie.

use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::signin::{SignInContext, SignInError};
use super::{Authenticated, FlowError};
use crate::providers::Provider;
use crate::session::hash_token;
use crate::store::{self, ClientMeta};

/// The user to link to, when session `session_id` may still link here.
pub async fn linking_user(
    ctx: &SignInContext<'_>,
    provider: &Provider,
    session_id: Uuid,
    browser_token: Option<&str>,
) -> Result<Uuid, SignInError> {
    let row = ctx
        .sessions
        .live_by_id(session_id)
        .await?
        .ok_or(FlowError::LinkSessionChanged)?;
    if !provider.cross_site_callback() {
        let same = browser_token.is_some_and(|token| {
            let hash = hash_token(token);
            bool::from(hash.as_bytes().ct_eq(row.session.token_hash.as_bytes()))
        });
        if !same {
            return Err(FlowError::LinkSessionChanged.into());
        }
    }
    Ok(row.user.id)
}

/// Attaches the identity `who` to `user_id`, when the provider's
/// allowed_groups admit it (the [access] email lists are for sign-ins);
/// returns the identity's id.
pub async fn attach(
    ctx: &SignInContext<'_>,
    provider: &Provider,
    user_id: Uuid,
    who: &Authenticated,
    client: &ClientMeta,
) -> Result<Uuid, SignInError> {
    let groups = who.groups.as_deref();
    super::access::check_groups(provider, groups)?;
    let identity = store::link_identity(ctx.db, user_id, &who.profile, groups, client).await?;
    ctx.sessions.forget_user(user_id);
    Ok(identity.id)
}
