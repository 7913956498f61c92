//! The marks triggers leave on households whose kept summary may be stale (the
//! Annual Assessment Tool's `annual_due_dirty`, the data-quality `dq_dirty`: one row
//! per household, `household_id` and a version): read, taken under lock by the keeper
//! that recomputes them, and cleared in its transaction.

use sea_orm::{ConnectionTrait, DbErr, Value};

use super::{marks, statement};

/// The households marked in `table`, at most `limit`, in household order.
pub async fn marked(db: &impl ConnectionTrait, table: &str, limit: usize) -> Result<Vec<String>, DbErr> {
    read(db, table, limit, "").await
}

/// As `marked`, for the keeper about to recompute them: on PostgreSQL the marks read
/// are locked, so a writer marking one of them again waits, and marks it anew once
/// the keeper's transaction has cleared it. (A SQLite keeper holds the write lock.)
pub async fn take(db: &impl ConnectionTrait, table: &str, limit: usize) -> Result<Vec<String>, DbErr> {
    let lock = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => " FOR UPDATE",
        _ => "",
    };
    read(db, table, limit, lock).await
}

async fn read(
    db: &impl ConnectionTrait,
    table: &str,
    limit: usize,
    lock: &str,
) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!("SELECT household_id FROM {table} ORDER BY household_id LIMIT {limit}{lock}"),
            vec![],
        ))
        .await?;
    rows.iter().map(|r| r.try_get("", "household_id")).collect()
}

/// Clears the marks of these households (recomputed).
pub async fn clear(db: &impl ConnectionTrait, table: &str, households: &[String]) -> Result<(), DbErr> {
    let ids: Vec<Value> = households.iter().map(|h| Value::from(h.clone())).collect();
    db.execute_raw(statement(
        db.get_database_backend(),
        &format!(
            "DELETE FROM {table} WHERE household_id IN ({})",
            marks(households.len())
        ),
        ids,
    ))
    .await?;
    Ok(())
}
