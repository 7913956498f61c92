//! The priority list on the server: the placed entries of open CE enrollments
//! (`ce_priority.enrollment_open`, kept by a trigger on the enrollment's exit date, so
//! an exit takes a household off the list in the exit's own transaction), filtered, in `domain::ce`'s rank order,
//! a page at a time, with each household's latest referral.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use super::api::{PAGE_SIZE, PriorityFilter, PriorityPage, PriorityRow, ReferralSummary};
use super::service::require_list_user;
use crate::db::marks;
use crate::db::statement;
use crate::domain::ce::{AgeBand, HouseholdType, RANK_ORDER_SQL, RANK_ORDER_SQL_POSTGRES};
use crate::domain::codes::{PROJECT_TYPE, REFERRAL_RESULT};
use crate::domain::dates::age_on;
use crate::error::AppError;
use crate::report::FilterChoice;
use crate::report::{audit_view, non_empty};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::format::full_name;

/// What the list reads: the entries (those of open enrollments, on one index).
const LIST_FROM: &str = " FROM ce_priority l";

/// The WHERE clause and its values for a filter.
fn conditions(filter: &PriorityFilter, today: NaiveDate) -> Result<(String, Vec<Value>), AppError> {
    let mut sql = String::from(" WHERE l.placed = ? AND l.enrollment_open = ?");
    let mut values: Vec<Value> = vec![true.into(), true.into()];
    if let Some(code) = non_empty(&filter.household_type) {
        let t = code
            .parse::<i32>()
            .ok()
            .and_then(HouseholdType::from_code)
            .ok_or_else(|| AppError::field("household_type", "Choose a household type from the list."))?;
        sql.push_str(" AND l.household_type = ?");
        values.push(t.code().into());
    }
    for (field, column, label) in [
        ("chronic", &filter.chronic, "l.chronic"),
        ("veteran", &filter.veteran, "l.veteran"),
    ] {
        match non_empty(column) {
            None => {}
            Some("yes") => {
                sql.push_str(&format!(" AND {label} = ?"));
                values.push(true.into());
            }
            Some("no") => {
                sql.push_str(&format!(" AND {label} = ?"));
                values.push(false.into());
            }
            Some(_) => return Err(AppError::field(field, "Choose yes, no or any.")),
        }
    }
    if let Some(code) = non_empty(&filter.age_band) {
        let band = AgeBand::from_code(code)
            .ok_or_else(|| AppError::field("age_band", "Choose an age band from the list."))?;
        let (after, until) = band.birth_dates(today);
        if let Some(after) = after {
            sql.push_str(" AND l.head_dob > ?");
            values.push(after.into());
        }
        if let Some(until) = until {
            sql.push_str(" AND l.head_dob <= ?");
            values.push(until.into());
        }
    }
    if let Some(code) = non_empty(&filter.sought) {
        let code = code
            .parse::<i32>()
            .ok()
            .filter(|c| PROJECT_TYPE.contains(*c))
            .ok_or_else(|| AppError::field("sought", "Choose a project type from the list."))?;
        sql.push_str(" AND l.project_type_sought = ?");
        values.push(code.into());
    }
    Ok((sql, values))
}

