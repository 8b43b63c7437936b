//! Events: written inside the transaction of the change they record, read
//! back for the account page and `doorman events`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::Value;
use uuid::Uuid;

use super::entities::events;
use super::{now, ClientMeta, Error};

/// What an event records (stored as its snake_case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A completed sign-in.
    SignIn,
    /// A sign-in an access rule refused.
    SignInRefused,
    /// A logout.
    SignOut,
    /// An identity attached to a signed-in user.
    Link,
    /// An identity removed from its user.
    Unlink,
    /// A session ended by its user or an operator.
    SessionRevoked,
    /// A user disabled.
    UserDisabled,
    /// A user enabled.
    UserEnabled,
    /// A role granted.
    RoleGranted,
    /// A role revoked.
    RoleRevoked,
    /// A spent refresh token presented again.
    RefreshTokenReuse,
}

impl EventKind {
    /// The name stored in `events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SignIn => "sign_in",
            EventKind::SignInRefused => "sign_in_refused",
            EventKind::SignOut => "sign_out",
            EventKind::Link => "link",
            EventKind::Unlink => "unlink",
            EventKind::SessionRevoked => "session_revoked",
            EventKind::UserDisabled => "user_disabled",
            EventKind::UserEnabled => "user_enabled",
            EventKind::RoleGranted => "role_granted",
            EventKind::RoleRevoked => "role_revoked",
            EventKind::RefreshTokenReuse => "refresh_token_reuse",
        }
    }
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// What happened.
    pub kind: EventKind,
    /// To whom.
    pub user_id: Option<Uuid>,
    /// With which provider.
    pub provider: Option<String>,
    /// The request that caused it (empty for the CLI).
    pub client: ClientMeta,
    /// Kind-specific details (a JSON object).
    pub detail: Value,
}

impl NewEvent {
    /// An event of `kind` about `user_id`, with no provider, client or detail.
    pub fn new(kind: EventKind, user_id: Option<Uuid>) -> Self {
        NewEvent {
            kind,
            user_id,
            provider: None,
            client: ClientMeta::default(),
            detail: Value::Object(Default::default()),
        }
    }

    /// With the provider involved.
    pub fn provider(mut self, provider: impl Into<String>) -> Self {
        self.provider = Some(provider.into());
        self
    }

    /// With the request's client IP and User-Agent.
    pub fn client(mut self, client: &ClientMeta) -> Self {
        self.client = client.clone();
        self
    }

    /// With kind-specific details.
    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Writes an event on `c` (pass the transaction of the change it records).
pub async fn record_event<C: ConnectionTrait>(c: &C, event: NewEvent) -> Result<(), Error> {
    events::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(event.user_id),
        kind: Set(event.kind.as_str().to_owned()),
        provider: Set(event.provider),
        ip: Set(event.client.ip),
        user_agent: Set(event.client.user_agent),
        detail: Set(event.detail),
        created_at: Set(now()),
    }
    .insert(c)
    .await?;
    Ok(())
}

/// The latest `limit` events (of one user, or of everyone), newest first.
pub async fn latest_events(
    db: &DatabaseConnection,
    user_id: Option<Uuid>,
    limit: u64,
) -> Result<Vec<events::Model>, Error> {
    let mut query = events::Entity::find();
    if let Some(id) = user_id {
        query = query.filter(events::Column::UserId.eq(id));
    }
    Ok(query
        .order_by_desc(events::Column::CreatedAt)
        .order_by_desc(events::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
