//! Session rows: insert, find by token hash, touch, revoke.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{identities, sessions, users};
use super::events::{record_event, NewEvent};
use super::notify::{notify, Change};
use super::{now, Error};

/// What a new session row holds.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The user.
    pub user_id: Uuid,
    /// The identity signed in with.
    pub identity_id: Uuid,
    /// End of the absolute lifetime.
    pub expires_at: OffsetDateTime,
    /// Client IP.
    pub ip: Option<String>,
    /// Client User-Agent.
    pub user_agent: Option<String>,
    /// The ID token's `sub`, `sid` and the sealed token (OpenID Connect sign-ins).
    pub id_token: IdTokenColumns,
}

/// What a session keeps of the ID token it signed in with.
#[derive(Debug, Clone, Default)]
pub struct IdTokenColumns {
    /// `sub`.
    pub sub: Option<String>,
    /// `sid`.
    pub sid: Option<String>,
    /// The compact token, sealed with the session's token hash as associated data.
    pub sealed: Option<String>,
}

/// A session with its user and the identity it signed in with.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The session.
    pub session: sessions::Model,
    /// Its user.
    pub user: users::Model,
    /// The identity signed in with (None if it was unlinked).
    pub identity: Option<identities::Model>,
    /// Every identity of the user (their groups make up the user's).
    pub identities: Vec<identities::Model>,
    /// The user's roles.
    pub roles: Vec<String>,
}

/// Inserts a session row and the event that records it (`sign_in`) in one
/// transaction.
pub async fn insert_session(
    db: &DatabaseConnection,
    new: NewSession,
    event: NewEvent,
) -> Result<Uuid, Error> {
    let at = now();
    let row = sessions::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(new.token_hash),
        user_id: Set(new.user_id),
        identity_id: Set(new.identity_id),
        created_at: Set(at),
        last_seen_at: Set(at),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        ip: Set(new.ip),
        user_agent: Set(new.user_agent),
        id_token_sub: Set(new.id_token.sub),
        id_token_sid: Set(new.id_token.sid),
        id_token: Set(new.id_token.sealed),
    };
    let txn = super::begin_write(db).await?;
    let id = row.insert(&txn).await?.id;
    record_event(&txn, event).await?;
    txn.commit().await?;
    Ok(id)
}

/// The session whose token hashes to `token_hash`, revoked or not.
pub async fn find_session(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<SessionRow>, Error> {
    find_one(db, sessions::Column::TokenHash.eq(token_hash)).await
}

/// Session `id` with its user and identities, revoked or not.
pub async fn find_session_row(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<SessionRow>, Error> {
    find_one(db, sessions::Column::Id.eq(id)).await
}

async fn find_one(
    db: &DatabaseConnection,
    condition: sea_orm::sea_query::SimpleExpr,
) -> Result<Option<SessionRow>, Error> {
    let found = sessions::Entity::find()
        .filter(condition)
        .find_also_related(users::Entity)
        .one(db)
        .await?;
    let Some((session, Some(user))) = found else {
        return Ok(None);
    };
    let identities = super::user_identities(db, user.id).await?;
    let identity = identities
        .iter()
        .find(|i| i.id == session.identity_id)
        .cloned();
    let roles = super::user_roles(db, user.id).await?;
    Ok(Some(SessionRow {
        session,
        user,
        identity,
        identities,
        roles,
    }))
}

/// Records the last use of many sessions in one transaction (`at`, one
/// statement per few hundred sessions).
pub async fn touch_sessions(
    db: &DatabaseConnection,
    ids: &[Uuid],
    at: OffsetDateTime,
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let txn = super::begin_write(db).await?;
    for chunk in ids.chunks(500) {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::LastSeenAt, Expr::value(at))
            .filter(sessions::Column::Id.is_in(chunk.iter().copied()))
            .filter(sessions::Column::LastSeenAt.lt(at))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Ends the session whose token hashes to `token_hash`.
pub async fn revoke_session(db: &DatabaseConnection, token_hash: &str) -> Result<bool, Error> {
    let txn = super::begin_write(db).await?;
    let result = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Some(now())))
        .filter(sessions::Column::TokenHash.eq(token_hash))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected > 0 {
        notify(&txn, &Change::Session(token_hash.to_owned())).await?;
    }
    txn.commit().await?;
    Ok(result.rows_affected > 0)
}

/// Ends every live session of a user (and says so to every instance) in
/// one transaction; returns how many.
pub async fn revoke_user_sessions(db: &DatabaseConnection, user_id: Uuid) -> Result<u64, Error> {
    let txn = super::begin_write(db).await?;
    let ended = end_user_sessions(&txn, user_id).await?;
    txn.commit().await?;
    Ok(ended)
}

/// Ends every live session of a user inside the caller's transaction.
pub async fn end_user_sessions<C: ConnectionTrait>(c: &C, user_id: Uuid) -> Result<u64, Error> {
    let result = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Some(now())))
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    notify(c, &Change::User(user_id)).await?;
    Ok(result.rows_affected)
}

/// Deletes sessions that ended more than `keep` ago: past their absolute
/// lifetime, idle longer than `idle`, or revoked. Until then an ended
/// session's cookie still finds its row (a disabled user's keeps its 403).
pub async fn delete_ended_sessions(
    db: &DatabaseConnection,
    idle: time::Duration,
    keep: time::Duration,
) -> Result<u64, Error> {
    let ended_before = now() - keep;
    let result = sessions::Entity::delete_many()
        .filter(
            Condition::any()
                .add(sessions::Column::ExpiresAt.lt(ended_before))
                .add(sessions::Column::LastSeenAt.lt(ended_before - idle))
                .add(sessions::Column::RevokedAt.lt(ended_before)),
        )
        .exec(db)
        .await?;
    super::notify::prune_changes(db).await?;
    Ok(result.rows_affected)
}
