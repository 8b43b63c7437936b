//! identities.groups (the provider's groups, a JSON array) and the time they
//! were fetched: both NULL when the provider's groups are not wanted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Identities::Table)
                    .add_column(ColumnDef::new(Identities::Groups).json().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Identities::Table)
                    .add_column(
                        ColumnDef::new(Identities::GroupsFetchedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Identities::GroupsFetchedAt, Identities::Groups] {
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
    Groups,
    GroupsFetchedAt,
}
