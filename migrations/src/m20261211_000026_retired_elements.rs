//! What an FY2024 export held that FY2026 retired (issue 22): the client's gender
//! (3.06: Woman, Man, NonBinary, CulturallySpecific, Transgender, Questioning,
//! DifferentIdentity, GenderNone, DifferentIdentityText) and, per enrollment, sexual
//! orientation (R3) and translation assistance (C4). FY2026 has no columns for them and
//! defines no mapping to its elements (Sex is new, collected from the client), so an
//! import keeps them as they were written, one row per client (`retired_client_elements`)
//! or enrollment (`retired_enrollment_elements`): the columns as a JSON object of HUD's
//! column names to their values. They are shown on the record, never
//! exported (the FY2026 files have no place for them). Also an index of `import_keys`
//! by Hearth ID: a full refresh soft-deletes the records of its system it no longer
//! holds, and finds a remapped record's own ID through it. Both databases. A HUD change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, its key, the table the key is of).
const TABLES: [(&str, &str, &str); 2] = [
    ("retired_client_elements", "personal_id", "clients"),
    ("retired_enrollment_elements", "enrollment_id", "enrollments"),
];

const KEYS_BY_HEARTH_ID: &str = "ix_import_keys_hearth_id";

#[derive(DeriveIden)]
enum Retired {
    /// The export's CSVVersion, as written ("2024 v1.3").
    CsvVersion,
    /// `{"Woman": "1", "GenderNone": "", …}`: HUD's column names, values as written.
    Elements,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, key, of) in TABLES {
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new(table))
                        .col(string_len(Alias::new(key), 32).primary_key())
                        .col(string_len(Retired::CsvVersion, 20))
                        .col(text(Retired::Elements))
                        .col(timestamp_with_time_zone(Retired::UpdatedAt))
                        .foreign_key(
                            ForeignKey::create()
                                .from(Alias::new(table), Alias::new(key))
                                .to(Alias::new(of), Alias::new(key))
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
        }
        // A full refresh finds the source's own ID of a record it remapped by the
        // record's Hearth ID (`import/absent.rs`).
        manager
            .create_index(
                Index::create()
                    .name(KEYS_BY_HEARTH_ID)
                    .table(Alias::new("import_keys"))
                    .col(Alias::new("import_source_id"))
                    .col(Alias::new("kind"))
                    .col(Alias::new("hearth_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(KEYS_BY_HEARTH_ID)
                    .table(Alias::new("import_keys"))
                    .to_owned(),
            )
            .await?;
        for (table, _, _) in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
