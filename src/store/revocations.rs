//! Ending sessions on a user's or an operator's request: one session by id,
//! every other session of a user, a logout. Each writes its event and tells
//! other instances in the same transaction.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::entities::{identities, sessions};
use super::events::{record_event, EventKind, NewEvent};
use super::notify::{notify, Change};
use super::{begin_write, now, ClientMeta, Error};

/// A session that was ended: what session caches must forget.
#[derive(Debug, Clone)]
pub struct Ended {
    /// Its user.
    pub user_id: Uuid,
    /// Its token hash.
    pub token_hash: String,
}

/// A user's live sessions (not revoked, not past their lifetime, used
/// within `idle`), most recently started first.
pub async fn list_live_sessions(
    db: &DatabaseConnection,
    user_id: Uuid,
    idle: time::Duration,
) -> Result<Vec<sessions::Model>, Error> {
    let at = now();
    Ok(sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(at))
        .filter(sessions::Column::LastSeenAt.gt(at - idle))
        .order_by_desc(sessions::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Ends session `id`. With `owner`, only a session of that user: any other
/// id is [`Error::NotFound`], as is an unknown one. `by` says who asked
/// ("user" or "cli"). A session already ended stays as it is.
pub async fn revoke_session_by_id(
    db: &DatabaseConnection,
    id: Uuid,
    owner: Option<Uuid>,
    client: &ClientMeta,
    by: &str,
) -> Result<Ended, Error> {
    let txn = begin_write(db).await?;
    let session = sessions::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|s| owner.is_none_or(|o| o == s.user_id))
        .ok_or(Error::NotFound)?;
    let ended = Ended {
        user_id: session.user_id,
        token_hash: session.token_hash.clone(),
    };
    if session.revoked_at.is_none() {
        let event = NewEvent::new(EventKind::SessionRevoked, Some(session.user_id))
            .client(client)
            .detail(json!({ "session_id": id.to_string(), "by": by }));
        end(&txn, session, event).await?;
    }
    txn.commit().await?;
    Ok(ended)
}

/// Ends session `id` because one of its spent refresh tokens came back,
/// recording `refresh_token_reuse`; returns its token hash when it was live.
pub async fn end_reused_session(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<String>, Error> {
    let txn = begin_write(db).await?;
    let Some(session) = sessions::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(None);
    };
    if session.revoked_at.is_some() {
        return Ok(None);
    }
    let hash = session.token_hash.clone();
    let event = NewEvent::new(EventKind::RefreshTokenReuse, Some(session.user_id))
        .detail(json!({ "session_id": id.to_string() }));
    end(&txn, session, event).await?;
    txn.commit().await?;
    Ok(Some(hash))
}

/// Ends every live session of `user_id` except `keep`; returns how many.
pub async fn revoke_other_sessions(
    db: &DatabaseConnection,
    user_id: Uuid,
    keep: Uuid,
    client: &ClientMeta,
) -> Result<u64, Error> {
    let txn = begin_write(db).await?;
    let result = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Some(now())))
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::Id.ne(keep))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected > 0 {
        let event = NewEvent::new(EventKind::SessionRevoked, Some(user_id))
            .client(client)
            .detail(
                json!({ "count": result.rows_affected, "except": keep.to_string(), "by": "user" }),
            );
        record_event(&txn, event).await?;
        notify(&txn, &Change::User(user_id)).await?;
    }
    txn.commit().await?;
    Ok(result.rows_affected)
}

/// Logout: ends the live session whose token hashes to `token_hash` and
/// records `sign_out`. Returns whether there was one.
pub async fn sign_out(
    db: &DatabaseConnection,
    token_hash: &str,
    client: &ClientMeta,
) -> Result<bool, Error> {
    let txn = begin_write(db).await?;
    let session = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .filter(sessions::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    let Some(session) = session else {
        return Ok(false);
    };
    let provider = identities::Entity::find_by_id(session.identity_id)
        .one(&txn)
        .await?
        .map(|i| i.provider);
    let mut event = NewEvent::new(EventKind::SignOut, Some(session.user_id)).client(client);
    event.provider = provider;
    end(&txn, session, event).await?;
    txn.commit().await?;
    Ok(true)
}

/// Marks `session` revoked, records `event` and notifies other instances.
async fn end(
    txn: &DatabaseTransaction,
    session: sessions::Model,
    event: NewEvent,
) -> Result<(), Error> {
    let hash = session.token_hash.clone();
    let mut row: sessions::ActiveModel = session.into();
    row.revoked_at = Set(Some(now()));
    row.update(txn).await?;
    record_event(txn, event).await?;
    notify(txn, &Change::Session(hash)).await?;
    Ok(())
}

/// Ends every live session of `user_id` at an operator's request (CLI),
/// with a `session_revoked` event; returns how many.
pub async fn revoke_all_sessions(db: &DatabaseConnection, user_id: Uuid) -> Result<u64, Error> {
    let txn = begin_write(db).await?;
    let ended = super::end_user_sessions(&txn, user_id).await?;
    if ended > 0 {
        let detail = json!({ "count": ended, "by": "operator" });
        let event = NewEvent::new(EventKind::SessionRevoked, Some(user_id)).detail(detail);
        record_event(&txn, event).await?;
    }
    txn.commit().await?;
    Ok(ended)
}
