//! The `user_roles` table: local roles, primary key (user_id, role).

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A role granted to a user.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_roles")]
pub struct Model {
    /// The user.
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The role's name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    /// When it was granted.
    pub created_at: OffsetDateTime,
}

/// Relations of `user_roles`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
