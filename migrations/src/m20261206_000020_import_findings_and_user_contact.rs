//! The import report and what HMIS CSV imports bring in (issue 22). `import_findings`
//! keeps, one row each, the findings of an import job (a bad cell or row, where it was,
//! what was done about it), so the report pages through them; they go with their job.
//! `users` gains the User.csv columns it lacked (UserPhone, UserExtension,
//! DateDeleted). The clients' names widen to 64 characters on PostgreSQL: an export
//! with hashed names (HashStatus 4) carries 64 hex digits in each; SQLite does not
//! enforce the length, so nothing changes there.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportFindings {
    Table,
    JobRunId,
    /// The finding's place in the job's report (0, 1, …).
    Seq,
    /// The CSV file (`Client.csv`).
    File,
    /// The line in the file (1 is the header).
    Line,
    ColumnName,
    /// The value as read.
    Value,
    /// `api::FindingKind::as_str`.
    Kind,
    /// `api::FindingAction::as_str`.
    Action,
    Message,
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    JobRunId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    /// User.csv UserPhone (10 digits).
    Phone,
    /// User.csv UserExtension.
    PhoneExtension,
    DateDeleted,
}

const INDEX: &str = "ix_import_findings_job_file_kind";

/// The clients' name columns and their search keys: varchar(50), made varchar(64) on
/// PostgreSQL.
const NAMES: [&str; 6] = [
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "first_name_key",
    "last_name_key",
];
const OLD_LENGTH: usize = 50;
const NEW_LENGTH: usize = 64;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportFindings::Table)
                    .col(string_len(ImportFindings::JobRunId, 32))
                    .col(big_integer(ImportFindings::Seq))
                    .col(string_len(ImportFindings::File, 40))
                    .col(big_integer(ImportFindings::Line))
                    .col(string_len_null(ImportFindings::ColumnName, 64))
                    .col(text_null(ImportFindings::Value))
                    .col(string_len(ImportFindings::Kind, 32))
                    .col(string_len(ImportFindings::Action, 32))
                    .col(text(ImportFindings::Message))
                    .primary_key(
                        Index::create()
                            .col(ImportFindings::JobRunId)
                            .col(ImportFindings::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportFindings::Table, ImportFindings::JobRunId)
                            .to(JobRuns::Table, JobRuns::JobRunId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A file's findings of one kind, in report order (the report's filter).
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(ImportFindings::Table)
                    .col(ImportFindings::JobRunId)
                    .col(ImportFindings::File)
                    .col(ImportFindings::Kind)
                    .col(ImportFindings::Seq)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for mut column in [
            string_len_null(Users::Phone, 10),
            string_len_null(Users::PhoneExtension, 5),
            timestamp_with_time_zone_null(Users::DateDeleted),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            for name in NAMES {
                db.execute_unprepared(&format!(
                    "ALTER TABLE clients ALTER COLUMN {name} TYPE varchar({NEW_LENGTH})"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // A name column narrows back only when every stored name fits: a rollback
            // never cuts a (hashed) name short.
            let db = manager.get_connection();
            for name in NAMES {
                db.execute_unprepared(&format!(
                    "DO $$ BEGIN \
                     IF NOT EXISTS (SELECT 1 FROM clients WHERE length({name}) > {OLD_LENGTH}) THEN \
                     ALTER TABLE clients ALTER COLUMN {name} TYPE varchar({OLD_LENGTH}); \
                     END IF; END $$"
                ))
                .await?;
            }
        }
        for column in [Users::DateDeleted, Users::PhoneExtension, Users::Phone] {
            manager
                .alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .drop_index(Index::drop().name(INDEX).table(ImportFindings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ImportFindings::Table).to_owned())
            .await
    }
}
