//! The data-quality facts of each enrollment, kept as a row (`dq_facts`): what the
//! data-quality report asks of an enrollment that does not depend on the report's
//! period — which HUD elements are "don't know / refused" or missing, whether the
//! client was an adult at entry, the days from a start or exit to its entry in Hearth,
//! the overlapping enrollment, the household's heads and their first exit, the close of
//! the first annual window the member has no annual in — so the report over a whole
//! CoC reads one narrow row per enrollment instead of joining each to its client, exit,
//! income records, annuals and household. The facts are computed by Hearth
//! (`features::data_quality::kept`), with the same SQL the report uses on the source
//! rows; what the triggers here keep is the list of households whose facts may be
//! stale (`dq_dirty`): every insert, delete or relevant update of an enrollment, a
//! client, an exit, an income record at entry or exit or an annual assessment, by any
//! writer, marks the households it touches in its own transaction, and the report
//! works those households out from the source rows until they are recomputed. A
//! changed enrollment also marks the client's other households in the project (an
//! overlap is between two of them). `dq_facts_state.built` is 0 until the facts are
//! built; the report then reads the source rows. Not HUD tables: the HMIS CSV export
//! and the copy to PostgreSQL leave them out.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DqFacts {
    Table,
    EnrollmentId,
    HouseholdId,
    PersonalId,
    ProjectId,
    EntryDate,
    ExitDate,
    Head,
    Adult,
    DontKnow,
    Missing,
    XExitDate,
    StartLag,
    ExitLag,
    OverlapFrom,
    Heads,
    HeadExit,
    HeadExitLast,
    ChildHead,
    AnnualMissed,
}

#[derive(DeriveIden)]
enum DqDirty {
    Table,
    HouseholdId,
    Version,
}

#[derive(DeriveIden)]
enum DqFactsState {
    Table,
    Id,
    Built,
}

const BY_PROJECT: &str = "ix_dq_facts_project_entry";
const BY_HOUSEHOLD: &str = "ix_dq_facts_household";

/// Marks the households `select` answers (a `SELECT <household ID>, 1 FROM … WHERE …`):
/// a new mark, or the next version of one already there.
fn mark(select: &str) -> String {
    format!(
        "INSERT INTO dq_dirty (household_id, version) {select} \
         ON CONFLICT (household_id) DO UPDATE SET version = dq_dirty.version + 1;"
    )
}

/// Marks one household (SQL expression for its ID).
fn mark_household(household: &str) -> String {
    mark(&format!("SELECT {household}, 1 WHERE {household} IS NOT NULL"))
}

/// Marks the household of an enrollment (SQL expression for its ID).
fn mark_of_enrollment(enrollment: &str) -> String {
    mark(&format!(
        "SELECT e.household_id, 1 FROM enrollments e WHERE e.enrollment_id = {enrollment}"
    ))
}

/// Marks the households of a client's enrollments in a project (an overlap).
fn mark_client_in_project(row: &str) -> String {
    mark(&format!(
        "SELECT e.household_id, 1 FROM enrollments e WHERE e.personal_id = {row}.personal_id \
         AND e.project_id = {row}.project_id"
    ))
}

/// Marks the households of every enrollment of a client.
fn mark_client(personal: &str) -> String {
    mark(&format!(
        "SELECT e.household_id, 1 FROM enrollments e WHERE e.personal_id = {personal}"
    ))
}

/// The enrollment columns the facts depend on.
const ENROLLMENT_COLUMNS: &str = "household_id, relationship_to_hoh, entry_date, exit_date, date_deleted, \
     project_id, personal_id, disabling_condition, living_situation, created_at";

/// The client columns the facts depend on (the SSN only for whether there is one: a
/// key rotation seals every SSN anew and changes no fact).
const CLIENT_COLUMNS: [&str; 16] = [
    "name_data_quality",
    "first_name",
    "last_name",
    "ssn_data_quality",
    "dob_data_quality",
    "dob",
    "race_none",
    "am_ind_ak_native",
    "asian",
    "black_af_american",
    "hispanic_latinao",
    "mid_east_n_african",
    "native_hi_pacific",
    "white",
    "sex",
    "veteran_status",
];

/// The exit columns the facts depend on.
const EXIT_COLUMNS: &str = "enrollment_id, exit_date, destination, created_at, date_deleted";

/// The income columns the facts depend on (records at entry, 1, and exit, 3).
const INCOME_COLUMNS: &str = "enrollment_id, data_collection_stage, income_from_any_source, date_deleted";
const INCOME_STAGES: &str = "(1, 3)";

/// Annual assessments (stage 5): a member's first unsettled annual window.
const ANNUAL: i32 = 5;

