//! The auto-exit sweep's reads answered from indexes alone. For each batch of heads of
//! household the sweep reads their households' open members and each member's latest
//! service, bed night and contact. Both were read from the tables: the members' rows
//! (project, exit, deletion, person, entry) one random page each, and every service of
//! an enrollment (for its record type and deletion) to find the latest of a kind — a
//! shelter stay holds a bed night a night. Over a million clients that was tens of
//! seconds of page reads (docs/PERFORMANCE.md, "Auto-exit sweep"). Each index is
//! replaced by one with the same leading columns (and a new name) and the columns those reads need, so
//! every query that used the old one can use the new one. Both databases. Not a HUD
//! change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, old index, its columns, new index, its columns).
const INDEXES: [(&str, &str, &str, &str, &str); 2] = [
    (
        "enrollments",
        "ix_enrollments_household",
        "household_id",
        "ix_enrollments_household_members",
        "household_id, project_id, exit_date, date_deleted, relationship_to_hoh, entry_date, \
         personal_id, enrollment_id",
    ),
    (
        "services",
        "ix_services_enrollment_date",
        "enrollment_id, date_provided",
        "ix_services_enrollment_date_type",
        "enrollment_id, date_provided, record_type, date_deleted",
    ),
];

/// Creates `new` on `table`, then drops `old`: the table is never without one.
async fn replace(
    manager: &SchemaManager<'_>,
    table: &str,
    old: &str,
    new: (&str, &str),
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let (index, columns) = new;
    db.execute_unprepared(&format!("CREATE INDEX {index} ON {table} ({columns})"))
        .await?;
    db.execute_unprepared(&format!("DROP INDEX {old}")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, old, _, new, columns) in INDEXES {
            replace(manager, table, old, (new, columns)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, old, columns, new, _) in INDEXES {
            replace(manager, table, new, (old, columns)).await?;
        }
        Ok(())
    }
}
