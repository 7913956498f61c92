//! Writes [`Rows`] to the database: one transaction per batch of households, each table
//! in multi-row `INSERT`s built with sea-orm's `insert_many`, parents before children
//! (the foreign keys are checked at once).
//!
//! How the statements travel differs by database, after measuring
//! (docs/PERFORMANCE.md, "Demo data"):
//!
//! - SQLite: prepared statements with bind parameters, about 4,000 values each (well
//!   under SQLite's 32,766). Larger statements were slower and sqlx keeps every prepared
//!   statement in its per-connection cache, a 32,000-value one taking megabytes.
//! - PostgreSQL: the batch's statements rendered as SQL text (sea-query writes and
//!   escapes the values) and sent as one simple-protocol message. Each prepared
//!   statement is a network round trip, and with sqlx 0.9.0, which no longer sets
//!   `TCP_NODELAY`, a round trip over TCP can wait ~40 ms for a delayed ACK; one message
//!   per batch was 35-40% faster than 65,535-parameter prepared statements and used
//!   half the memory. No bind parameters means no parameter limit, but statements
//!   keep the same row counts as if there were one.

use app::db::entities::{
    assessment, assessment_event, assessment_question, assessment_result, case_assignment, client,
    current_living_situation, disability, employment_education, enrollment, event, exit, health_and_dv,
    income_benefit, service,
};
use sea_orm::sea_query::PostgresQueryBuilder;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, Iterable, QueryTrait,
};

use super::rows::{Rows, TABLES, Table};

/// The most bind parameters a statement may carry: SQLite's limit (32,766 since 3.32)
/// and PostgreSQL's (the wire protocol counts them in 16 bits).
pub fn parameter_limit(backend: DatabaseBackend) -> usize {
    match backend {
        DatabaseBackend::Postgres => 65_535,
        _ => 32_766,
    }
}

/// Values per statement the writer aims for, never over [`parameter_limit`].
pub fn parameters_per_statement(backend: DatabaseBackend) -> usize {
    match backend {
        DatabaseBackend::Postgres => parameter_limit(backend),
        _ => 4_000,
    }
}

/// How many rows of `E` fit in one statement of `parameters` values: one per column.
pub fn rows_per_statement<E: EntityTrait>(parameters: usize) -> usize {
    (parameters / E::Column::iter().count()).max(1)
}

/// Splits `rows` into `insert_many` statements of at most `parameters` values each.
fn statements<E>(
    rows: Vec<E::Model>,
    parameters: usize,
) -> impl Iterator<Item = sea_orm::InsertMany<E::ActiveModel>>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
{
    let per_statement = rows_per_statement::<E>(parameters);
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        Some(E::insert_many(
            rows.by_ref()
                .take(per_statement)
                .map(IntoActiveModel::into_active_model),
        ))
    })
}

/// A batch's statements, one value per bind parameter (SQLite), or rendered as SQL text
/// into one script (PostgreSQL).
enum Sink<'a, C> {
    Bound { db: &'a C, parameters: usize },
    Script { sql: String, parameters: usize },
}

impl<C: ConnectionTrait> Sink<'_, C> {
    async fn insert<E>(&mut self, rows: Vec<E::Model>) -> Result<(), DbErr>
    where
        E: EntityTrait,
        E::Model: IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelTrait<Entity = E>,
    {
        match self {
            Sink::Bound { db, parameters } => {
                for statement in statements::<E>(rows, *parameters) {
                    statement.exec_without_returning(*db).await?;
                }
            }
            Sink::Script { sql, parameters } => {
                for statement in statements::<E>(rows, *parameters) {
                    sql.push_str(&statement.into_query().to_string(PostgresQueryBuilder));
                    sql.push_str(";\n");
                }
            }
        }
        Ok(())
    }
}

