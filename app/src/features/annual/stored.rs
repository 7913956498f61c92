//! The annual assessments owed, kept per member (`annual_due`, migration 23): for each
//! open member of a household with an open head, the anniversary of the first window
//! not closed before `annual_due_state.as_of` and not settled by one of the member's
//! annuals (`domain::annual::owed_anniversary`). For a due date from `as_of` to
//! `as_of + OWED_ANSWERS_DAYS` the members due are then one index range of
//! `ix_annual_due_project_anniversary`, whatever the size of the projects.
//!
//! Triggers mark the household of every changed enrollment or annual assessment in
//! `annual_due_dirty`, in the writer's transaction; until `refresh` recomputes such a
//! household its kept rows are not read and it is worked out from the source rows
//! instead (`households::due_in_households`), so the tool is exact at every moment.
//! `refresh` runs in the background every few seconds (one server at a time, under a
//! lease): it builds the rows when there are none (a new or migrated database, after
//! a bulk load), moves `as_of` to today (recomputing the households whose owed window
//! closed), and recomputes the marked households.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};

use super::api::AnnualDueRow;
use super::households::due_in_households;
use super::service::by_urgency;

use crate::db::annual::annual_dates;
use crate::db::lease::Lease;
use crate::db::{IN_CHUNK, begin_read, begin_write, marks, stale, statement};
use crate::domain::annual::{OWED_ANSWERS_DAYS, WINDOW_DAYS, owed_anniversary};
use crate::error::AppError;
use crate::state::AppState;

/// The tables kept from the others: never copied or exported, rebuilt instead.
pub const KEPT_TABLES: [&str; 3] = ["annual_due", "annual_due_dirty", "annual_due_state"];

/// The lease the background refresh runs under.
pub const LEASE: &str = "annual_due";

/// With more households marked than this the tool reads the source rows instead.
pub const DIRTY_LIMIT: usize = 1_000;

/// Households recomputed per transaction.
const BATCH: usize = 500;

/// Rows per `INSERT` (9 values each).
const INSERT_ROWS: usize = 200;

/// The day the kept rows are computed for; None while they are not built.
pub async fn as_of(db: &impl ConnectionTrait) -> Result<Option<NaiveDate>, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT as_of FROM annual_due_state WHERE id = 1",
            vec![],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "as_of")).transpose()?.flatten())
}

/// Whether the kept rows answer the due date `due` (computed for `as_of`).
pub fn answers(as_of: NaiveDate, due: NaiveDate) -> bool {
    as_of <= due && due <= as_of + Duration::days(OWED_ANSWERS_DAYS)
}

/// The `household_id` column of what `sql` answers.
async fn household_ids(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<String>, AppError> {
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("", "household_id"))
        .collect::<Result<_, _>>()?)
}

/// The households marked stale, at most `limit`.
pub async fn marked(db: &impl ConnectionTrait, limit: usize) -> Result<Vec<String>, AppError> {
    Ok(stale::marked(db, DIRTY, limit).await?)
}

/// The marks the triggers leave (migration 23).
const DIRTY: &str = "annual_due_dirty";

