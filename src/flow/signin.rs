//! The one way through a callback: complete the protocol, decide whether
//! this identity may come in, write the identity and its user in one
//! transaction, and start the session. Sign-in and its refusals share it;
//! web/ only reads and writes the cookies around it.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{Authenticated, CallbackParams, Engine, FlowError, LoginState};
use crate::config::AccessConfig;
use crate::keys::Sealer;
use crate::providers::Provider;
use crate::session::{ClientMeta, SessionIdToken, Sessions};
use crate::store;

/// What a callback needs from the application.
pub struct SignInContext<'a> {
    /// The protocol cores.
    pub engine: &'a Engine,
    /// The users store.
    pub db: &'a DatabaseConnection,
    /// Sessions.
    pub sessions: &'a Sessions,
    /// Who may sign in.
    pub access: &'a AccessConfig,
    /// Seals provider tokens and ID tokens.
    pub sealer: &'a Sealer,
}

/// One callback, as web/ read it from the request.
pub struct Callback<'a> {
    /// The provider named in the route.
    pub provider: &'a Provider,
    /// The login state the browser's cookie held (already taken).
    pub login: Option<LoginState>,
    /// The callback's parameters.
    pub params: &'a CallbackParams,
    /// Where the request came from.
    pub client: ClientMeta,
    /// The browser's current session token, ended when the new one starts.
    pub previous_session: Option<String>,
}

/// A completed sign-in, or a completed link.
#[derive(Debug)]
pub struct SignedIn {
    /// The new session's token (for the cookie); None after a link, which
    /// keeps the session that asked.
    pub token: Option<String>,
    /// Where to send the browser.
    pub next: String,
    /// The user signed in.
    pub user_id: Uuid,
}

/// Why a callback did not end in a session.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The protocol failed or a rule refused the identity.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The store failed or refused (a disabled user).
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl SignInError {
    /// The `outcome` label of doorman_sign_ins_total.
    pub fn outcome(&self) -> &'static str {
        match self {
            SignInError::Flow(FlowError::NotAllowed(_) | FlowError::AccessDenied(_))
            | SignInError::Store(store::Error::Disabled) => "refused",
            _ => "failed",
        }
    }
}

/// Completes a sign-in (or a link) from its callback.
pub async fn complete(
    ctx: &SignInContext<'_>,
    callback: Callback<'_>,
) -> Result<SignedIn, SignInError> {
    let provider = callback.provider.name.clone();
    let client = callback.client.clone();
    let result = run(ctx, callback).await;
    let outcome = match &result {
        Ok(_) => "success",
        Err(e) => e.outcome(),
    };
    metrics::counter!("doorman_sign_ins_total", "provider" => provider.clone(), "outcome" => outcome)
        .increment(1);
    match &result {
        Ok(done) => tracing::info!(provider = %provider, user = %done.user_id, "signed in"),
        Err(e) => {
            tracing::info!(provider = %provider, outcome, error = %e, "sign-in ended without a session")
        }
    }
    if let Err(e) = &result {
        if outcome == "refused" {
            record_refusal(ctx, &provider, &client, e).await;
        }
    }
    result
}

/// Records `sign_in_refused` (no user: nothing else is written).
async fn record_refusal(
    ctx: &SignInContext<'_>,
    provider: &str,
    client: &ClientMeta,
    e: &SignInError,
) {
    let event = store::NewEvent::new(store::EventKind::SignInRefused, None)
        .provider(provider)
        .client(client)
        .detail(serde_json::json!({ "reason": e.to_string() }));
    if let Err(e) = store::record_event(ctx.db, event).await {
        tracing::warn!(error = %e, "could not record a refused sign-in");
    }
}

async fn run(ctx: &SignInContext<'_>, callback: Callback<'_>) -> Result<SignedIn, SignInError> {
    let next = callback
        .login
        .as_ref()
        .map(|l| l.next.clone())
        .unwrap_or_else(|| "/".into());
    let link = callback.login.as_ref().and_then(|l| l.link_session);
    let linking_user = match link {
        Some(session_id) => Some(
            super::link::linking_user(
                ctx,
                callback.provider,
                session_id,
                callback.previous_session.as_deref(),
            )
            .await?,
        ),
        None => None,
    };
    let who = ctx
        .engine
        .complete(callback.provider, callback.login, callback.params)
        .await?;
    if let Some(user_id) = linking_user {
        let identity =
            super::link::attach(ctx, callback.provider, user_id, &who, &callback.client).await?;
        keep_tokens(ctx, callback.provider, identity, &who).await?;
        return Ok(SignedIn {
            token: None,
            next,
            user_id,
        });
    }
    let groups = who.groups.as_deref();
    super::access::check(ctx.access, callback.provider, &who.profile, groups)?;
    let sign_in = store::upsert_identity(ctx.db, &who.profile, groups).await?;
    keep_tokens(ctx, callback.provider, sign_in.identity.id, &who).await?;
    if let Some(old) = callback.previous_session {
        ctx.sessions.end(&old).await?;
    }
    let id_token = who.id_token.map(|t| SessionIdToken {
        sub: t.sub,
        sid: t.sid,
        token: callback.provider.end_session.then_some(t.compact),
        sealer: ctx.sealer,
    });
    let token = ctx
        .sessions
        .start_with(&sign_in, callback.client, id_token)
        .await?;
    ctx.sessions.forget_user(sign_in.user.id);
    Ok(SignedIn {
        token: Some(token),
        next,
        user_id: sign_in.user.id,
    })
}

/// Replaces the identity's stored tokens with this sign-in's (sealed for
/// the identity), or removes them when the provider does not keep tokens.
async fn keep_tokens(
    ctx: &SignInContext<'_>,
    provider: &Provider,
    identity_id: Uuid,
    who: &Authenticated,
) -> Result<(), store::Error> {
    let sealed = who
        .tokens
        .as_ref()
        .filter(|_| provider.tokens.store)
        .map(|t| t.seal(ctx.sealer, identity_id));
    store::set_provider_tokens(ctx.db, identity_id, sealed).await
}
