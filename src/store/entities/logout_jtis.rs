//! The `logout_jtis` table: back-channel logout token ids already accepted.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A logout token's `jti`, remembered until the token could not be accepted anyway.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "logout_jtis")]
pub struct Model {
    /// The configured provider's name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    /// The token's `jti`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub jti: String,
    /// When the row may be deleted.
    pub expires_at: OffsetDateTime,
}

/// No relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
