//! Back-channel logout in the store: the token's jti is remembered (a replay
//! is refused by every instance) and the matching sessions end, each with a
//! `sign_out` event, in one transaction, with a change notice for every
//! instance's session cache.

use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use time::OffsetDateTime;

use super::entities::{identities, logout_jtis, sessions};
use super::notify::{notify, Change};
use super::{now, record_event, Error, EventKind, NewEvent};

/// Which sessions a logout token names, for one provider.
#[derive(Debug, Clone)]
pub struct LogoutTarget<'a> {
    /// The provider's name.
    pub provider: &'a str,
    /// The ID token `sub`, if the logout token has one.
    pub sub: Option<&'a str>,
    /// The ID token `sid`, if the logout token has one.
    pub sid: Option<&'a str>,
    /// The logout token's jti.
    pub jti: &'a str,
    /// Until when the jti must be remembered.
    pub jti_expires_at: OffsetDateTime,
}

/// Records the jti and ends the sessions the token names: with a sid only
/// the sessions whose ID token carried it (and the sub, when given); with a
/// sub alone every session whose ID token carried it. Returns the token
/// hashes of the sessions ended, or None when the jti was seen before.
pub async fn backchannel_logout(
    db: &DatabaseConnection,
    target: &LogoutTarget<'_>,
) -> Result<Option<Vec<String>>, Error> {
    let txn = super::begin_write(db).await?;
    if !remember_jti(&txn, target).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let ended = end_matching(&txn, target).await?;
    txn.commit().await?;
    Ok(Some(ended))
}

/// Inserts the jti unless present (then false); drops expired ones first.
async fn remember_jti(txn: &DatabaseTransaction, target: &LogoutTarget<'_>) -> Result<bool, Error> {
    logout_jtis::Entity::delete_many()
        .filter(logout_jtis::Column::ExpiresAt.lt(now()))
        .exec(txn)
        .await?;
    let row = logout_jtis::ActiveModel {
        provider: Set(target.provider.to_owned()),
        jti: Set(target.jti.to_owned()),
        expires_at: Set(target.jti_expires_at),
    };
    let conflict = OnConflict::columns([logout_jtis::Column::Provider, logout_jtis::Column::Jti])
        .do_nothing()
        .to_owned();
    let inserted = logout_jtis::Entity::insert(row)
        .on_conflict(conflict)
        .exec_without_returning(txn)
        .await?;
    Ok(inserted == 1)
}

async fn end_matching(
    txn: &DatabaseTransaction,
    target: &LogoutTarget<'_>,
) -> Result<Vec<String>, Error> {
    if target.sid.is_none() && target.sub.is_none() {
        return Ok(Vec::new());
    }
    let of_provider = Query::select()
        .column(identities::Column::Id)
        .from(identities::Entity)
        .and_where(identities::Column::Provider.eq(target.provider))
        .to_owned();
    let mut live = sessions::Entity::find()
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::IdentityId.in_subquery(of_provider));
    if let Some(sid) = target.sid {
        live = live.filter(sessions::Column::IdTokenSid.eq(sid));
    }
    if let Some(sub) = target.sub {
        live = live.filter(sessions::Column::IdTokenSub.eq(sub));
    }
    let found: Vec<(uuid::Uuid, uuid::Uuid, String)> = live
        .select_only()
        .column(sessions::Column::Id)
        .column(sessions::Column::UserId)
        .column(sessions::Column::TokenHash)
        .into_tuple()
        .all(txn)
        .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Some(now())))
        .filter(sessions::Column::Id.is_in(found.iter().map(|(id, _, _)| *id)))
        .exec(txn)
        .await?;
    let mut hashes = Vec::with_capacity(found.len());
    for (id, user_id, hash) in found {
        let detail = serde_json::json!({ "by": "provider", "session_id": id.to_string() });
        let event = NewEvent::new(EventKind::SignOut, Some(user_id))
            .provider(target.provider)
            .detail(detail);
        record_event(txn, event).await?;
        notify(txn, &Change::Session(hash.clone())).await?;
        hashes.push(hash);
    }
    Ok(hashes)
}
