//! User verbs for the CLI and the JSON API.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entities::{identities, users};
use super::events::{record_event, EventKind, NewEvent};
use super::notify::{notify, Change};
use super::{end_user_sessions, now, Error};

/// Every user, oldest first.
pub async fn list_users(db: &DatabaseConnection) -> Result<Vec<users::Model>, Error> {
    Ok(users::Entity::find()
        .order_by_asc(users::Column::CreatedAt)
        .all(db)
        .await?)
}

/// One user.
pub async fn find_user(db: &DatabaseConnection, id: Uuid) -> Result<users::Model, Error> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// A user's identities, oldest first.
pub async fn user_identities(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Vec<identities::Model>, Error> {
    Ok(identities::Entity::find()
        .filter(identities::Column::UserId.eq(user_id))
        .order_by_asc(identities::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Disables (ending every session, in the same transaction) or enables a
/// user. Enabling revives no session.
pub async fn set_disabled(db: &DatabaseConnection, id: Uuid, disabled: bool) -> Result<u64, Error> {
    let txn = super::begin_write(db).await?;
    let user = users::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let mut user: users::ActiveModel = user.into();
    user.disabled = Set(disabled);
    user.updated_at = Set(now());
    user.update(&txn).await?;
    let (ended, kind) = if disabled {
        (end_user_sessions(&txn, id).await?, EventKind::UserDisabled)
    } else {
        notify(&txn, &Change::User(id)).await?;
        (0, EventKind::UserEnabled)
    };
    let detail = serde_json::json!({ "sessions_ended": ended });
    record_event(&txn, NewEvent::new(kind, Some(id)).detail(detail)).await?;
    txn.commit().await?;
    Ok(ended)
}
