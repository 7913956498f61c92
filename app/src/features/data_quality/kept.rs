//! Each enrollment's data-quality facts, kept as a row (`dq_facts`, migration 24): what
//! the report asks of an enrollment that does not depend on its period, worked out by
//! the same SQL the report uses on the source rows (`sql::facts_select`). A report over
//! a whole CoC then reads one narrow row per enrollment instead of joining each to its
//! client, exit, income records and household.
//!
//! Triggers mark in `dq_dirty` the households of every changed enrollment, client,
//! exit or income record at entry or exit, in the writer's transaction; the report
//! works those households out from the source rows until `refresh` recomputes them
//! (`sql::universe` with `Source::Kept`), so it is exact at every moment. `refresh`
//! runs in the background every few seconds (one server at a time, under a lease): it
//! builds the rows when there are none (a new or migrated database, after a bulk load)
//! and recomputes the marked households.

use chrono::NaiveDate;
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};

use super::sql::{Dialect, FACT_COLUMNS, facts_select};
use crate::db::annual::annual_dates;
use crate::db::lease::Lease;
use crate::db::{IN_CHUNK, begin_write, marks, stale, statement};
use crate::domain::annual::first_unsettled_close;
use crate::error::AppError;

/// The tables kept from the others: never copied or exported, rebuilt instead.
pub const KEPT_TABLES: [&str; 3] = ["dq_facts", "dq_dirty", "dq_facts_state"];

/// The lease the background refresh runs under.
pub const LEASE: &str = "dq_facts";

/// With more households marked than this the report reads the source rows instead.
pub const DIRTY_LIMIT: usize = 1_000;

/// Households recomputed per transaction.
const BATCH: usize = 500;

/// Whether the facts are built.
pub async fn built(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT built FROM dq_facts_state WHERE id = 1",
            vec![],
        ))
        .await?;
    let built: Option<i32> = row.map(|r| r.try_get("", "built")).transpose()?;
    Ok(built == Some(1))
}

async fn set_built(db: &impl ConnectionTrait, built: bool) -> Result<(), AppError> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "UPDATE dq_facts_state SET built = ? WHERE id = 1",
        vec![i32::from(built).into()],
    ))
    .await?;
    Ok(())
}

/// The marks the triggers leave (migration 24).
const DIRTY: &str = "dq_dirty";

/// The households marked stale, at most `limit`.
pub async fn marked(db: &impl ConnectionTrait, limit: usize) -> Result<Vec<String>, AppError> {
    Ok(stale::marked(db, DIRTY, limit).await?)
}

/// The households marked stale, read in the snapshot of `db`, when a report reads the
/// kept facts: they are built and few households are marked (else None: the report
/// reads the source rows).
pub(super) async fn stale(db: &impl ConnectionTrait) -> Result<Option<Vec<String>>, AppError> {
    if !built(db).await? {
        return Ok(None);
    }
    let marks = marked(db, DIRTY_LIMIT + 1).await?;
    Ok((marks.len() <= DIRTY_LIMIT).then_some(marks))
}

/// Replaces the facts of the enrollments of these households (and of any enrollment
/// that was in one of them) by what the source rows give.
async fn recompute(db: &impl ConnectionTrait, d: &Dialect, households: &[String]) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    for chunk in households.chunks(IN_CHUNK) {
        let ids: Vec<Value> = chunk.iter().map(|h| Value::from(h.clone())).collect();
        let list = marks(chunk.len());
        // An enrollment moved to one of these households still has its row under the
        // household it left.
        db.execute_raw(statement(
            backend,
            &format!(
                "DELETE FROM dq_facts WHERE household_id IN ({list}) \
                 OR enrollment_id IN (SELECT e.enrollment_id FROM enrollments e WHERE e.household_id IN ({list}))"
            ),
            [ids.clone(), ids.clone()].concat(),
        ))
        .await?;
        insert(db, d, &format!("e.household_id IN ({list})"), ids.clone()).await?;
        set_annual_missed(db, &format!("f.household_id IN ({list})"), ids).await?;
    }
    Ok(())
}

/// Rows per `UPDATE … FROM (VALUES …)` (2 values each).
const UPDATE_ROWS: usize = 500;

