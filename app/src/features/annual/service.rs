//! The Annual Assessment Tool on the server. Which households are due depends on the
//! anniversary of the head of household's start date, which SQL cannot compute the same
//! way on SQLite and PostgreSQL; so the query narrows the open heads of household
//! (`enrollments.exit_date IS NULL`, kept by triggers, indexed with the project and
//! start date) to start dates whose anniversary can fall within 30 days of the due
//! date (one range per year, a day wider each side), and the exact window — Feb 29
//! starts included — is `domain::annual`'s, applied to the rows that come back.

use std::collections::HashMap;

use chrono::{Duration, Months, NaiveDate};
use sea_orm::{ConnectionTrait, Value};

use super::api::{AnnualCounts, AnnualDuePage, AnnualDueRow, AnnualFilter, FilterChoice, PAGE_SIZE};
use crate::db::audit::{self, Event};
use crate::db::{marks, statement};
use crate::domain::access::{CASE_WORK, Workgroup};
use crate::domain::annual::{WINDOW_DAYS, window_containing};
use crate::domain::codes::FUNDING_SOURCE;
use crate::error::AppError;
use crate::features::access::guard::CurrentSession;
use crate::features::clients::service::full_name;
use crate::state::AppState;

/// How many anniversaries back the query looks (enrollments open for longer are rare;
/// their households still show once within this many years).
const YEARS_BACK: u32 = 60;

pub(crate) fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The due date asked for (today when none).
fn due_date(state: &AppState, filter: &AnnualFilter) -> Result<NaiveDate, AppError> {
    match non_empty(&filter.due) {
        None => Ok(state.today()),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| AppError::field("due", "Enter the due date as a date (YYYY-MM-DD).")),
    }
}

/// Which projects a list covers: an organization (HMIS admins only, other than their
/// own), a project, a HUD funding source code.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scope<'a> {
    pub organization_id: Option<&'a str>,
    pub project_id: Option<&'a str>,
    pub funder: Option<&'a str>,
}

impl<'a> From<&'a AnnualFilter> for Scope<'a> {
    fn from(f: &'a AnnualFilter) -> Self {
        Scope {
            organization_id: non_empty(&f.organization_id),
            project_id: non_empty(&f.project_id),
            funder: non_empty(&f.funder),
        }
    }
}

/// The projects in scope for this user, by name: their organization's (any
/// organization's for an HMIS admin), never another organization's victim service
/// provider projects.
pub(crate) async fn projects_in_scope(
    state: &AppState,
    session: &CurrentSession,
    scope: Scope<'_>,
) -> Result<Vec<(String, String)>, AppError> {
    let context = session.require_workgroup(CASE_WORK)?;
    let admin = context.workgroup == Workgroup::HmisAdmin;
    let organization = match scope.organization_id {
        Some(o) if !admin && o != context.organization_id => return Err(AppError::Forbidden),
        Some(o) => Some(o.to_string()),
        None if admin => None,
        None => Some(context.organization_id.clone()),
    };
    let mut sql = String::from(
        "SELECT p.project_id, p.project_name, p.organization_id FROM projects p \
         JOIN organizations o ON o.organization_id = p.organization_id \
         WHERE p.date_deleted IS NULL AND (o.victim_service_provider = ? OR o.organization_id = ?)",
    );
    let mut values: Vec<Value> = vec![false.into(), context.organization_id.clone().into()];
    if let Some(o) = &organization {
        sql.push_str(" AND p.organization_id = ?");
        values.push(o.clone().into());
    }
    if let Some(code) = scope.funder {
        let code: i32 = code
            .parse()
            .ok()
            .filter(|c| FUNDING_SOURCE.label(*c).is_some())
            .ok_or_else(|| AppError::field("funder", "Choose a funding source from the list."))?;
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM funders f WHERE f.project_id = p.project_id AND f.funder = ?)",
        );
        values.push(code.into());
    }
    sql.push_str(" ORDER BY p.project_name");
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut projects = Vec::with_capacity(rows.len());
    for row in rows {
        projects.push((row.try_get("", "project_id")?, row.try_get("", "project_name")?));
    }
    if let Some(wanted) = scope.project_id {
        if !projects.iter().any(|(id, _)| id == wanted) {
            // Another organization's project is refused; one the funder filter left
            // out simply lists nothing.
            let owner = db
                .query_one_raw(statement(
                    db.get_database_backend(),
                    "SELECT organization_id FROM projects WHERE project_id = ?",
                    vec![wanted.into()],
                ))
                .await?;
            let theirs: Option<String> = owner.map(|r| r.try_get("", "organization_id")).transpose()?;
            if !admin && theirs.is_some_and(|o| o != context.organization_id) {
                return Err(AppError::Forbidden);
            }
        }
        projects.retain(|(id, _)| id == wanted);
    }
    Ok(projects)
}

