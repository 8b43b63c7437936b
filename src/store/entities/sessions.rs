//! The `sessions` table: only token hashes are stored.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A server-side session.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// UUID v7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Hex SHA-256 of the session token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The signed-in user.
    pub user_id: Uuid,
    /// The identity signed in with.
    pub identity_id: Uuid,
    /// Start time.
    pub created_at: OffsetDateTime,
    /// Last use (written at most once a minute).
    pub last_seen_at: OffsetDateTime,
    /// End of the absolute lifetime.
    pub expires_at: OffsetDateTime,
    /// Set when the session was ended.
    pub revoked_at: Option<OffsetDateTime>,
    /// Client IP at sign-in.
    pub ip: Option<String>,
    /// User-Agent at sign-in.
    pub user_agent: Option<String>,
    /// The `sub` of the ID token signed in with (back-channel logout).
    pub id_token_sub: Option<String>,
    /// The `sid` of the ID token signed in with (back-channel logout).
    pub id_token_sid: Option<String>,
    /// The ID token itself, sealed (RP-initiated logout's id_token_hint).
    pub id_token: Option<String>,
}

/// Relations of `sessions`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The signed-in user.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
    /// The identity signed in with.
    #[sea_orm(
        belongs_to = "super::identities::Entity",
        from = "Column::IdentityId",
        to = "super::identities::Column::Id",
        on_delete = "Cascade"
    )]
    Identity,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