/// Sets the first unsettled annual window (`domain::annual::first_unsettled_close`) of
/// the open enrollments `filter` keeps (a condition on `dq_facts f`), after the head
/// of household who started first.
async fn set_annual_missed(
    db: &impl ConnectionTrait,
    filter: &str,
    values: Vec<Value>,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            &format!(
                "SELECT f.enrollment_id, f.entry_date, MIN(h.entry_date) AS head_entry FROM dq_facts f \
                 JOIN enrollments h ON h.household_id = f.household_id AND h.relationship_to_hoh = 1 \
                 AND h.date_deleted IS NULL WHERE f.exit_date IS NULL AND {filter} \
                 GROUP BY f.enrollment_id, f.entry_date"
            ),
            values,
        ))
        .await?;
    let mut open = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get("", "enrollment_id")?;
        let entry: NaiveDate = row.try_get("", "entry_date")?;
        let head: NaiveDate = row.try_get("", "head_entry")?;
        open.push((id, entry, head));
    }
    let annuals = annual_dates(db, open.iter().map(|(id, _, _)| id.as_str())).await?;
    let missed: Vec<Vec<Value>> = open
        .into_iter()
        .filter_map(|(id, entry, head)| {
            let on_record = annuals.get(&id).map(Vec::as_slice).unwrap_or_default();
            first_unsettled_close(head, entry, on_record).map(|close| vec![id.into(), close.into()])
        })
        .collect();
    for chunk in missed.chunks(UPDATE_ROWS) {
        let tuples = vec!["(?, ?)"; chunk.len()].join(", ");
        db.execute_raw(statement(
            backend,
            &format!(
                "UPDATE dq_facts SET annual_missed = v.column2 FROM (VALUES {tuples}) AS v \
                 WHERE dq_facts.enrollment_id = v.column1"
            ),
            chunk.concat(),
        ))
        .await?;
    }
    Ok(())
}

/// Inserts the facts of the enrollments `filter` keeps.
async fn insert(
    db: &impl ConnectionTrait,
    d: &Dialect,
    filter: &str,
    values: Vec<Value>,
) -> Result<u64, AppError> {
    // `WHERE 1 = 1`: SQLite reads `ON` after a join as the join's without a `WHERE`.
    let done = db
        .execute_raw(statement(
            db.get_database_backend(),
            &format!(
                "INSERT INTO dq_facts ({FACT_COLUMNS}) {} WHERE 1 = 1 ON CONFLICT (enrollment_id) DO NOTHING",
                facts_select(d, filter)
            ),
            values,
        ))
        .await?;
    Ok(done.rows_affected())
}

/// The last household of the next batch after `after`, in household order.
async fn batch_end(db: &impl ConnectionTrait, after: &str) -> Result<Option<String>, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT MAX(household_id) AS last FROM (SELECT DISTINCT household_id FROM enrollments \
                 WHERE household_id > ? ORDER BY household_id LIMIT {BATCH}) b"
            ),
            vec![after.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "last")).transpose()?.flatten())
}

/// Builds every enrollment's facts from the source rows, a batch of households per
/// transaction (renewing `lease` as it goes); the report reads the source rows until
/// it is done. Households changed meanwhile stay marked and are recomputed after.
/// Answers how many rows it wrote.
pub async fn rebuild(
    db: &DatabaseConnection,
    zone: Tz,
    today: NaiveDate,
    lease: Option<&Lease>,
) -> Result<u64, AppError> {
    forget(db).await?;
    let d = Dialect::new(db.get_database_backend(), zone, today);
    let mut written = 0;
    let mut after = String::new();
    while let Some(last) = batch_end(db, &after).await? {
        if let Some(lease) = lease
            && !lease.renew(db, chrono::Utc::now()).await?
        {
            return Err(AppError::Conflict(
                "the data-quality facts' rebuild lost its lease to another server".into(),
            ));
        }
        let txn = begin_write(db).await?;
        let range = vec![after.clone().into(), last.clone().into()];
        written += insert(
            &txn,
            &d,
            "e.household_id > ? AND e.household_id <= ?",
            range.clone(),
        )
        .await?;
        set_annual_missed(&txn, "f.household_id > ? AND f.household_id <= ?", range).await?;
        txn.commit().await?;
        after = last;
    }
    set_built(db, true).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM (ANALYZE) dq_facts").await?;
    }
    tracing::info!(rows = written, "data-quality facts built");
    Ok(written)
}

/// What one `refresh` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Rows written by a rebuild (there were none kept).
    pub rebuilt: Option<u64>,
    /// Marked households recomputed.
    pub marked: usize,
}

/// Builds the facts when there are none, then recomputes the marked households.
pub async fn refresh(
    db: &DatabaseConnection,
    zone: Tz,
    today: NaiveDate,
    lease: Option<&Lease>,
) -> Result<Refreshed, AppError> {
    let mut done = Refreshed::default();
    if !built(db).await? {
        done.rebuilt = Some(rebuild(db, zone, today, lease).await?);
    }
    let d = Dialect::new(db.get_database_backend(), zone, today);
    loop {
        let txn = begin_write(db).await?;
        let households = stale::take(&txn, DIRTY, BATCH).await?;
        if households.is_empty() {
            txn.commit().await?;
            break;
        }
        recompute(&txn, &d, &households).await?;
        stale::clear(&txn, DIRTY, &households).await?;
        txn.commit().await?;
        done.marked += households.len();
        if households.len() < BATCH {
            break;
        }
    }
    Ok(done)
}

/// Drops every kept row: the next `refresh` builds them anew (after a copy or a bulk
/// load that wrote the source tables beside the triggers' marks).
pub async fn forget(db: &impl ConnectionTrait) -> Result<(), AppError> {
    set_built(db, false).await?;
    for table in ["dq_dirty", "dq_facts"] {
        db.execute_unprepared(&format!("DELETE FROM {table}")).await?;
    }
    Ok(())
}