/// Every household member whose annual is due on the filter's date, most urgent first.
pub async fn due_rows(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
) -> Result<(NaiveDate, Vec<AnnualDueRow>), AppError> {
    let due = due_date(state, filter)?;
    let projects = projects_in_scope(state, session, filter.into()).await?;
    if projects.is_empty() {
        return Ok((due, Vec::new()));
    }
    let near = Duration::days(WINDOW_DAYS);
    let mut ranges = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    // The annuals that could count lie within 60 days of the due date.
    values.push((due - near - near).into());
    values.push((due + near + near).into());
    values.extend(projects.iter().map(|(id, _)| Value::from(id.clone())));
    for years in 1..=YEARS_BACK {
        let back = Months::new(12 * years);
        let (Some(lo), Some(hi)) = (
            (due - near).checked_sub_months(back),
            (due + near).checked_sub_months(back),
        ) else {
            break;
        };
        ranges.push("h.entry_date BETWEEN ? AND ?");
        values.push((lo - Duration::days(1)).into());
        values.push((hi + Duration::days(1)).into());
    }
    values.push(due.into());
    let mut sql = format!(
        "SELECT m.enrollment_id, m.personal_id, m.entry_date, h.entry_date AS head_entry, \
         h.personal_id AS head_id, p.project_name, a.information_date AS annual \
         FROM enrollments h \
         JOIN projects p ON p.project_id = h.project_id \
         JOIN enrollments m ON m.household_id = h.household_id AND m.date_deleted IS NULL \
         LEFT JOIN assessment_events a ON a.enrollment_id = m.enrollment_id AND a.data_collection_stage = 5 \
         AND a.date_deleted IS NULL AND a.information_date BETWEEN ? AND ? \
         WHERE h.project_id IN ({}) AND h.relationship_to_hoh = 1 AND h.exit_date IS NULL AND ({}) \
         AND h.date_deleted IS NULL AND m.entry_date <= ? AND m.exit_date IS NULL",
        marks(projects.len()),
        ranges.join(" OR ")
    );
    if let Some(personal_id) = non_empty(&filter.personal_id) {
        sql.push_str(" AND m.personal_id = ?");
        values.push(personal_id.into());
    }
    if non_empty(&filter.mine) == Some("yes") {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM case_assignments ca WHERE ca.user_id = ? AND ca.end_date IS NULL \
             AND ca.personal_id IN (m.personal_id, h.personal_id))",
        );
        values.push(session.user_id.clone().into());
    }
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    // One row per member and annual found near the due date.
    let mut members: HashMap<String, (AnnualDueRow, bool)> = HashMap::new();
    for row in rows {
        let enrollment_id: String = row.try_get("", "enrollment_id")?;
        let head_entry: NaiveDate = row.try_get("", "head_entry")?;
        let Some(w) = window_containing(head_entry, due) else {
            continue;
        };
        let annual: Option<NaiveDate> = row.try_get("", "annual")?;
        let done = annual.is_some_and(|d| w.contains(d));
        if let Some((_, settled)) = members.get_mut(&enrollment_id) {
            *settled |= done;
            continue;
        }
        let entry = AnnualDueRow {
            enrollment_id: enrollment_id.clone(),
            personal_id: row.try_get("", "personal_id")?,
            client_name: String::new(),
            head_personal_id: row.try_get("", "head_id")?,
            head_name: String::new(),
            project_name: row.try_get("", "project_name")?,
            entry_date: row.try_get("", "entry_date")?,
            head_entry_date: head_entry,
            anniversary: w.anniversary,
            opens: w.opens,
            closes: w.closes,
            days_left: (w.closes - due).num_days(),
        };
        members.insert(enrollment_id, (entry, done));
    }
    let mut due_rows: Vec<AnnualDueRow> = members
        .into_values()
        .filter(|(_, settled)| !settled)
        .map(|(row, _)| row)
        .collect();
    // Most urgent first; a household's members together, its head first.
    due_rows.sort_by(|a, b| {
        (
            a.days_left,
            &a.project_name,
            &a.head_personal_id,
            a.personal_id != a.head_personal_id,
            &a.enrollment_id,
        )
            .cmp(&(
                b.days_left,
                &b.project_name,
                &b.head_personal_id,
                b.personal_id != b.head_personal_id,
                &b.enrollment_id,
            ))
    });
    Ok((due, due_rows))
}

/// Reads the client and head-of-household names of the rows (only the rows shown, so
/// a long list costs one lookup per row on the page, not per row due).
async fn fill_names(state: &AppState, rows: &mut [AnnualDueRow]) -> Result<(), AppError> {
    let ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.personal_id.as_str(), r.head_personal_id.as_str()])
        .collect();
    let names = names_of(&state.db, ids).await?;
    for row in rows {
        row.client_name = names.get(&row.personal_id).cloned().unwrap_or_default();
        row.head_name = names.get(&row.head_personal_id).cloned().unwrap_or_default();
    }
    Ok(())
}

