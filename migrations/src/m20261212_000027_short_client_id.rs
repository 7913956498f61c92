//! The short client ID people read and type ("9C21-A27D", the last eight of the
//! 32 hexadecimal characters of Hearth's IDs, which are random where the first ones
//! are a time stamp) found through an index: an expression index on those eight
//! characters, which the client search's `substr(c.personal_id, 25, 8) = ?` uses on
//! both databases. Not a HUD change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ix_clients_short_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {INDEX} ON clients (substr(personal_id, 25, 8))"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP INDEX {INDEX}"))
            .await?;
        Ok(())
    }
}