/// Replaces the kept rows of these households by the rows the source rows give for
/// `as_of`. Answers how many rows it wrote.
async fn recompute(
    db: &impl ConnectionTrait,
    households: &[String],
    as_of: NaiveDate,
) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let mut written = 0;
    for chunk in households.chunks(IN_CHUNK) {
        let ids: Vec<Value> = chunk.iter().map(|h| Value::from(h.clone())).collect();
        db.execute_raw(statement(
            backend,
            &format!(
                "DELETE FROM annual_due WHERE household_id IN ({})",
                marks(chunk.len())
            ),
            ids.clone(),
        ))
        .await?;
        let pairs = db
            .query_all_raw(statement(
                backend,
                &format!(
                    "SELECT m.enrollment_id, m.personal_id, m.entry_date, h.enrollment_id AS head_enrollment_id, \
                     h.personal_id AS head_personal_id, h.entry_date AS head_entry_date, h.project_id, h.household_id \
                     FROM enrollments h JOIN enrollments m ON m.household_id = h.household_id \
                     AND m.date_deleted IS NULL AND m.exit_date IS NULL \
                     WHERE h.household_id IN ({}) AND h.relationship_to_hoh = 1 AND h.exit_date IS NULL \
                     AND h.date_deleted IS NULL",
                    marks(chunk.len())
                ),
                ids,
            ))
            .await?;
        let members: HashSet<String> = pairs
            .iter()
            .map(|r| r.try_get::<String>("", "enrollment_id"))
            .collect::<Result<_, _>>()?;
        let annuals = annual_dates(db, members.iter().map(String::as_str)).await?;
        let mut values: Vec<Vec<Value>> = Vec::with_capacity(pairs.len());
        for row in &pairs {
            let enrollment_id: String = row.try_get("", "enrollment_id")?;
            let head_entry: NaiveDate = row.try_get("", "head_entry_date")?;
            let owed = owed_anniversary(
                head_entry,
                as_of,
                annuals.get(&enrollment_id).map(Vec::as_slice).unwrap_or_default(),
            );
            let Some(anniversary) = owed else { continue };
            values.push(vec![
                enrollment_id.into(),
                row.try_get::<String>("", "head_enrollment_id")?.into(),
                row.try_get::<String>("", "household_id")?.into(),
                row.try_get::<String>("", "project_id")?.into(),
                row.try_get::<String>("", "personal_id")?.into(),
                row.try_get::<String>("", "head_personal_id")?.into(),
                row.try_get::<NaiveDate>("", "entry_date")?.into(),
                head_entry.into(),
                anniversary.into(),
            ]);
        }
        for rows in values.chunks(INSERT_ROWS) {
            let tuples = vec![format!("({})", marks(9)); rows.len()].join(", ");
            // Another server recomputing the same household at once wrote the same rows.
            db.execute_raw(statement(
                backend,
                &format!(
                    "INSERT INTO annual_due (enrollment_id, head_enrollment_id, household_id, project_id, \
                     personal_id, head_personal_id, entry_date, head_entry_date, anniversary) VALUES {tuples} \
                     ON CONFLICT DO NOTHING"
                ),
                rows.concat(),
            ))
            .await?;
            written += rows.len() as u64;
        }
    }
    Ok(written)
}

async fn set_as_of(db: &impl ConnectionTrait, as_of: Option<NaiveDate>) -> Result<(), AppError> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "UPDATE annual_due_state SET as_of = ? WHERE id = 1",
        vec![as_of.into()],
    ))
    .await?;
    Ok(())
}

/// Builds every kept row for `as_of` from the source rows, a batch of households per
/// transaction (renewing `lease` as it goes); the tool reads the source rows until it
/// is done. Households changed meanwhile stay marked and are recomputed after.
/// Answers how many rows it wrote.
pub async fn rebuild(
    db: &DatabaseConnection,
    as_of: NaiveDate,
    lease: Option<&Lease>,
) -> Result<u64, AppError> {
    forget(db).await?;
    let households = household_ids(
        db,
        "SELECT DISTINCT household_id FROM enrollments WHERE relationship_to_hoh = 1 AND exit_date IS NULL \
         AND date_deleted IS NULL",
        vec![],
    )
    .await?;
    let mut written = 0;
    for batch in households.chunks(BATCH) {
        if let Some(lease) = lease
            && !lease.renew(db, chrono::Utc::now()).await?
        {
            return Err(AppError::Conflict(
                "the annual list's rebuild lost its lease to another server".into(),
            ));
        }
        let txn = begin_write(db).await?;
        written += recompute(&txn, batch, as_of).await?;
        txn.commit().await?;
    }
    set_as_of(db, Some(as_of)).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Rewritten whole: until vacuumed the tool's counts visit the table for every
        // row (12 ms for one project's 3,500 rows at 1,000,000 clients).
        db.execute_unprepared("VACUUM (ANALYZE) annual_due").await?;
    }
    tracing::info!(households = households.len(), rows = written, %as_of, "annual due list built");
    Ok(written)
}

/// What one `refresh` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Rows written by a rebuild (there were none kept).
    pub rebuilt: Option<u64>,
    /// Households recomputed because their owed window closed before today.
    pub rolled: usize,
    /// Marked households recomputed.
    pub marked: usize,
}

