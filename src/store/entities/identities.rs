//! The `identities` table: (provider, subject) is unique.

use sea_orm::entity::prelude::*;
use time::OffsetDateTime;

/// A provider account signed in with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identities")]
pub struct Model {
    /// UUID v7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The owning user.
    pub user_id: Uuid,
    /// The configured provider's name.
    pub provider: String,
    /// The provider's stable user id.
    pub subject: String,
    /// Login name at the provider.
    pub username: Option<String>,
    /// Email at the provider.
    pub email: Option<String>,
    /// Whether the provider verified it.
    pub email_verified: bool,
    /// The provider's profile document.
    pub profile: Json,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// The provider's groups (a JSON array), when they are wanted.
    pub groups: Option<Json>,
    /// When `groups` was fetched.
    pub groups_fetched_at: Option<OffsetDateTime>,
    /// The provider's tokens (`store_tokens`), sealed with the identity id
    /// as associated data; never logged, never shown.
    pub provider_tokens: Option<String>,
    /// Who holds the refresh lease (one refresh at a time per identity).
    pub token_lease_id: Option<Uuid>,
    /// Until when the lease (or the back-off after a failed refresh) holds.
    pub token_lease_until: Option<OffsetDateTime>,
}

/// Relations of `identities`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The owning user.
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
