//! Linking an identity to a signed-in user and unlinking it, each with its
//! event in the same transaction. Identities move only by (provider,
//! subject), never by email.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::entities::{identities, sessions};
use super::events::{record_event, EventKind, NewEvent};
use super::identities::copy_to_identity;
use super::notify::{notify, Change};
use super::{begin_write, now, ClientMeta, Error};
use crate::providers::Profile;

/// Why an unlink is refused (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlinkRefusal {
    /// The user would have no way left to sign in.
    LastIdentity,
    /// The session asking signed in with it.
    CurrentIdentity,
}

/// Attaches the identity of `profile` to `user_id`: created when new,
/// updated when already this user's; another user's is
/// [`Error::IdentityTaken`] and nothing changes.
pub async fn link_identity(
    db: &DatabaseConnection,
    user_id: Uuid,
    profile: &Profile,
    groups: Option<&[String]>,
    client: &ClientMeta,
) -> Result<identities::Model, Error> {
    let txn = begin_write(db).await?;
    let existing = identities::Entity::find()
        .filter(identities::Column::Provider.eq(&profile.provider))
        .filter(identities::Column::Subject.eq(&profile.subject))
        .one(&txn)
        .await?;
    let (identity, created) = match existing {
        Some(found) if found.user_id != user_id => return Err(Error::IdentityTaken),
        Some(found) => {
            let mut row: identities::ActiveModel = found.into();
            copy_to_identity(&mut row, profile, groups);
            (row.update(&txn).await?, false)
        }
        None => (insert(&txn, user_id, profile, groups).await?, true),
    };
    let detail = json!({ "identity_id": identity.id.to_string(), "created": created });
    let event = NewEvent::new(EventKind::Link, Some(user_id))
        .provider(&profile.provider)
        .client(client)
        .detail(detail);
    record_event(&txn, event).await?;
    notify(&txn, &Change::User(user_id)).await?;
    txn.commit().await?;
    Ok(identity)
}

async fn insert(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<identities::Model, Error> {
    let mut row = identities::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        provider: Set(profile.provider.clone()),
        subject: Set(profile.subject.clone()),
        created_at: Set(now()),
        ..Default::default()
    };
    copy_to_identity(&mut row, profile, groups);
    Ok(row.insert(txn).await?)
}

/// Removes identity `identity_id` of `user_id`, asked by session
/// `session_id`, and ends the sessions that signed in with it. Not the
/// user's: [`Error::NotFound`]; the last one or the session's own:
/// [`Error::UnlinkRefused`].
pub async fn unlink_identity(
    db: &DatabaseConnection,
    user_id: Uuid,
    identity_id: Uuid,
    session_id: Uuid,
    client: &ClientMeta,
) -> Result<(), Error> {
    let txn = begin_write(db).await?;
    let identity = identities::Entity::find_by_id(identity_id)
        .one(&txn)
        .await?
        .filter(|i| i.user_id == user_id)
        .ok_or(Error::NotFound)?;
    let asking = sessions::Entity::find_by_id(session_id).one(&txn).await?;
    if asking.is_some_and(|s| s.identity_id == identity_id) {
        return Err(Error::UnlinkRefused(UnlinkRefusal::CurrentIdentity));
    }
    let count = identities::Entity::find()
        .filter(identities::Column::UserId.eq(user_id))
        .count(&txn)
        .await?;
    if count <= 1 {
        return Err(Error::UnlinkRefused(UnlinkRefusal::LastIdentity));
    }
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Some(now())))
        .filter(sessions::Column::IdentityId.eq(identity_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let detail = json!({ "identity_id": identity_id.to_string() });
    let event = NewEvent::new(EventKind::Unlink, Some(user_id))
        .provider(&identity.provider)
        .client(client)
        .detail(detail);
    identities::Entity::delete_by_id(identity_id)
        .exec(&txn)
        .await?;
    record_event(&txn, event).await?;
    notify(&txn, &Change::User(user_id)).await?;
    txn.commit().await?;
    Ok(())
}
