//! Exits found by how they were written (manual, auto, admin), newest first: the list
//! of administrative exits an agency admin reads. Not a HUD change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Exits {
    Table,
    ExitMethod,
    CreatedAt,
}

const EXITS_BY_METHOD: &str = "ix_exits_method_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(EXITS_BY_METHOD)
                    .table(Exits::Table)
                    .col(Exits::ExitMethod)
                    .col(Exits::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(EXITS_BY_METHOD).table(Exits::Table).to_owned())
            .await
    }
}
