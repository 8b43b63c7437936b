//! Provider tokens on identities (`store_tokens`): one sealed column holding
//! the access token, refresh token, expiry and scopes, and the refresh lease
//! that lets one instance at a time refresh them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let columns = [
            ColumnDef::new(Identities::ProviderTokens)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Identities::TokenLeaseId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(Identities::TokenLeaseUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Identities::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Identities::ProviderTokens,
            Identities::TokenLeaseId,
            Identities::TokenLeaseUntil,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Identities::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Identities {
    Table,
    ProviderTokens,
    TokenLeaseId,
    TokenLeaseUntil,
}