/// Every table of `rows`, in [`Table::ALL`] order.
async fn insert_all<C: ConnectionTrait>(sink: &mut Sink<'_, C>, rows: Rows) -> Result<(), DbErr> {
    let Rows {
        households: _,
        clients,
        enrollments,
        case_assignments,
        exits,
        assessment_events,
        income_benefits,
        disabilities,
        health_and_dvs,
        employment_educations,
        services,
        current_living_situations,
        assessments,
        assessment_questions,
        assessment_results,
        events,
    } = rows;
    sink.insert::<client::Entity>(clients).await?;
    sink.insert::<enrollment::Entity>(enrollments).await?;
    sink.insert::<case_assignment::Entity>(case_assignments).await?;
    sink.insert::<exit::Entity>(exits).await?;
    sink.insert::<assessment_event::Entity>(assessment_events).await?;
    sink.insert::<income_benefit::Entity>(income_benefits).await?;
    sink.insert::<disability::Entity>(disabilities).await?;
    sink.insert::<health_and_dv::Entity>(health_and_dvs).await?;
    sink.insert::<employment_education::Entity>(employment_educations)
        .await?;
    sink.insert::<service::Entity>(services).await?;
    sink.insert::<current_living_situation::Entity>(current_living_situations)
        .await?;
    sink.insert::<assessment::Entity>(assessments).await?;
    sink.insert::<assessment_question::Entity>(assessment_questions)
        .await?;
    sink.insert::<assessment_result::Entity>(assessment_results)
        .await?;
    sink.insert::<event::Entity>(events).await?;
    Ok(())
}

/// Writes one batch in one transaction. Returns the rows written per table, in
/// [`Table::ALL`] order.
pub async fn write(db: &DatabaseConnection, rows: Rows) -> Result<[u64; TABLES], DbErr> {
    let mut counts = [0u64; TABLES];
    for (i, table) in Table::ALL.into_iter().enumerate() {
        counts[i] = rows.count(table) as u64;
    }
    let backend = db.get_database_backend();
    let parameters = parameters_per_statement(backend);
    let txn = app::db::begin_write(db).await?;
    if backend == DatabaseBackend::Postgres {
        let mut sink: Sink<'_, sea_orm::DatabaseTransaction> = Sink::Script {
            sql: String::new(),
            parameters,
        };
        insert_all(&mut sink, rows).await?;
        if let Sink::Script { sql, .. } = sink {
            txn.execute_unprepared(&sql).await?;
        }
    } else {
        insert_all(&mut Sink::Bound { db: &txn, parameters }, rows).await?;
    }
    txn.commit().await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_under_the_parameter_limits() {
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            let max = parameters_per_statement(backend);
            assert!(max <= parameter_limit(backend));
            let per = rows_per_statement::<income_benefit::Entity>(max);
            let columns = income_benefit::Column::iter().count();
            assert!(columns > 70, "IncomeBenefits is a wide table: {columns}");
            assert!(per * columns <= max && (per + 1) * columns > max);
            assert!(rows_per_statement::<client::Entity>(max) * client::Column::iter().count() <= max);
        }
        assert!(parameter_limit(DatabaseBackend::Sqlite) <= 32_766);
        assert!(parameter_limit(DatabaseBackend::Postgres) <= 65_535);
    }

    #[test]
    fn rows_are_split_into_statements_that_fit() {
        let rows = |n: usize| {
            (0..n)
                .map(|i| app::db::entities::assessment_event::Model {
                    assessment_event_id: format!("{i:032x}"),
                    enrollment_id: "e".into(),
                    personal_id: "p".into(),
                    data_collection_stage: 1,
                    information_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                    created_at: chrono::DateTime::UNIX_EPOCH,
                    updated_at: chrono::DateTime::UNIX_EPOCH,
                    created_by: None,
                    date_deleted: None,
                })
                .collect::<Vec<_>>()
        };
        // 9 columns: 4,000 values are 444 rows a statement.
        assert_eq!(rows_per_statement::<assessment_event::Entity>(4_000), 444);
        assert_eq!(statements::<assessment_event::Entity>(rows(0), 4_000).count(), 0);
        assert_eq!(
            statements::<assessment_event::Entity>(rows(444), 4_000).count(),
            1
        );
        assert_eq!(
            statements::<assessment_event::Entity>(rows(445), 4_000).count(),
            2
        );
        let sql: Vec<String> = statements::<assessment_event::Entity>(rows(3), 4_000)
            .map(|s| s.into_query().to_string(PostgresQueryBuilder))
            .collect();
        assert_eq!(sql.len(), 1);
        assert!(
            sql[0].starts_with(r#"INSERT INTO "assessment_events""#),
            "{}",
            sql[0]
        );
        assert_eq!(sql[0].matches("'2025-01-01'").count(), 3, "{}", sql[0]);
    }
}
