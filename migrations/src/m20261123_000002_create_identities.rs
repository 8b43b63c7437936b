//! The identities table: a (provider, subject) pair signed in with, owned by a user.

use sea_orm_migration::prelude::*;

use crate::m20261123_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Identities::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Identities::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Identities::UserId).uuid().not_null())
                    .col(ColumnDef::new(Identities::Provider).string().not_null())
                    .col(ColumnDef::new(Identities::Subject).string().not_null())
                    .col(ColumnDef::new(Identities::Username).string().null())
                    .col(ColumnDef::new(Identities::Email).string().null())
                    .col(
                        ColumnDef::new(Identities::EmailVerified)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Identities::Profile).json().not_null())
                    .col(
                        ColumnDef::new(Identities::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Identities::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_identities_user")
                            .from(Identities::Table, Identities::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("identities_provider_subject")
                    .table(Identities::Table)
                    .col(Identities::Provider)
                    .col(Identities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("identities_user_id")
                    .table(Identities::Table)
                    .col(Identities::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Identities::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Identities {
    Table,
    Id,
    UserId,
    Provider,
    Subject,
    Username,
    Email,
    EmailVerified,
    Profile,
    CreatedAt,
    UpdatedAt,
}
