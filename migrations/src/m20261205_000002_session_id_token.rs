//! What a session remembers of the ID token it signed in with: its `sub`
//! and `sid` (back-channel logout) and the token itself, sealed
//! (RP-initiated logout's id_token_hint).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new(Sessions::IdTokenSub)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Sessions::IdTokenSid)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Sessions::IdToken).text().null().to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for (name, column) in [
            ("sessions_id_token_sub", Sessions::IdTokenSub),
            ("sessions_id_token_sid", Sessions::IdTokenSid),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Sessions::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["sessions_id_token_sub", "sessions_id_token_sid"] {
            manager
                .drop_index(Index::drop().name(name).table(Sessions::Table).to_owned())
                .await?;
        }
        for column in [
            Sessions::IdTokenSub,
            Sessions::IdTokenSid,
            Sessions::IdToken,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sessions::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdTokenSub,
    IdTokenSid,
    IdToken,
}
