//! The Client Milestone Age Status report on the server.

use std::collections::HashSet;

use chrono::{Duration, Months, NaiveDate};
use sea_orm::{ConnectionTrait, Value};

use super::api::{MilestoneFilter, MilestonePage, MilestoneRow};
use crate::db::{marks, statement};
use crate::domain::dates::{adult_on, turns_adult_between};
use crate::error::AppError;
use crate::report::{Scope, audit_view, filter_choices, non_empty, projects_in_scope};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::format::full_name;

/// The longest look-ahead a user may ask for.
const MAX_DAYS: i64 = 366;

/// HUD 3.07 veteran status answers that are not missing data.
const VETERAN_ANSWERED: [i32; 2] = [0, 1];

fn within_days(filter: &MilestoneFilter) -> Result<i64, AppError> {
    match non_empty(&filter.within_days) {
        None => Ok(0),
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=MAX_DAYS).contains(d))
            .ok_or_else(|| AppError::field("within_days", "Enter a number of days from 0 to 366.")),
    }
}

/// Every client of the open enrollments in scope who turned 18 after their start date
/// (or will within the days asked), with the adult elements still to record.
pub async fn rows(
    state: &AppState,
    session: &CurrentSession,
    filter: &MilestoneFilter,
) -> Result<Vec<MilestoneRow>, AppError> {
    let days = within_days(filter)?;
    let scope = Scope {
        organization_id: non_empty(&filter.organization_id),
        project_id: non_empty(&filter.project_id),
        funder: None,
    };
    let projects = projects_in_scope(state, session, scope).await?;
    if projects.is_empty() {
        return Ok(Vec::new());
    }
    let today = state.today();
    let until = today + Duration::days(days);
    let db = &state.db;
    let backend = db.get_database_backend();
    let ids: Vec<Value> = projects.iter().map(|(id, _)| Value::from(id.clone())).collect();
    // Narrow by date of birth: born no later than 18 years before `until`, and after
    // 18 years before the earliest start date in these projects.
    let earliest: Option<NaiveDate> = db
        .query_one_raw(statement(
            backend,
            &format!(
                "SELECT MIN(entry_date) AS d FROM enrollments WHERE project_id IN ({})",
                marks(ids.len())
            ),
            ids.clone(),
        ))
        .await?
        .map(|row| row.try_get("", "d"))
        .transpose()?
        .flatten();
    let Some(earliest) = earliest else {
        return Ok(Vec::new());
    };
    let eighteen = Months::new(12 * 18);
    let (Some(born_after), Some(born_by)) = (
        earliest.checked_sub_months(eighteen),
        until.checked_sub_months(eighteen),
    ) else {
        return Ok(Vec::new());
    };
    let mut values = ids;
    // A Feb 29 birth turns 18 on Mar 1: a day's margin each side.
    values.push((born_after - Duration::days(1)).into());
    values.push((born_by + Duration::days(1)).into());
    let sql = format!(
        "SELECT e.enrollment_id, e.personal_id, e.entry_date, e.living_situation, p.project_name, \
         c.first_name, c.last_name, c.dob, c.veteran_status \
         FROM enrollments e JOIN projects p ON p.project_id = e.project_id \
         JOIN clients c ON c.personal_id = e.personal_id \
         WHERE e.project_id IN ({}) AND e.exit_date IS NULL AND e.date_deleted IS NULL \
         AND c.dob > ? AND c.dob <= ?",
        marks(projects.len())
    );
    let found = db.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = Vec::new();
    for row in found {
        let dob: Option<NaiveDate> = row.try_get("", "dob")?;
        let entry: NaiveDate = row.try_get("", "entry_date")?;
        let Some((dob, turns)) = dob.and_then(|d| turns_adult_between(d, entry, until).map(|t| (d, t)))
        else {
            continue;
        };
        let mut needs = Vec::new();
        let veteran: i32 = row.try_get("", "veteran_status")?;
        if !VETERAN_ANSWERED.contains(&veteran) {
            needs.push("Veteran status (3.07)".to_string());
        }
        let living: Option<i32> = row.try_get("", "living_situation")?;
        if living.is_none() {
            needs.push("Prior living situation (3.917)".to_string());
        }
        out.push(MilestoneRow {
            enrollment_id: row.try_get("", "enrollment_id")?,
            personal_id: row.try_get("", "personal_id")?,
            client_name: full_name([
                row.try_get("", "first_name")?,
                None,
                row.try_get("", "last_name")?,
                None,
            ]),
            dob,
            turns_18: turns,
            project_name: row.try_get("", "project_name")?,
            entry_date: entry,
            needs,
        });
    }
    // Income and benefits as an adult: an income record dated on or after the 18th
    // birthday that answers "income from any source".
    let asked = adult_income_recorded(db, &out).await?;
    for row in &mut out {
        if !asked.contains(&row.enrollment_id) {
            row.needs.push("Income and benefits (4.02–4.03)".to_string());
        }
    }
    out.sort_by(|a, b| {
        (a.turns_18, &a.client_name, &a.enrollment_id).cmp(&(b.turns_18, &b.client_name, &b.enrollment_id))
    });
    Ok(out)
}

/// The enrollments among `rows` with income answered as an adult.
async fn adult_income_recorded(
    db: &impl ConnectionTrait,
    rows: &[MilestoneRow],
) -> Result<HashSet<String>, AppError> {
    let mut asked = HashSet::new();
    for chunk in rows.chunks(crate::db::IN_CHUNK) {
        let values: Vec<Value> = chunk
            .iter()
            .map(|r| Value::from(r.enrollment_id.clone()))
            .collect();
        let found = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT enrollment_id, information_date FROM income_benefits WHERE enrollment_id IN ({}) \
                     AND income_from_any_source IS NOT NULL AND date_deleted IS NULL",
                    marks(values.len())
                ),
                values,
            ))
            .await?;
        for row in found {
            let enrollment_id: String = row.try_get("", "enrollment_id")?;
            let on: NaiveDate = row.try_get("", "information_date")?;
            let adult = chunk
                .iter()
                .find(|r| r.enrollment_id == enrollment_id)
                .and_then(|r| adult_on(r.dob))
                .is_some_and(|b| on >= b);
            if adult {
                asked.insert(enrollment_id);
            }
        }
    }
    Ok(asked)
}

/// The report page (an audited list view).
pub async fn report(
    state: &AppState,
    session: &CurrentSession,
    filter: &MilestoneFilter,
) -> Result<MilestonePage, AppError> {
    let rows = rows(state, session, filter).await?;
    audit_view(
        state,
        session,
        "milestone_report.view",
        &filter.query(),
        rows.len(),
    )
    .await?;
    let (organizations, projects) =
        filter_choices(state, session, non_empty(&filter.organization_id)).await?;
    Ok(MilestonePage {
        today: state.today(),
        rows,
        organizations,
        projects,
    })
}

/// Every row, for the CSV download (audited).
pub async fn export(
    state: &AppState,
    session: &CurrentSession,
    filter: &MilestoneFilter,
) -> Result<Vec<MilestoneRow>, AppError> {
    let rows = rows(state, session, filter).await?;
    audit_view(
        state,
        session,
        "milestone_report.export",
        &filter.query(),
        rows.len(),
    )
    .await?;
    Ok(rows)
}
