//! The priority list's rank order read from an index on SQLite: the order puts
//! households with no "homeless since" date last on equal scores, which SQLite writes
//! as `(homeless_since IS NULL), homeless_since` (it sorts missing values first). An
//! index on that expression lets a page of 50 be read in rank order instead of sorting
//! every listed household (7,655 at 1,000,000 clients). PostgreSQL sorts missing dates
//! last already and reads the page from `ix_ce_priority_open_rank` as it is. Not a HUD
//! change.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD_INDEX: &str = "ix_ce_priority_open_rank";
const INDEX: &str = "ix_ce_priority_open_rank_nulls_last";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE INDEX {INDEX} ON ce_priority (placed, enrollment_open, score DESC, \
             (homeless_since IS NULL), homeless_since, assessment_date, enrollment_id)"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {OLD_INDEX}")).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE INDEX {OLD_INDEX} ON ce_priority (placed, enrollment_open, score DESC, \
             homeless_since, assessment_date, enrollment_id)"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {INDEX}")).await?;
        Ok(())
    }
}
