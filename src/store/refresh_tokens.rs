//! Refresh token rows: issue, find by hash, rotate (spend the old one and
//! issue its successor in one transaction).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{refresh_tokens, sessions};
use super::{begin_write, now, Error};

/// Stores a new refresh token's hash for a session.
pub async fn insert_refresh_token<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    token_hash: String,
    expires_at: OffsetDateTime,
) -> Result<(), Error> {
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(token_hash),
        session_id: Set(session_id),
        created_at: Set(now()),
        expires_at: Set(expires_at),
        spent_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The refresh token whose hash is `token_hash`, spent or not.
pub async fn find_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<refresh_tokens::Model>, Error> {
    Ok(refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

/// Spends `old` and stores `new_hash` in its place. False when `old` was
/// already spent (a concurrent refresh won): nothing is written then.
pub async fn rotate_refresh_token(
    db: &DatabaseConnection,
    old: &refresh_tokens::Model,
    new_hash: String,
) -> Result<bool, Error> {
    let txn = begin_write(db).await?;
    let spent = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::SpentAt, Expr::value(Some(now())))
        .filter(refresh_tokens::Column::Id.eq(old.id))
        .filter(refresh_tokens::Column::SpentAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    insert_refresh_token(&txn, old.session_id, new_hash, old.expires_at).await?;
    txn.commit().await?;
    Ok(true)
}

/// The session row with id `id`.
pub async fn find_session_by_id(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<sessions::Model>, Error> {
    Ok(sessions::Entity::find_by_id(id).one(db).await?)
}
