//! The changes table: one row per write that affects cached sessions (a
//! session ended, a user's sessions or standing changed), inserted in the
//! writer's own transaction. SQLite instances read it to learn of another
//! process's writes (the CLI); PostgreSQL uses LISTEN/NOTIFY instead.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Changes::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Changes::Seq)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Changes::Change).string().not_null())
                    .col(
                        ColumnDef::new(Changes::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Changes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Changes {
    Table,
    Seq,
    Change,
    CreatedAt,
}