/// The rows of one page (or every row, for the CSV), ranked.
async fn rows(
    state: &AppState,
    filter: &PriorityFilter,
    page: Option<usize>,
) -> Result<(Vec<PriorityRow>, usize), AppError> {
    let today = state.today();
    let db = &state.db;
    let backend = db.get_database_backend();
    let (filters, values) = conditions(filter, today)?;
    let total: i64 = db
        .query_one_raw(statement(
            backend,
            &format!("SELECT COUNT(*) AS n{LIST_FROM}{filters}"),
            values.clone(),
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let total = usize::try_from(total).unwrap_or(0);
    let (limit, offset) = match page {
        Some(p) => (
            format!(" LIMIT {PAGE_SIZE} OFFSET {}", p * PAGE_SIZE),
            p * PAGE_SIZE,
        ),
        None => (String::new(), 0),
    };
    // The page is ranked on the entries alone (their index holds the rank), then only
    // its rows are joined to their clients: ranking after the join would read a
    // client for every listed household (7,655 random reads for a page of 50).
    let rank = match backend {
        sea_orm::DatabaseBackend::Postgres => RANK_ORDER_SQL_POSTGRES,
        _ => RANK_ORDER_SQL,
    };
    let sql = format!(
        "SELECT l.enrollment_id, l.personal_id, l.household_id, l.score, l.assessment_date, l.homeless_since, \
         l.household_type, l.chronic, l.veteran, l.head_dob, l.project_type_sought, c.first_name, c.last_name \
         FROM (SELECT l.enrollment_id{LIST_FROM}{filters} ORDER BY {rank}{limit}) page \
         JOIN ce_priority l ON l.enrollment_id = page.enrollment_id \
         JOIN clients c ON c.personal_id = l.personal_id ORDER BY {rank}"
    );
    let found = db.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = Vec::with_capacity(found.len());
    for (i, row) in found.into_iter().enumerate() {
        let dob: Option<NaiveDate> = row.try_get("", "head_dob")?;
        let household_type: i32 = row.try_get("", "household_type")?;
        let sought: Option<i32> = row.try_get("", "project_type_sought")?;
        out.push(PriorityRow {
            rank: offset + i + 1,
            enrollment_id: row.try_get("", "enrollment_id")?,
            personal_id: row.try_get("", "personal_id")?,
            household_id: row.try_get("", "household_id")?,
            client_name: full_name([
                row.try_get("", "first_name")?,
                None,
                row.try_get("", "last_name")?,
                None,
            ]),
            household_size: 0,
            score: row.try_get("", "score")?,
            assessment_date: row.try_get("", "assessment_date")?,
            homeless_since: row.try_get("", "homeless_since")?,
            household_type: HouseholdType::from_code(household_type)
                .unwrap_or(HouseholdType::Unknown)
                .label()
                .to_string(),
            chronic: row.try_get("", "chronic")?,
            veteran: row.try_get("", "veteran")?,
            age: dob.and_then(|d| age_on(d, today)),
            sought: sought.and_then(|c| PROJECT_TYPE.label(c)).map(str::to_string),
            referral: None,
        });
    }
    fill_households_and_referrals(db, &mut out).await?;
    Ok((out, total))
}

/// Household sizes (open members) and the latest referral of each row, read for the
/// rows shown only.
async fn fill_households_and_referrals(
    db: &impl ConnectionTrait,
    rows: &mut [PriorityRow],
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let households: Vec<String> = rows.iter().map(|r| r.household_id.clone()).collect();
    let mut sizes: HashMap<String, i64> = HashMap::new();
    let mut referrals: HashMap<String, ReferralSummary> = HashMap::new();
    for (chunk, ids) in households
        .chunks(crate::db::IN_CHUNK)
        .zip(rows.chunks(crate::db::IN_CHUNK))
    {
        let found = db
            .query_all_raw(statement(
                backend,
                &format!(
                    "SELECT household_id, COUNT(*) AS n FROM enrollments WHERE household_id IN ({}) \
                     AND exit_date IS NULL AND date_deleted IS NULL GROUP BY household_id",
                    marks(chunk.len())
                ),
                chunk.iter().map(|h| Value::from(h.clone())).collect(),
            ))
            .await?;
        for r in found {
            sizes.insert(r.try_get("", "household_id")?, r.try_get("", "n")?);
        }
        let enrollment_ids: Vec<Value> = ids.iter().map(|r| Value::from(r.enrollment_id.clone())).collect();
        let found = db
            .query_all_raw(statement(
                backend,
                &format!(
                    "SELECT r.event_id, r.enrollment_id, r.referred_on, p.project_name, ev.referral_result, \
                     EXISTS (SELECT 1 FROM enrollments h WHERE h.personal_id = r.personal_id \
                       AND h.project_id = r.project_id AND h.entry_date >= r.referred_on AND h.date_deleted IS NULL) AS housed \
                     FROM ce_referrals r JOIN events ev ON ev.event_id = r.event_id AND ev.date_deleted IS NULL \
                     JOIN projects p ON p.project_id = r.project_id \
                     WHERE r.enrollment_id IN ({}) ORDER BY r.referred_on, r.created_at, r.event_id",
                    marks(enrollment_ids.len())
                ),
                enrollment_ids,
            ))
            .await?;
        // The latest wins (rows come oldest first).
        for r in found {
            let result: Option<i32> = r.try_get("", "referral_result")?;
            referrals.insert(
                r.try_get("", "enrollment_id")?,
                ReferralSummary {
                    event_id: r.try_get("", "event_id")?,
                    project_name: r.try_get("", "project_name")?,
                    referred_on: r.try_get("", "referred_on")?,
                    result: result.and_then(|c| REFERRAL_RESULT.label(c)).map(str::to_string),
                    result_code: result,
                    housed: r.try_get("", "housed")?,
                },
            );
        }
    }
    for row in rows.iter_mut() {
        row.household_size = sizes.get(&row.household_id).copied().unwrap_or(1);
        row.referral = referrals.remove(&row.enrollment_id);
    }
    Ok(())
}

fn choices(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<FilterChoice> {
    pairs
        .into_iter()
        .map(|(value, label)| FilterChoice { value, label })
        .collect()
}

/// One page of the list with the filters' choices (an audited list view).
pub async fn list_page(
    state: &AppState,
    session: &CurrentSession,
    filter: &PriorityFilter,
    page: usize,
) -> Result<PriorityPage, AppError> {
    let manages = require_list_user(state, session).await?;
    let (rows, total) = rows(state, filter, Some(page)).await?;
    audit_view(state, session, "ce_priority.view", &filter.query(), total).await?;
    Ok(PriorityPage {
        has_more: (page + 1) * PAGE_SIZE < total,
        rows,
        total,
        page,
        manages,
        exit_refused: {
            let exiters = crate::db::settings::ce_exiters(&state.db).await?;
            let workgroup = session.require_context()?.workgroup;
            (!crate::domain::enrollment::may_exit_ce(workgroup, &exiters))
                .then(|| crate::domain::enrollment::ce_exit_refused(&exiters))
        },
        household_types: choices(
            HouseholdType::ALL
                .into_iter()
                .map(|t| (t.code().to_string(), t.label().to_string())),
        ),
        age_bands: choices(
            AgeBand::ALL
                .into_iter()
                .map(|b| (b.code().to_string(), b.label().to_string())),
        ),
        project_types: choices(super::service::SOUGHT_PROJECT_TYPES.iter().filter_map(|c| {
            PROJECT_TYPE
                .label(*c)
                .map(|label| (c.to_string(), label.to_string()))
        })),
    })
}

/// Every row of the filter, for the CSV download (audited).
pub async fn export(
    state: &AppState,
    session: &CurrentSession,
    filter: &PriorityFilter,
) -> Result<Vec<PriorityRow>, AppError> {
    require_list_user(state, session).await?;
    let (rows, total) = rows(state, filter, None).await?;
    audit_view(state, session, "ce_priority.export", &filter.query(), total).await?;
    Ok(rows)
}