/// Whether a client update changed a fact's column (`distinct`: the dialect's null-safe
/// "differs").
fn client_changed(distinct: &str) -> String {
    let mut parts: Vec<String> = CLIENT_COLUMNS
        .iter()
        .map(|c| format!("OLD.{c} {distinct} NEW.{c}"))
        .collect();
    parts.push("(OLD.ssn_encrypted IS NULL) <> (NEW.ssn_encrypted IS NULL)".into());
    parts.join(" OR ")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DqFacts::Table)
                    .col(string_len(DqFacts::EnrollmentId, 32).primary_key())
                    .col(string_len(DqFacts::HouseholdId, 32))
                    .col(string_len(DqFacts::PersonalId, 32))
                    .col(string_len(DqFacts::ProjectId, 32))
                    .col(date(DqFacts::EntryDate))
                    .col(date_null(DqFacts::ExitDate))
                    .col(integer(DqFacts::Head))
                    .col(integer(DqFacts::Adult))
                    .col(integer(DqFacts::DontKnow))
                    .col(integer(DqFacts::Missing))
                    .col(date_null(DqFacts::XExitDate))
                    .col(integer_null(DqFacts::StartLag))
                    .col(integer_null(DqFacts::ExitLag))
                    .col(date_null(DqFacts::OverlapFrom))
                    .col(integer(DqFacts::Heads))
                    .col(date_null(DqFacts::HeadExit))
                    .col(date_null(DqFacts::HeadExitLast))
                    .col(integer(DqFacts::ChildHead))
                    .col(date_null(DqFacts::AnnualMissed))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (BY_PROJECT, vec![DqFacts::ProjectId, DqFacts::EntryDate]),
            (BY_HOUSEHOLD, vec![DqFacts::HouseholdId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(DqFacts::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(DqDirty::Table)
                    .col(string_len(DqDirty::HouseholdId, 32).primary_key())
                    .col(big_integer(DqDirty::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DqFactsState::Table)
                    .col(integer(DqFactsState::Id).primary_key())
                    .col(integer(DqFactsState::Built))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO dq_facts_state (id, built) VALUES (1, 0)")
            .await?;
        let statements: Vec<String> = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION hearth_dq_enrollment() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' THEN {} {} END IF; \
                     IF TG_OP <> 'DELETE' THEN {} {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark_household("OLD.household_id"),
                    mark_client_in_project("OLD"),
                    mark_household("NEW.household_id"),
                    mark_client_in_project("NEW")
                ),
                format!(
                    "CREATE TRIGGER enrollments_dq AFTER INSERT OR DELETE OR UPDATE OF {ENROLLMENT_COLUMNS} \
                     ON enrollments FOR EACH ROW EXECUTE FUNCTION hearth_dq_enrollment()"
                ),
                format!(
                    "CREATE FUNCTION hearth_dq_client() RETURNS trigger AS $$ BEGIN \
                     IF {} THEN {} END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
                    client_changed("IS DISTINCT FROM"),
                    mark_client("NEW.personal_id")
                ),
                "CREATE TRIGGER clients_dq AFTER UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION hearth_dq_client()"
                    .into(),
                format!(
                    "CREATE FUNCTION hearth_dq_exit() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' THEN {} END IF; \
                     IF TG_OP <> 'DELETE' THEN {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER exits_dq AFTER INSERT OR DELETE OR UPDATE OF {EXIT_COLUMNS} \
                     ON exits FOR EACH ROW EXECUTE FUNCTION hearth_dq_exit()"
                ),
                format!(
                    "CREATE FUNCTION hearth_dq_income() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' AND OLD.data_collection_stage IN {INCOME_STAGES} THEN {} END IF; \
                     IF TG_OP <> 'DELETE' AND NEW.data_collection_stage IN {INCOME_STAGES} THEN {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER income_benefits_dq AFTER INSERT OR DELETE OR UPDATE OF {INCOME_COLUMNS} \
                     ON income_benefits FOR EACH ROW EXECUTE FUNCTION hearth_dq_income()"
                ),
                format!(
                    "CREATE FUNCTION hearth_dq_annual() RETURNS trigger AS $$ BEGIN \
                     IF TG_OP <> 'INSERT' AND OLD.data_collection_stage = {ANNUAL} THEN {} END IF; \
                     IF TG_OP <> 'DELETE' AND NEW.data_collection_stage = {ANNUAL} THEN {} END IF; \
                     RETURN NULL; END $$ LANGUAGE plpgsql",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                "CREATE TRIGGER assessment_events_dq AFTER INSERT OR UPDATE OR DELETE \
                 ON assessment_events FOR EACH ROW EXECUTE FUNCTION hearth_dq_annual()"
                    .into(),
            ],
            _ => vec![
                format!(
                    "CREATE TRIGGER enrollments_dq_insert AFTER INSERT ON enrollments BEGIN {} {} END",
                    mark_household("NEW.household_id"),
                    mark_client_in_project("NEW")
                ),
                format!(
                    "CREATE TRIGGER enrollments_dq_update AFTER UPDATE OF {ENROLLMENT_COLUMNS} ON enrollments \
                     BEGIN {} {} {} {} END",
                    mark_household("OLD.household_id"),
                    mark_client_in_project("OLD"),
                    mark_household("NEW.household_id"),
                    mark_client_in_project("NEW")
                ),
                format!(
                    "CREATE TRIGGER enrollments_dq_delete AFTER DELETE ON enrollments BEGIN {} {} END",
                    mark_household("OLD.household_id"),
                    mark_client_in_project("OLD")
                ),
                format!(
                    "CREATE TRIGGER clients_dq_update AFTER UPDATE ON clients WHEN {} BEGIN {} END",
                    client_changed("IS NOT"),
                    mark_client("NEW.personal_id")
                ),
                format!(
                    "CREATE TRIGGER exits_dq_insert AFTER INSERT ON exits BEGIN {} END",
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER exits_dq_update AFTER UPDATE OF {EXIT_COLUMNS} ON exits BEGIN {} {} END",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER exits_dq_delete AFTER DELETE ON exits BEGIN {} END",
                    mark_of_enrollment("OLD.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER income_benefits_dq_insert AFTER INSERT ON income_benefits \
                     WHEN NEW.data_collection_stage IN {INCOME_STAGES} BEGIN {} END",
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER income_benefits_dq_update AFTER UPDATE OF {INCOME_COLUMNS} ON income_benefits \
                     WHEN OLD.data_collection_stage IN {INCOME_STAGES} OR NEW.data_collection_stage IN {INCOME_STAGES} \
                     BEGIN {} {} END",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER income_benefits_dq_delete AFTER DELETE ON income_benefits \
                     WHEN OLD.data_collection_stage IN {INCOME_STAGES} BEGIN {} END",
                    mark_of_enrollment("OLD.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_dq_insert AFTER INSERT ON assessment_events \
                     WHEN NEW.data_collection_stage = {ANNUAL} BEGIN {} END",
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_dq_update AFTER UPDATE ON assessment_events \
                     WHEN OLD.data_collection_stage = {ANNUAL} OR NEW.data_collection_stage = {ANNUAL} BEGIN {} {} END",
                    mark_of_enrollment("OLD.enrollment_id"),
                    mark_of_enrollment("NEW.enrollment_id")
                ),
                format!(
                    "CREATE TRIGGER assessment_events_dq_delete AFTER DELETE ON assessment_events \
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
                "DROP TRIGGER IF EXISTS enrollments_dq ON enrollments",
                "DROP FUNCTION IF EXISTS hearth_dq_enrollment()",
                "DROP TRIGGER IF EXISTS clients_dq ON clients",
                "DROP FUNCTION IF EXISTS hearth_dq_client()",
                "DROP TRIGGER IF EXISTS exits_dq ON exits",
                "DROP FUNCTION IF EXISTS hearth_dq_exit()",
                "DROP TRIGGER IF EXISTS income_benefits_dq ON income_benefits",
                "DROP FUNCTION IF EXISTS hearth_dq_income()",
                "DROP TRIGGER IF EXISTS assessment_events_dq ON assessment_events",
                "DROP FUNCTION IF EXISTS hearth_dq_annual()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS enrollments_dq_insert",
                "DROP TRIGGER IF EXISTS enrollments_dq_update",
                "DROP TRIGGER IF EXISTS enrollments_dq_delete",
                "DROP TRIGGER IF EXISTS clients_dq_update",
                "DROP TRIGGER IF EXISTS exits_dq_insert",
                "DROP TRIGGER IF EXISTS exits_dq_update",
                "DROP TRIGGER IF EXISTS exits_dq_delete",
                "DROP TRIGGER IF EXISTS income_benefits_dq_insert",
                "DROP TRIGGER IF EXISTS income_benefits_dq_update",
                "DROP TRIGGER IF EXISTS income_benefits_dq_delete",
                "DROP TRIGGER IF EXISTS assessment_events_dq_insert",
                "DROP TRIGGER IF EXISTS assessment_events_dq_update",
                "DROP TRIGGER IF EXISTS assessment_events_dq_delete",
            ],
        };
        for sql in drops {
            db.execute_unprepared(sql).await?;
        }
        for table in [
            DqFactsState::Table.into_iden(),
            DqDirty::Table.into_iden(),
            DqFacts::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
