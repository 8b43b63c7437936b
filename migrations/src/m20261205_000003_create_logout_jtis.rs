//! The logout_jtis table: the `jti` of every back-channel logout token
//! accepted, per provider, until it could no longer be accepted anyway, so
//! that a replay is refused by every instance.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LogoutJtis::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(LogoutJtis::Provider).string().not_null())
                    .col(ColumnDef::new(LogoutJtis::Jti).string().not_null())
                    .col(
                        ColumnDef::new(LogoutJtis::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(LogoutJtis::Provider)
                            .col(LogoutJtis::Jti),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("logout_jtis_expires_at")
                    .table(LogoutJtis::Table)
                    .col(LogoutJtis::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LogoutJtis::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LogoutJtis {
    Table,
    Provider,
    Jti,
    ExpiresAt,
}
