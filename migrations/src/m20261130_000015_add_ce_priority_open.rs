//! The priority list entry knows whether its CE enrollment is open
//! (`ce_priority.enrollment_open`), kept by a trigger on `enrollments` — whose exit date
//! the triggers on `exits` keep — so every exit and re-entry, by any writer, changes it
//! in its own transaction, and the list counts and pages on one index instead of
//! reading every placed entry's enrollment (1.5 s for 226,000 placed entries).

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CePriority {
    Table,
    EnrollmentOpen,
    Placed,
    Score,
    HomelessSince,
    AssessmentDate,
    EnrollmentId,
}

const OLD_INDEX: &str = "ix_ce_priority_rank";
const INDEX: &str = "ix_ce_priority_open_rank";
const OPEN: &str = "(NEW.exit_date IS NULL AND NEW.date_deleted IS NULL)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CePriority::Table)
                    .add_column(boolean(CePriority::EnrollmentOpen).default(false))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE ce_priority SET enrollment_open = EXISTS (SELECT 1 FROM enrollments e \
             WHERE e.enrollment_id = ce_priority.enrollment_id AND e.exit_date IS NULL AND e.date_deleted IS NULL)",
        )
        .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION hearth_ce_priority_open() RETURNS trigger AS $$ BEGIN \
                     UPDATE ce_priority SET enrollment_open = {OPEN} WHERE enrollment_id = NEW.enrollment_id; \
                     RETURN NULL; END $$ LANGUAGE plpgsql"
                ),
                "CREATE TRIGGER enrollments_ce_priority_open AFTER UPDATE OF exit_date, date_deleted ON enrollments \
                 FOR EACH ROW EXECUTE FUNCTION hearth_ce_priority_open()"
                    .into(),
            ],
            _ => vec![format!(
                "CREATE TRIGGER enrollments_ce_priority_open AFTER UPDATE OF exit_date, date_deleted ON enrollments \
                 BEGIN UPDATE ce_priority SET enrollment_open = {OPEN} WHERE enrollment_id = NEW.enrollment_id; END"
            )],
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        manager
            .drop_index(Index::drop().name(OLD_INDEX).table(CePriority::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(CePriority::Table)
                    .col(CePriority::Placed)
                    .col(CePriority::EnrollmentOpen)
                    .col((CePriority::Score, IndexOrder::Desc))
                    .col(CePriority::HomelessSince)
                    .col(CePriority::AssessmentDate)
                    .col(CePriority::EnrollmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(CePriority::Table).to_owned())
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER enrollments_ce_priority_open ON enrollments")
                    .await?;
                db.execute_unprepared("DROP FUNCTION hearth_ce_priority_open()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER enrollments_ce_priority_open")
                    .await?;
            }
        }
        manager
            .alter_table(
                Table::alter()
                    .table(CePriority::Table)
                    .drop_column(CePriority::EnrollmentOpen)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(OLD_INDEX)
                    .table(CePriority::Table)
                    .col(CePriority::Placed)
                    .col((CePriority::Score, IndexOrder::Desc))
                    .col(CePriority::HomelessSince)
                    .col(CePriority::AssessmentDate)
                    .col(CePriority::EnrollmentId)
                    .to_owned(),
            )
            .await
    }
}
