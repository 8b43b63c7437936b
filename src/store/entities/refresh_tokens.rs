//! The `refresh_tokens` table: API refresh tokens, only their hash stored.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A refresh token bound to a session.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    /// UUID v7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Hex SHA-256 of the refresh token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The session it refreshes.
    pub session_id: Uuid,
    /// When it was issued.
    pub created_at: OffsetDateTime,
    /// The session's end: it lives no longer.
    pub expires_at: OffsetDateTime,
    /// Set when it was exchanged for a new one.
    pub spent_at: Option<OffsetDateTime>,
}

/// Relations of `refresh_tokens`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The session.
    #[sea_orm(
        belongs_to = "super::sessions::Entity",
        from = "Column::SessionId",
        to = "super::sessions::Column::Id",
        on_delete = "Cascade"
    )]
    Session,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
