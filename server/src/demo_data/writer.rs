//! Writes [`Rows`] to the database: one transaction per batch of households, each table
//! in multi-row `INSERT`s as large as the database's bind-parameter limit allows.

use app::db::entities::{
    assessment, assessment_event, client, current_living_situation, disability, employment_education,
    enrollment, event, exit, health_and_dv, income_benefit, service,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, Iterable,
};

use super::rows::{Rows, Table};

/// The most bind parameters a statement may carry: SQLite's limit (32766 since 3.32)
/// and PostgreSQL's (the wire protocol counts them in 16 bits).
pub fn parameter_limit(backend: DatabaseBackend) -> usize {
    match backend {
        DatabaseBackend::Postgres => 65_535,
        _ => 32_766,
    }
}

/// The bind parameters per statement the writer aims for, under [`parameter_limit`].
///
/// Measured (docs/PERFORMANCE.md): on SQLite, statements of about 4,000 values are the
/// fastest and keep memory low (sqlx caches each prepared statement, and a
/// 32,000-value one is megabytes); on PostgreSQL each statement is a network round
/// trip, so the largest statements are the fastest.
pub fn parameters_per_statement(backend: DatabaseBackend) -> usize {
    if let Some(n) = std::env::var("HEARTH_DEMO_PARAMS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    match backend {
        DatabaseBackend::Postgres => parameter_limit(backend),
        _ => 4_000,
    }
}

/// How many rows of `E` fit in one statement: every column is a bind parameter.
pub fn rows_per_statement<E: EntityTrait>(max_parameters: usize) -> usize {
    (max_parameters / E::Column::iter().count()).max(1)
}

/// Inserts `rows` into `E`'s table in statements of at most `max_parameters` values.
async fn insert<E, C>(db: &C, rows: Vec<E::Model>, max_parameters: usize) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
    C: ConnectionTrait,
{
    let per_statement = rows_per_statement::<E>(max_parameters);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let statement = E::insert_many(
            rows.by_ref()
                .take(per_statement)
                .map(IntoActiveModel::into_active_model),
        );
        statement.exec_without_returning(db).await?;
    }
    Ok(())
}

/// Writes one batch in one transaction, parents before children (the foreign keys are
/// checked at once). Returns the rows written per table, in [`Table::ALL`] order.
pub async fn write(db: &DatabaseConnection, rows: Rows) -> Result<[u64; 12], DbErr> {
    let mut counts = [0u64; 12];
    for (i, table) in Table::ALL.into_iter().enumerate() {
        counts[i] = rows.count(table) as u64;
    }
    let max = parameters_per_statement(db.get_database_backend());
    let Rows {
        households: _,
        clients,
        enrollments,
        exits,
        assessment_events,
        income_benefits,
        disabilities,
        health_and_dvs,
        employment_educations,
        services,
        current_living_situations,
        assessments,
        events,
    } = rows;
    let txn = app::db::begin_write(db).await?;
    insert::<client::Entity, _>(&txn, clients, max).await?;
    insert::<enrollment::Entity, _>(&txn, enrollments, max).await?;
    insert::<exit::Entity, _>(&txn, exits, max).await?;
    insert::<assessment_event::Entity, _>(&txn, assessment_events, max).await?;
    insert::<income_benefit::Entity, _>(&txn, income_benefits, max).await?;
    insert::<disability::Entity, _>(&txn, disabilities, max).await?;
    insert::<health_and_dv::Entity, _>(&txn, health_and_dvs, max).await?;
    insert::<employment_education::Entity, _>(&txn, employment_educations, max).await?;
    insert::<service::Entity, _>(&txn, services, max).await?;
    insert::<current_living_situation::Entity, _>(&txn, current_living_situations, max).await?;
    insert::<assessment::Entity, _>(&txn, assessments, max).await?;
    insert::<event::Entity, _>(&txn, events, max).await?;
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
}
