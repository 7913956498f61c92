//! Auto-alert: households past their project's alert age (or already due, when the
//! sweep has not run yet), for the "Approaching auto-exit" report, its CSV and the home
//! page's counts. The same reads as the sweep, so the report shows what it will do.

use std::collections::HashSet;

use chrono::Duration;
use sea_orm::{ConnectionTrait, Value};

use super::api::{ApproachingCounts, ApproachingFilter, ApproachingPage, ApproachingRow};
use super::inactivity::{next_batch, projects};
use crate::db::{marks, statement};
use crate::domain::access::CASE_WORK;
use crate::domain::auto_exit::{Standing, days_inactive, due_cutoff};
use crate::error::AppError;
use crate::report::{Scope, audit_view, filter_choices, names_of, non_empty, projects_in_scope};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Every household in scope past its alert age, soonest exit first.
pub async fn rows(
    state: &AppState,
    session: &CurrentSession,
    filter: &ApproachingFilter,
) -> Result<Vec<ApproachingRow>, AppError> {
    let scope = Scope {
        organization_id: non_empty(&filter.organization_id),
        project_id: non_empty(&filter.project_id),
        funder: None,
    };
    let in_scope = project_ids_in_scope(state, session, scope).await?;
    if in_scope.is_empty() {
        return Ok(Vec::new());
    }
    let db = &state.db;
    let today = state.today();
    let mut out = Vec::new();
    for project in projects(db, &in_scope).await? {
        let alert = project.setting.alert_days.unwrap_or(project.setting.exit_days);
        let cutoff = due_cutoff(today, alert);
        let mut after = None;
        while let Some(batch) =
            next_batch(db, &project, cutoff, after.as_ref(), today, Standing::Alert).await?
        {
            for household in batch.households {
                let head = household.head();
                let last = household.last_activity;
                out.push(ApproachingRow {
                    head_enrollment_id: head.map(|m| m.enrollment_id.clone()).unwrap_or_default(),
                    head_personal_id: head.map(|m| m.personal_id.clone()).unwrap_or_default(),
                    head_name: String::new(),
                    members: household.members.len(),
                    held_by_referral: household.referred,
                    household_id: household.household_id,
                    project_name: project.name.clone(),
                    last_activity: last,
                    days_inactive: days_inactive(last, today),
                    exits_on: last + Duration::days(i64::from(project.setting.exit_days)),
                });
            }
            after = Some(batch.next);
        }
    }
    if non_empty(&filter.mine) == Some("yes") {
        let mine = assigned_to(db, &session.user_id, &out).await?;
        out.retain(|r| mine.contains(&r.household_id));
    }
    out.sort_by(|a, b| {
        (a.exits_on, &a.project_name, &a.head_personal_id).cmp(&(
            b.exits_on,
            &b.project_name,
            &b.head_personal_id,
        ))
    });
    Ok(out)
}

/// The households among `households` (a caseload's) past their alert age in an
/// organization's projects: what `rows` would list of them, read for these only.
pub async fn among(
    state: &AppState,
    session: &CurrentSession,
    organization_id: &str,
    households: &[&str],
) -> Result<HashSet<String>, AppError> {
    let mut out = HashSet::new();
    if households.is_empty() {
        return Ok(out);
    }
    let scope = Scope {
        organization_id: Some(organization_id),
        project_id: None,
        funder: None,
    };
    let in_scope = project_ids_in_scope(state, session, scope).await?;
    if in_scope.is_empty() {
        return Ok(out);
    }
    let db = &state.db;
    let today = state.today();
    for project in projects(db, &in_scope).await? {
        let alert = project.setting.alert_days.unwrap_or(project.setting.exit_days);
        let cutoff = due_cutoff(today, alert);
        for household in
            super::inactivity::among(db, &project, cutoff, households, today, Standing::Alert).await?
        {
            out.insert(household.household_id);
        }
    }
    Ok(out)
}

/// The households among `rows` with a member on the user's open case assignments.
async fn assigned_to(
    db: &sea_orm::DatabaseConnection,
    user_id: &str,
    rows: &[ApproachingRow],
) -> Result<HashSet<String>, AppError> {
    let mut mine = HashSet::new();
    for chunk in rows.chunks(crate::db::IN_CHUNK) {
        let mut values: Vec<Value> = vec![user_id.into()];
        values.extend(chunk.iter().map(|r| Value::from(r.household_id.clone())));
        let found = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT DISTINCT e.household_id FROM case_assignments ca \
                     JOIN enrollments e ON e.personal_id = ca.personal_id AND e.exit_date IS NULL \
                     WHERE ca.user_id = ? AND ca.end_date IS NULL AND e.household_id IN ({})",
                    marks(chunk.len())
                ),
                values,
            ))
            .await?;
        for row in found {
            mine.insert(row.try_get::<String>("", "household_id")?);
        }
    }
    Ok(mine)
}

async fn named(state: &AppState, mut rows: Vec<ApproachingRow>) -> Result<Vec<ApproachingRow>, AppError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.head_personal_id.as_str()).collect();
    let names = names_of(&state.db, ids).await?;
    for row in &mut rows {
        row.head_name = names.get(&row.head_personal_id).cloned().unwrap_or_default();
    }
    Ok(rows)
}

/// The report page (an audited list view).
pub async fn report(
    state: &AppState,
    session: &CurrentSession,
    filter: &ApproachingFilter,
) -> Result<ApproachingPage, AppError> {
    let rows = named(state, rows(state, session, filter).await?).await?;
    audit_view(
        state,
        session,
        "auto_exit_alerts.view",
        &filter.query(),
        rows.len(),
    )
    .await?;
    let (organizations, projects) =
        filter_choices(state, session, non_empty(&filter.organization_id)).await?;
    Ok(ApproachingPage {
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
    filter: &ApproachingFilter,
) -> Result<Vec<ApproachingRow>, AppError> {
    let rows = named(state, rows(state, session, filter).await?).await?;
    audit_view(
        state,
        session,
        "auto_exit_alerts.export",
        &filter.query(),
        rows.len(),
    )
    .await?;
    Ok(rows)
}

/// Home: households approaching auto-exit in the acting organization's projects and
/// for the user's case assignments (None for users outside case work).
pub async fn counts(
    state: &AppState,
    session: &CurrentSession,
) -> Result<Option<ApproachingCounts>, AppError> {
    if session.require_workgroup(CASE_WORK).is_err() {
        return Ok(None);
    }
    let organization_id = session.require_context()?.organization_id.clone();
    let all = ApproachingFilter {
        organization_id: Some(organization_id.clone()),
        ..Default::default()
    };
    let rows = rows(state, session, &all).await?;
    let mine = assigned_to(&state.db, &session.user_id, &rows).await?;
    Ok(Some(ApproachingCounts {
        organization_id,
        organization: rows.len(),
        mine: rows.iter().filter(|r| mine.contains(&r.household_id)).count(),
    }))
}

/// The IDs of the projects in `scope` the user may see.
async fn project_ids_in_scope(
    state: &AppState,
    session: &CurrentSession,
    scope: Scope<'_>,
) -> Result<Vec<String>, AppError> {
    Ok(projects_in_scope(state, session, scope)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}
