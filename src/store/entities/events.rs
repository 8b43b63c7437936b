//! The `events` table: an append-only record of what happened to users.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    /// UUID v7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user it happened to, when there is one (a refused sign-in may have none).
    pub user_id: Option<Uuid>,
    /// What happened: `sign_in`, `link`, `session_revoked`, ...
    pub kind: String,
    /// The provider involved, if any.
    pub provider: Option<String>,
    /// The client IP of the request that caused it, if any.
    pub ip: Option<String>,
    /// The client User-Agent of that request, if any.
    pub user_agent: Option<String>,
    /// Details that depend on the kind (a JSON object).
    pub detail: Json,
    /// When it happened.
    pub created_at: OffsetDateTime,
}

/// Relations of `events`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user it happened to.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
