//! The sealed provider tokens on identities and the refresh lease: one
//! refresh at a time per identity, across instances, taken by a
//! compare-and-swap in one short statement (no lock is held while the
//! provider is called).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::identities;
use super::{now, Error};

/// An identity's provider and its sealed tokens, as the row says now.
#[derive(Debug, Clone)]
pub struct StoredTokens {
    /// The identity's provider.
    pub provider: String,
    /// The sealed tokens, if any.
    pub sealed: Option<String>,
}

/// Replaces (or, with None, removes) an identity's sealed tokens.
pub async fn set_provider_tokens<C: ConnectionTrait>(
    db: &C,
    identity_id: Uuid,
    sealed: Option<String>,
) -> Result<(), Error> {
    identities::Entity::update_many()
        .col_expr(identities::Column::ProviderTokens, Expr::value(sealed))
        .filter(identities::Column::Id.eq(identity_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Reads an identity's sealed tokens from its row (never from a cache).
pub async fn provider_tokens(
    db: &DatabaseConnection,
    identity_id: Uuid,
) -> Result<Option<StoredTokens>, Error> {
    let row: Option<(String, Option<String>)> = identities::Entity::find_by_id(identity_id)
        .select_only()
        .column(identities::Column::Provider)
        .column(identities::Column::ProviderTokens)
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map(|(provider, sealed)| StoredTokens { provider, sealed }))
}

/// Takes the identity's refresh lease as `lease_id` until `until`, unless
/// another holder's lease (or a back-off) is still running. One UPDATE: a
/// compare-and-swap that either instance wins, never both.
pub async fn take_token_lease(
    db: &DatabaseConnection,
    identity_id: Uuid,
    lease_id: Uuid,
    until: OffsetDateTime,
) -> Result<bool, Error> {
    let at = now();
    let result = identities::Entity::update_many()
        .col_expr(
            identities::Column::TokenLeaseId,
            Expr::value(Some(lease_id)),
        )
        .col_expr(
            identities::Column::TokenLeaseUntil,
            Expr::value(Some(until)),
        )
        .filter(identities::Column::Id.eq(identity_id))
        .filter(
            Condition::any()
                .add(identities::Column::TokenLeaseUntil.is_null())
                .add(identities::Column::TokenLeaseUntil.lt(at)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Ends a refresh that held `lease_id`: writes the new sealed tokens (when
/// Some) and leaves the lease free, or blocked until `retry_after` (a
/// failed refresh backs off). Nothing is written if the lease was lost.
pub async fn finish_token_refresh(
    db: &DatabaseConnection,
    identity_id: Uuid,
    lease_id: Uuid,
    sealed: Option<String>,
    retry_after: Option<OffsetDateTime>,
) -> Result<bool, Error> {
    let mut update = identities::Entity::update_many()
        .col_expr(identities::Column::TokenLeaseId, Expr::value(None::<Uuid>))
        .col_expr(
            identities::Column::TokenLeaseUntil,
            Expr::value(retry_after),
        );
    if let Some(sealed) = sealed {
        update = update.col_expr(
            identities::Column::ProviderTokens,
            Expr::value(Some(sealed)),
        );
    }
    let result = update
        .filter(identities::Column::Id.eq(identity_id))
        .filter(identities::Column::TokenLeaseId.eq(lease_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