/// The display names of these clients, by PersonalID.
pub(crate) async fn names_of(
    db: &sea_orm::DatabaseConnection,
    mut ids: Vec<&str>,
) -> Result<HashMap<String, String>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    let mut names: HashMap<String, String> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let sql = format!(
            "SELECT personal_id, first_name, last_name FROM clients WHERE personal_id IN ({})",
            marks(chunk.len())
        );
        let values = chunk.iter().map(|id| Value::from(id.to_string())).collect();
        for row in db
            .query_all_raw(statement(db.get_database_backend(), &sql, values))
            .await?
        {
            let name = full_name([
                row.try_get("", "first_name")?,
                None,
                row.try_get("", "last_name")?,
                None,
            ]);
            names.insert(row.try_get("", "personal_id")?, name);
        }
    }
    Ok(names)
}

/// An audit row for a list view or download: the filter and the row count (IDs only,
/// no client data).
pub(crate) async fn audit_view(
    state: &AppState,
    session: &CurrentSession,
    action: &str,
    query: &str,
    count: usize,
) -> Result<(), AppError> {
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new(action).detail(format!("{query} ({count} rows)")),
    )
    .await?;
    Ok(())
}

/// One page of the tool, with the filters' choices (an audited list view).
pub async fn page(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
    page: usize,
) -> Result<AnnualDuePage, AppError> {
    let (due, rows) = due_rows(state, session, filter).await?;
    let total = rows.len();
    let mut rows: Vec<AnnualDueRow> = rows.into_iter().skip(page * PAGE_SIZE).take(PAGE_SIZE).collect();
    fill_names(state, &mut rows).await?;
    audit_view(state, session, "annual_tool.view", &filter.query(), total).await?;
    let (organizations, projects) =
        filter_choices(state, session, non_empty(&filter.organization_id)).await?;
    let funders = FUNDING_SOURCE
        .values
        .iter()
        .map(|c| FilterChoice {
            value: c.code.to_string(),
            label: c.label.to_string(),
        })
        .collect();
    Ok(AnnualDuePage {
        due,
        has_more: (page + 1) * PAGE_SIZE < total,
        rows,
        total,
        page,
        organizations,
        projects,
        funders,
    })
}

/// The organization choices (HMIS admins only) and the projects the organization
/// filter allows.
pub(crate) async fn filter_choices(
    state: &AppState,
    session: &CurrentSession,
    organization_id: Option<&str>,
) -> Result<(Vec<FilterChoice>, Vec<FilterChoice>), AppError> {
    let context = session.require_context()?;
    let organizations = if context.workgroup == Workgroup::HmisAdmin {
        let db = &state.db;
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                "SELECT organization_id, organization_name FROM organizations \
                 WHERE victim_service_provider = ? OR organization_id = ? ORDER BY organization_name",
                vec![false.into(), context.organization_id.clone().into()],
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(FilterChoice {
                value: row.try_get("", "organization_id")?,
                label: row.try_get("", "organization_name")?,
            });
        }
        out
    } else {
        Vec::new()
    };
    let scope = Scope {
        organization_id,
        ..Default::default()
    };
    let projects = projects_in_scope(state, session, scope)
        .await?
        .into_iter()
        .map(|(value, label)| FilterChoice { value, label })
        .collect();
    Ok((organizations, projects))
}

/// Every row of the filter, for the CSV download (audited).
pub async fn export(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
) -> Result<Vec<AnnualDueRow>, AppError> {
    let (_, mut rows) = due_rows(state, session, filter).await?;
    fill_names(state, &mut rows).await?;
    audit_view(state, session, "annual_tool.export", &filter.query(), rows.len()).await?;
    Ok(rows)
}

/// The home page's counts; none for users who do no case work.
pub async fn counts(state: &AppState, session: &CurrentSession) -> Result<Option<AnnualCounts>, AppError> {
    if session.require_workgroup(CASE_WORK).is_err() {
        return Ok(None);
    }
    // The acting organization's (an HMIS admin's too, as the card says).
    let organization_id = session.require_context()?.organization_id.clone();
    let all = AnnualFilter {
        organization_id: Some(organization_id.clone()),
        ..Default::default()
    };
    let (_, organization) = due_rows(state, session, &all).await?;
    // "Mine" is the same list narrowed to the user's clients (as the filter's
    // `mine=yes` narrows it): counted here rather than by a second pass.
    let db = &state.db;
    let assigned: std::collections::HashSet<String> = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT personal_id FROM case_assignments WHERE user_id = ? AND end_date IS NULL",
            vec![session.user_id.clone().into()],
        ))
        .await?
        .iter()
        .map(|row| row.try_get("", "personal_id"))
        .collect::<Result<_, _>>()?;
    let mine: Vec<&AnnualDueRow> = organization
        .iter()
        .filter(|r| assigned.contains(&r.personal_id) || assigned.contains(&r.head_personal_id))
        .collect();
    Ok(Some(AnnualCounts {
        organization_id,
        organization: organization.len(),
        mine: mine.len(),
    }))
}
