//! The annual assessment each open household member owes, kept as a row
//! (`annual_due`: the member, its head of household and the anniversary of the first
//! window not closed and not settled), so the Annual Assessment Tool reads its page and
//! its count as one index range instead of working the windows out for every household
//! near its anniversary. The anniversary follows calendar rules SQL cannot spell the
//! same way on SQLite and PostgreSQL, so the rows are computed by Hearth
//! (`features::annual::stored`); what the triggers here keep is the list of households
//! whose rows may be stale (`annual_due_dirty`): every insert, delete or relevant update
//! of an enrollment or an annual assessment, by any writer, marks its household in its
//! own transaction, and the tool works those households out from the source rows until
//! they are recomputed. `annual_due_state.as_of` is the day the rows are computed for
//! (NULL: not built yet; the tool then reads the source rows). Not HUD tables: the HMIS
//! CSV export and the copy to PostgreSQL leave them out.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AnnualDue {
    Table,
    EnrollmentId,
    HeadEnrollmentId,
    HouseholdId,
    ProjectId,
    PersonalId,
    HeadPersonalId,
    EntryDate,
    HeadEntryDate,
    Anniversary,
}

#[derive(DeriveIden)]
enum AnnualDueDirty {
    Table,
    HouseholdId,
    Version,
}

#[derive(DeriveIden)]
enum AnnualDueState {
    Table,
    Id,
    AsOf,
}

const BY_PROJECT: &str = "ix_annual_due_project_anniversary";
const BY_HOUSEHOLD: &str = "ix_annual_due_household";
const BY_ANNIVERSARY: &str = "ix_annual_due_anniversary";

/// Marks a household stale (SQL expression for its ID): a new mark, or the next
/// version of one already there.
fn mark(household: &str) -> String {
    format!(
        "INSERT INTO annual_due_dirty (household_id, version) SELECT {household}, 1 WHERE {household} IS NOT NULL \
         ON CONFLICT (household_id) DO UPDATE SET version = annual_due_dirty.version + 1;"
    )
}

/// Marks the household of an enrollment (SQL expression for its ID).
fn mark_of_enrollment(enrollment: &str) -> String {
    format!(
        "INSERT INTO annual_due_dirty (household_id, version) SELECT e.household_id, 1 FROM enrollments e \
         WHERE e.enrollment_id = {enrollment} \
         ON CONFLICT (household_id) DO UPDATE SET version = annual_due_dirty.version + 1;"
    )
}

/// The enrollment columns the owed annual depends on.
const ENROLLMENT_COLUMNS: &str =
    "household_id, relationship_to_hoh, entry_date, exit_date, date_deleted, project_id, personal_id";

const ANNUAL: i32 = 5;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnnualDue::Table)
                    .col(string_len(AnnualDue::EnrollmentId, 32))
                    .col(string_len(AnnualDue::HeadEnrollmentId, 32))
                    .col(string_len(AnnualDue::HouseholdId, 32))
                    .col(string_len(AnnualDue::ProjectId, 32))
                    .col(string_len(AnnualDue::PersonalId, 32))
                    .col(string_len(AnnualDue::HeadPersonalId, 32))
                    .col(date(AnnualDue::EntryDate))
                    .col(date(AnnualDue::HeadEntryDate))
                    .col(date(AnnualDue::Anniversary))
                    .primary_key(
                        Index::create()
                            .col(AnnualDue::EnrollmentId)
                            .col(AnnualDue::HeadEnrollmentId),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                BY_PROJECT,
                vec![
                    AnnualDue::ProjectId,
                    AnnualDue::Anniversary,
                    AnnualDue::EntryDate,
                    AnnualDue::HouseholdId,
                    AnnualDue::EnrollmentId,
                ],
            ),
            (BY_HOUSEHOLD, vec![AnnualDue::HouseholdId]),
            (BY_ANNIVERSARY, vec![AnnualDue::Anniversary]),
        ] {
            let mut index = Index::create();
            index.name(name).table(AnnualDue::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AnnualDueDirty::Table)
                    .col(string_len(AnnualDueDirty::HouseholdId, 32).primary_key())
                    .col(big_integer(AnnualDueDirty::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnualDueState::Table)
                    .col(integer(AnnualDueState::Id).primary_key())
                    .col(date_null(AnnualDueState::AsOf))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO annual_due_state (id, as_of) VALUES (1, NULL)")
            .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION hearth_annual_due_enrollment() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' THEN {} END IF; \
                     IF TG_OP <> 'DELETE' THEN {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark("OLD.household_id"),
                    mark("NEW.household_id")
                ),
                format!(
                    "CREATE TRIGGER enrollments_annual_due AFTER INSERT OR DELETE OR UPDATE OF {ENROLLMENT_COLUMNS} \
                     ON enrollments FOR EACH ROW EXECUTE FUNCTION hearth_annual_due_enrollment()"
                ),
                format!(
                    "CREATE FUNCTION hearth_annual_due_assessment() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' AND OLD.data_collection_stage = {ANNUAL} THEN {} END IF; \
                     IF TG_OP <> 'DELETE' AND NEW.data_collection_stage = {ANNUAL} THEN {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                "CREATE TRIGGER assessment_events_annual_due AFTER INSERT OR UPDATE OR DELETE \
                 ON assessment_events FOR EACH ROW EXECUTE FUNCTION hearth_annual_due_assessment()"
                    .into(),
            ],
            _ => vec![
                format!(
                    "CREATE TRIGGER enrollments_annual_due_insert AFTER INSERT ON enrollments BEGIN {} END",
                    mark("NEW.household_id")
                ),
                format!(
                    "CREATE TRIGGER enrollments_annual_due_update AFTER UPDATE OF {ENROLLMENT_COLUMNS} ON enrollments \
                     BEGIN {} {} END",
                    mark("OLD.household_id"),
                    mark("NEW.household_id")
                ),
                format!(
                    "CREATE TRIGGER enrollments_annual_due_delete AFTER DELETE ON enrollments BEGIN {} END",
                    mark("OLD.household_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_annual_due_insert AFTER INSERT ON assessment_events \
                     WHEN NEW.data_collection_stage = {ANNUAL} BEGIN {} END",
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_annual_due_update AFTER UPDATE ON assessment_events \
                     WHEN OLD.data_collection_stage = {ANNUAL} OR NEW.data_collection_stage = {ANNUAL} BEGIN {} {} END",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_annual_due_delete AFTER DELETE ON assessment_events \
                     WHEN OLD.data_collection_stage = {ANNUAL} BEGIN {} END",
                    mark_of_enrollment("OLD.enrollment_id")
                ),
            ],
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS enrollments_annual_due ON enrollments",
                "DROP FUNCTION IF EXISTS hearth_annual_due_enrollment()",
                "DROP TRIGGER IF EXISTS assessment_events_annual_due ON assessment_events",
                "DROP FUNCTION IF EXISTS hearth_annual_due_assessment()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS enrollments_annual_due_insert",
                "DROP TRIGGER IF EXISTS enrollments_annual_due_update",
                "DROP TRIGGER IF EXISTS enrollments_annual_due_delete",
                "DROP TRIGGER IF EXISTS assessment_events_annual_due_insert",
                "DROP TRIGGER IF EXISTS assessment_events_annual_due_update",
                "DROP TRIGGER IF EXISTS assessment_events_annual_due_delete",
            ],
        };
        for sql in drops {
            db.execute_unprepared(sql).await?;
        }
        manager
            .drop_table(Table::drop().table(AnnualDueState::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AnnualDueDirty::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AnnualDue::Table).to_owned())
            .await
    }
}
