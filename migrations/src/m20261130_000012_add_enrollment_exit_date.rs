//! The exit date kept on the enrollment row (`enrollments.exit_date`, NULL while the
//! enrollment is open), maintained by triggers on `exits` — so every writer (the exit
//! workflows, re-enter, the HMIS CSV import, demo data, the auto-exit sweep) keeps it
//! right in its own transaction — and an index of heads of household by project, open
//! or not, and start date. Lists of open enrollments (the Annual Assessment Tool, the
//! milestone report) read only open rows instead of probing `exits` for each one.
//! Not a HUD column: the HMIS CSV export does not know it.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enrollments {
    Table,
    ExitDate,
    ProjectId,
    RelationshipToHoh,
    EntryDate,
}

const INDEX: &str = "ix_enrollments_project_head_open_entry";

/// The live exit's date of one enrollment (SQL expression over `eid`).
fn live_exit(eid: &str) -> String {
    format!("(SELECT x.exit_date FROM exits x WHERE x.enrollment_id = {eid} AND x.date_deleted IS NULL)")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Enrollments::Table)
                    .add_column(date_null(Enrollments::ExitDate))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE enrollments SET exit_date = {}",
            live_exit("enrollments.enrollment_id")
        ))
        .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION hearth_enrollment_exit_date() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' THEN \
                       UPDATE enrollments SET exit_date = {} WHERE enrollment_id = OLD.enrollment_id; \
                     END IF; \
                     IF TG_OP <> 'DELETE' THEN \
                       UPDATE enrollments SET exit_date = {} WHERE enrollment_id = NEW.enrollment_id; \
                     END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    live_exit("OLD.enrollment_id"),
                    live_exit("NEW.enrollment_id")
                ),
                "CREATE TRIGGER exits_keep_enrollment_exit_date AFTER INSERT OR UPDATE OR DELETE ON exits \
                 FOR EACH ROW EXECUTE FUNCTION hearth_enrollment_exit_date()"
                    .into(),
            ],
            _ => vec![
                format!(
                    "CREATE TRIGGER exits_exit_date_insert AFTER INSERT ON exits BEGIN \
                     UPDATE enrollments SET exit_date = {} WHERE enrollment_id = NEW.enrollment_id; END",
                    live_exit("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER exits_exit_date_update AFTER UPDATE ON exits BEGIN \
                     UPDATE enrollments SET exit_date = {} WHERE enrollment_id = OLD.enrollment_id; \
                     UPDATE enrollments SET exit_date = {} WHERE enrollment_id = NEW.enrollment_id; END",
                    live_exit("OLD.enrollment_id"),
                    live_exit("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER exits_exit_date_delete AFTER DELETE ON exits BEGIN \
                     UPDATE enrollments SET exit_date = {} WHERE enrollment_id = OLD.enrollment_id; END",
                    live_exit("OLD.enrollment_id")
                ),
            ],
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Enrollments::Table)
                    .col(Enrollments::ProjectId)
                    .col(Enrollments::RelationshipToHoh)
                    .col(Enrollments::ExitDate)
                    .col(Enrollments::EntryDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS exits_keep_enrollment_exit_date ON exits",
                "DROP FUNCTION IF EXISTS hearth_enrollment_exit_date()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS exits_exit_date_insert",
                "DROP TRIGGER IF EXISTS exits_exit_date_update",
                "DROP TRIGGER IF EXISTS exits_exit_date_delete",
            ],
        };
        for sql in drops {
            db.execute_unprepared(sql).await?;
        }
        manager
            .drop_index(Index::drop().name(INDEX).table(Enrollments::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Enrollments::Table)
                    .drop_column(Enrollments::ExitDate)
                    .to_owned(),
            )
            .await
    }
}
