//! Whose records an import brought in (issue 22): a Continuum of Care may import the
//! exports of several systems, and their IDs collide (two systems' PersonalID 1 are
//! two people). `import_sources` holds each system that was imported from, known by the
//! ImplementationID its Export.csv carries; every imported record keeps its source in
//! `import_source_id` (NULL: made in Hearth, or imported from Hearth's own export). An
//! ID that is already another source's, or Hearth's, gets a new Hearth ID, and
//! `import_keys` keeps the pair, so the next import from that source updates the same
//! record instead of making a second one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportSources {
    Table,
    ImportSourceId,
    /// Export.csv ImplementationID (or, when empty, SoftwareName and SourceID).
    ImplementationId,
    SoftwareName,
    SourceName,
    FirstImportedAt,
    LastImportedAt,
}

#[derive(DeriveIden)]
enum ImportKeys {
    Table,
    ImportSourceId,
    /// The ID's kind: the file whose records it names (`Client.csv`), or `HouseholdID`.
    Kind,
    /// The ID as the source wrote it.
    SourceKey,
    /// The Hearth ID it became.
    HearthId,
}

/// The tables an import writes, each with its records' source.
const TABLES: [&str; 23] = [
    "organizations",
    "users",
    "projects",
    "funders",
    "project_cocs",
    "inventories",
    "affiliations",
    "hmis_participations",
    "ce_participations",
    "clients",
    "enrollments",
    "exits",
    "income_benefits",
    "health_and_dvs",
    "employment_educations",
    "disabilities",
    "services",
    "current_living_situations",
    "assessments",
    "assessment_questions",
    "assessment_results",
    "events",
    "youth_education_statuses",
];

const COLUMN: &str = "import_source_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportSources::Table)
                    .col(pk_auto(ImportSources::ImportSourceId))
                    .col(string_len_uniq(ImportSources::ImplementationId, 400))
                    .col(string_len_null(ImportSources::SoftwareName, 50))
                    .col(string_len_null(ImportSources::SourceName, 50))
                    .col(timestamp_with_time_zone(ImportSources::FirstImportedAt))
                    .col(timestamp_with_time_zone(ImportSources::LastImportedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportKeys::Table)
                    .col(integer(ImportKeys::ImportSourceId))
                    .col(string_len(ImportKeys::Kind, 40))
                    .col(string_len(ImportKeys::SourceKey, 64))
                    .col(string_len(ImportKeys::HearthId, 64))
                    .primary_key(
                        Index::create()
                            .col(ImportKeys::ImportSourceId)
                            .col(ImportKeys::Kind)
                            .col(ImportKeys::SourceKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportKeys::Table, ImportKeys::ImportSourceId)
                            .to(ImportSources::Table, ImportSources::ImportSourceId),
                    )
                    .to_owned(),
            )
            .await?;
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(integer_null(Alias::new(COLUMN)))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(COLUMN))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ImportKeys::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ImportSources::Table).to_owned())
            .await
    }
}
