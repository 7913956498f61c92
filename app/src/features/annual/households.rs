//! The Annual Assessment Tool read from chosen households: one client's, a case
//! manager's case assignments', or the households marked stale in the kept rows
//! (`stored`) — worked out from the source rows, so the cost follows the households,
//! not the projects.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use super::api::AnnualDueRow;
use super::service::{DUE_COLUMNS, by_urgency, due_row, households_sql};
use crate::db::annual::annual_dates;
use crate::db::{marks, statement};
use crate::error::AppError;
use crate::state::AppState;

/// The members due in the open households of one client (`person`: that client's
/// rows) or of a case manager's open case assignments (`mine`: rows of an assigned
/// member or of an assigned head's household) — read from those households, so the
/// cost follows the caseload, not the projects.
pub(super) async fn due_in_households_of(
    state: &AppState,
    project_ids: &[String],
    due: NaiveDate,
    person: Option<&str>,
    mine: Option<&str>,
) -> Result<Vec<AnnualDueRow>, AppError> {
    let db = &state.db;
    let assigned: HashSet<String> = match mine {
        Some(user_id) => db
            .query_all_raw(statement(
                db.get_database_backend(),
                "SELECT personal_id FROM case_assignments WHERE user_id = ? AND end_date IS NULL",
                vec![user_id.into()],
            ))
            .await?
            .iter()
            .map(|row| row.try_get("", "personal_id"))
            .collect::<Result<_, _>>()?,
        None => HashSet::new(),
    };
    let seeds: Vec<&str> = match person {
        Some(p) => vec![p],
        None => assigned.iter().map(String::as_str).collect(),
    };
    let of_clients = |n: usize| {
        format!(
            "h.household_id IN (SELECT s.household_id FROM enrollments s \
             WHERE s.personal_id IN ({}) AND s.exit_date IS NULL AND s.date_deleted IS NULL)",
            marks(n)
        )
    };
    due_in_households(db, project_ids, due, &seeds, of_clients, |r| {
        person.is_none_or(|p| r.personal_id == p)
            && (mine.is_none() || assigned.contains(&r.personal_id) || assigned.contains(&r.head_personal_id))
    })
    .await
}

/// The members due, most urgent first, in the open households that `households`
/// selects (an SQL condition on the head `h` over as many placeholders as it is given
/// `seeds`, which are bound a chunk at a time) and that `keep` keeps — worked out
/// from the source rows.
pub(super) async fn due_in_households(
    db: &impl ConnectionTrait,
    project_ids: &[String],
    due: NaiveDate,
    seeds: &[&str],
    households: impl Fn(usize) -> String,
    keep: impl Fn(&AnnualDueRow) -> bool,
) -> Result<Vec<AnnualDueRow>, AppError> {
    let backend = db.get_database_backend();
    let mut rows = Vec::new();
    for chunk in seeds.chunks(crate::db::IN_CHUNK) {
        let sql = format!(
            "SELECT {DUE_COLUMNS} {} AND {}",
            households_sql(project_ids.len()),
            households(chunk.len())
        );
        let mut values: Vec<Value> = vec![due.into()];
        values.extend(project_ids.iter().map(|id| Value::from(id.clone())));
        values.extend(chunk.iter().map(|id| Value::from(id.to_string())));
        for row in db.query_all_raw(statement(backend, &sql, values)).await? {
            rows.extend(due_row(&row, due)?.filter(&keep));
        }
    }
    // A household found from two of its members came back twice.
    rows.sort_by(|a, b| a.enrollment_id.cmp(&b.enrollment_id));
    rows.dedup_by(|a, b| a.enrollment_id == b.enrollment_id);
    // Settled: an annual on record in the member's window.
    let annuals = annual_dates(db, rows.iter().map(|r| r.enrollment_id.as_str())).await?;
    rows.retain(|r| {
        !annuals
            .get(&r.enrollment_id)
            .is_some_and(|dates| dates.iter().any(|d| r.opens <= *d && *d <= r.closes))
    });
    by_urgency(&mut rows);
    Ok(rows)
}