/// Brings the kept rows up to `today`: builds them when there are none, recomputes
/// the households whose owed window has closed and moves `as_of` to today, then
/// recomputes the marked households.
pub async fn refresh(
    db: &DatabaseConnection,
    today: NaiveDate,
    lease: Option<&Lease>,
) -> Result<Refreshed, AppError> {
    let mut done = Refreshed::default();
    let as_of = match as_of(db).await? {
        None => {
            done.rebuilt = Some(rebuild(db, today, lease).await?);
            today
        }
        Some(as_of) if as_of < today => {
            let txn = begin_write(db).await?;
            let closed = household_ids(
                &txn,
                "SELECT DISTINCT household_id FROM annual_due WHERE anniversary < ?",
                vec![(today - Duration::days(WINDOW_DAYS)).into()],
            )
            .await?;
            recompute(&txn, &closed, today).await?;
            set_as_of(&txn, Some(today)).await?;
            txn.commit().await?;
            done.rolled = closed.len();
            today
        }
        Some(as_of) => as_of,
    };
    loop {
        let txn = begin_write(db).await?;
        // On PostgreSQL the marks read are locked: a writer marking one of them again
        // waits, and marks it anew once this transaction has deleted it.
        let households = stale::take(&txn, DIRTY, BATCH).await?;
        if households.is_empty() {
            txn.commit().await?;
            break;
        }
        recompute(&txn, &households, as_of).await?;
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
    set_as_of(db, None).await?;
    for table in ["annual_due_dirty", "annual_due"] {
        db.execute_unprepared(&format!("DELETE FROM {table}")).await?;
    }
    Ok(())
}

/// The members due read from the kept rows.
pub struct KeptDue {
    /// Most urgent first: all, or at least as many as asked for.
    pub rows: Vec<AnnualDueRow>,
    /// `rows` holds every member due.
    pub complete: bool,
    /// How many are due, up to the count asked for (all when none was).
    pub counted: usize,
}

/// The members due on `due` in these projects (ID and name), most urgent first — all,
/// or at least `want` when there are more — and how many, counted up to `count_to`
/// (an index-only count), read from the kept rows in one snapshot, the marked
/// households worked out from the source rows; None when the kept rows do not answer
/// this due date (not built, `due` outside their days, too many households marked).
pub async fn due(
    state: &AppState,
    projects: &[(String, String)],
    due: NaiveDate,
    want: Option<usize>,
    count_to: Option<usize>,
) -> Result<Option<KeptDue>, AppError> {
    let txn = begin_read(&state.db).await?;
    let read = due_in_snapshot(&txn, projects, due, want, count_to).await;
    txn.commit().await?;
    read
}

async fn due_in_snapshot(
    db: &impl ConnectionTrait,
    projects: &[(String, String)],
    due: NaiveDate,
    want: Option<usize>,
    count_to: Option<usize>,
) -> Result<Option<KeptDue>, AppError> {
    let Some(as_of) = as_of(db).await? else {
        return Ok(None);
    };
    if !answers(as_of, due) {
        return Ok(None);
    }
    let stale = marked(db, DIRTY_LIMIT + 1).await?;
    if stale.len() > DIRTY_LIMIT {
        return Ok(None);
    }
    let names: HashMap<&str, &str> = projects
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let project_ids: Vec<String> = projects.iter().map(|(id, _)| id.clone()).collect();
    let near = Duration::days(WINDOW_DAYS);
    let mut base = format!(
        "FROM annual_due d WHERE d.project_id IN ({}) AND d.anniversary BETWEEN ? AND ? AND d.entry_date <= ?",
        marks(project_ids.len())
    );
    let mut values: Vec<Value> = project_ids.iter().map(|id| Value::from(id.clone())).collect();
    values.extend([(due - near).into(), (due + near).into(), due.into()]);
    if !stale.is_empty() {
        base.push_str(&format!(" AND d.household_id NOT IN ({})", marks(stale.len())));
        values.extend(stale.iter().map(|h| Value::from(h.clone())));
    }
    const COLUMNS: &str = "d.enrollment_id, d.personal_id, d.entry_date, d.head_personal_id, d.head_entry_date, \
         d.project_id, d.anniversary";
    let backend = db.get_database_backend();
    let kept_count = match count_to {
        Some(limit) => Some(count_members(db, &base, &values, limit).await?),
        None => None,
    };
    let limit = want.map(|w| format!(" LIMIT {w}")).unwrap_or_default();
    let mut kept = db
        .query_all_raw(statement(
            backend,
            &format!("SELECT {COLUMNS} {base} ORDER BY d.anniversary{limit}"),
            values.clone(),
        ))
        .await?;
    let complete = want.is_none_or(|w| kept.len() < w);
    let mut last_read = None;
    if !complete && let Some(last) = kept.last() {
        // The last day read whole, so that its order is the list's.
        let last: NaiveDate = last.try_get("", "anniversary")?;
        last_read = Some(last);
        let mut day = Vec::with_capacity(kept.len());
        for row in kept {
            if row.try_get::<NaiveDate>("", "anniversary")? != last {
                day.push(row);
            }
        }
        values.push(last.into());
        day.extend(
            db.query_all_raw(statement(
                backend,
                &format!("SELECT {COLUMNS} {base} AND d.anniversary = ?"),
                values,
            ))
            .await?,
        );
        kept = day;
    }
    let mut rows = Vec::with_capacity(kept.len());
    for row in kept {
        let anniversary: NaiveDate = row.try_get("", "anniversary")?;
        let project_id: String = row.try_get("", "project_id")?;
        rows.push(AnnualDueRow {
            enrollment_id: row.try_get("", "enrollment_id")?,
            personal_id: row.try_get("", "personal_id")?,
            client_name: String::new(),
            head_personal_id: row.try_get("", "head_personal_id")?,
            head_name: String::new(),
            project_name: names
                .get(project_id.as_str())
                .map(|n| n.to_string())
                .unwrap_or_default(),
            entry_date: row.try_get("", "entry_date")?,
            head_entry_date: row.try_get("", "head_entry_date")?,
            anniversary,
            opens: anniversary - near,
            closes: anniversary + near,
            days_left: (anniversary + near - due).num_days(),
        });
    }
    let mut marked_due = 0;
    if !stale.is_empty() {
        let seeds: Vec<&str> = stale.iter().map(String::as_str).collect();
        let households = |n: usize| format!("h.household_id IN ({})", marks(n));
        let exact = due_in_households(db, &project_ids, due, &seeds, households, |_| true).await?;
        marked_due = exact.len();
        // Listed only up to the last day read: the days after it were not read.
        rows.extend(
            exact
                .into_iter()
                .filter(|r| last_read.is_none_or(|last| r.anniversary <= last)),
        );
    }
    by_urgency(&mut rows);
    // A member of a household with two heads is listed once, at its most urgent.
    let mut seen = HashSet::new();
    rows.retain(|r| seen.insert(r.enrollment_id.clone()));
    let counted = match (kept_count, count_to) {
        (Some(n), Some(limit)) => (n + marked_due).min(limit),
        _ => rows.len(),
    };
    Ok(Some(KeptDue {
        rows,
        complete,
        counted,
    }))
}

/// How many members the kept rows of `base` (a `FROM … WHERE` over `values`) list, up
/// to `limit`: read from the index alone, stopping at `limit` rows; a member of a
/// household with two open heads (a data error the data-quality report lists) has a
/// row per head and is counted once, reading further when such rows were among them.
/// (`COUNT(DISTINCT …)` would read the whole range first on PostgreSQL.)
async fn count_members(
    db: &impl ConnectionTrait,
    base: &str,
    values: &[Value],
    limit: usize,
) -> Result<usize, AppError> {
    let mut read = limit;
    loop {
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!("SELECT d.enrollment_id {base} LIMIT {read}"),
                values.to_vec(),
            ))
            .await?;
        let members: HashSet<String> = rows
            .iter()
            .map(|r| r.try_get::<String>("", "enrollment_id"))
            .collect::<Result<_, _>>()?;
        if rows.len() < read || members.len() >= limit {
            return Ok(members.len().min(limit));
        }
        read = read.saturating_mul(2);
    }
}
