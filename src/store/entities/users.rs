//! The `users` table.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A person; several identities may belong to one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// UUID v7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Display name, copied from the identity last signed in with.
    pub name: Option<String>,
    /// Email, copied from the identity last signed in with.
    pub email: Option<String>,
    /// Whether that provider verified the email.
    pub email_verified: bool,
    /// Avatar URL.
    pub avatar_url: Option<String>,
    /// A disabled user cannot sign in and its sessions end.
    pub disabled: bool,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Last completed sign-in.
    pub last_login_at: Option<OffsetDateTime>,
}

/// Relations of `users`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// A user's identities.
    #[sea_orm(has_many = "super::identities::Entity")]
    Identities,
}

impl Related<super::identities::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Identities.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
