//! The supervisor's caseload dashboard on the server: per case manager of the
//! organization, the clients and households on their open case assignments, annual
//! assessments due and overdue, households approaching auto-exit, drafts left open and
//! data-quality errors — each read once, for the enrollments and households on the
//! organization's open case assignments only, then counted per person.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, Value};

use super::api::{CaseloadDashboard, CaseloadDetail, CaseloadFilter, ManagerLoad};
use super::service::{case_manager_options, rows_for};
use crate::db::annual::{annual_dates, head_entry_dates};
use crate::db::audit::{self, Event};
use crate::db::marks;
use crate::db::statement;
use crate::domain::access::Workgroup;
use crate::domain::annual::{AnnualStatus, status};
use crate::error::AppError;
use crate::report::{filter_choices, non_empty};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Who sees every case manager's load (HMIS admins always may).
pub const OVERSEERS: &[Workgroup] = &[Workgroup::Supervisor, Workgroup::AgencyAdmin];

/// The organization a filter asks for, if the session may see it: (ID, name).
async fn organization(
    state: &AppState,
    session: &CurrentSession,
    filter: &CaseloadFilter,
) -> Result<(String, String), AppError> {
    let context = session.require_workgroup(OVERSEERS)?;
    let admin = context.workgroup == Workgroup::HmisAdmin;
    let id = match non_empty(&filter.organization_id) {
        Some(o) if !admin && o != context.organization_id => return Err(AppError::Forbidden),
        Some(o) => o.to_string(),
        None => return Ok((context.organization_id.clone(), context.organization_name.clone())),
    };
    let db = &state.db;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT organization_name, victim_service_provider FROM organizations WHERE organization_id = ?",
            vec![id.clone().into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    // Victim service providers' caseloads stay inside them.
    if row.try_get::<bool>("", "victim_service_provider")? && id != context.organization_id {
        return Err(AppError::Forbidden);
    }
    Ok((id, row.try_get("", "organization_name")?))
}

/// An open case assignment: who, which client, and the enrollment when it is open.
struct Assignment {
    user_id: String,
    personal_id: String,
    /// (enrollment ID, household ID) of the open enrollment.
    open: Option<(String, String)>,
    exited: bool,
}

async fn assignments(state: &AppState, organization_id: &str) -> Result<Vec<Assignment>, AppError> {
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT a.user_id, a.personal_id, e.enrollment_id, e.household_id, e.exit_date \
             FROM case_assignments a LEFT JOIN enrollments e ON e.enrollment_id = a.enrollment_id \
             AND e.date_deleted IS NULL WHERE a.organization_id = ? AND a.end_date IS NULL",
            vec![organization_id.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let enrollment: Option<String> = row.try_get("", "enrollment_id")?;
        let household: Option<String> = row.try_get("", "household_id")?;
        let exit: Option<chrono::NaiveDate> = row.try_get("", "exit_date")?;
        out.push(Assignment {
            user_id: row.try_get("", "user_id")?,
            personal_id: row.try_get("", "personal_id")?,
            open: match (enrollment, household, exit) {
                (Some(e), Some(h), None) => Some((e, h)),
                _ => None,
            },
            exited: exit.is_some(),
        });
    }
    Ok(out)
}

/// Drafts left open, per user.
async fn drafts(state: &AppState, users: &[&str]) -> Result<HashMap<String, usize>, AppError> {
    let mut out = HashMap::new();
    if users.is_empty() {
        return Ok(out);
    }
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT user_id, COUNT(*) AS n FROM workflow_drafts WHERE user_id IN ({}) GROUP BY user_id",
                marks(users.len())
            ),
            users.iter().map(|u| Value::from(u.to_string())).collect(),
        ))
        .await?;
    for row in rows {
        let n: i64 = row.try_get("", "n")?;
        out.insert(row.try_get("", "user_id")?, usize::try_from(n).unwrap_or(0));
    }
    Ok(out)
}

/// Every case manager's load in the organization, by name.
async fn loads(
    state: &AppState,
    session: &CurrentSession,
    organization_id: &str,
) -> Result<Vec<ManagerLoad>, AppError> {
    let db = &state.db;
    let managers = case_manager_options(db, organization_id).await?;
    let assigned = assignments(state, organization_id).await?;
    let open: Vec<&(String, String)> = assigned.iter().filter_map(|a| a.open.as_ref()).collect();
    let heads = head_entry_dates(db, open.iter().map(|(_, h)| h.as_str())).await?;
    let annuals = annual_dates(db, open.iter().map(|(e, _)| e.as_str())).await?;
    let today = state.today();
    // Only the households and enrollments on the caseloads are read.
    let households: Vec<&str> = {
        let mut h: Vec<&str> = open.iter().map(|(_, h)| h.as_str()).collect();
        h.sort_unstable();
        h.dedup();
        h
    };
    let approaching =
        crate::features::auto_exit::approaching_among(state, session, organization_id, &households).await?;
    let open_enrollments: Vec<(String, String)> = {
        let mut e: Vec<(String, String)> = open.iter().map(|&p| p.clone()).collect();
        e.sort_unstable();
        e.dedup();
        e
    };
    let errors =
        crate::features::data_quality::integrity_errors(state, session, organization_id, &open_enrollments)
            .await?;
    let user_ids: Vec<&str> = managers.iter().map(|m| m.user_id.as_str()).collect();
    let drafts = drafts(state, &user_ids).await?;
    Ok(managers
        .into_iter()
        .map(|m| {
            let mine: Vec<&Assignment> = assigned.iter().filter(|a| a.user_id == m.user_id).collect();
            let active: HashSet<&str> = mine
                .iter()
                .filter(|a| !a.exited)
                .map(|a| a.personal_id.as_str())
                .collect();
            let enrollments: HashSet<&(String, String)> =
                mine.iter().filter_map(|a| a.open.as_ref()).collect();
            let households: HashSet<&str> = enrollments.iter().map(|(_, h)| h.as_str()).collect();
            let mut load = ManagerLoad {
                active_clients: active.len(),
                households: households.len(),
                exits_due: households.iter().filter(|h| approaching.contains(**h)).count(),
                open_drafts: drafts.get(&m.user_id).copied().unwrap_or(0),
                dq_errors: enrollments
                    .iter()
                    .map(|(e, _)| errors.get(e).copied().unwrap_or(0))
                    .sum(),
                user_id: m.user_id,
                name: m.name,
                ..Default::default()
            };
            for (enrollment, household) in &enrollments {
                let Some(start) = heads.get(household) else {
                    continue;
                };
                let on_record = annuals.get(enrollment).map(Vec::as_slice).unwrap_or_default();
                match status(*start, today, on_record) {
                    AnnualStatus::Due(_) => load.annuals_due += 1,
                    AnnualStatus::Overdue(_) => load.annuals_overdue += 1,
                    AnnualStatus::NotDue => {}
                }
            }
            load
        })
        .collect())
}

/// The dashboard (an audited view).
pub async fn dashboard(
    state: &AppState,
    session: &CurrentSession,
    filter: &CaseloadFilter,
) -> Result<CaseloadDashboard, AppError> {
    let (organization_id, organization_name) = organization(state, session, filter).await?;
    let managers = loads(state, session, &organization_id).await?;
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("caseloads.view")
            .on("organization", &organization_id)
            .detail(format!("{} case managers", managers.len())),
    )
    .await?;
    let (organizations, _) = filter_choices(state, session, None).await?;
    Ok(CaseloadDashboard {
        organization_id,
        organization_name,
        today: state.today(),
        managers,
        organizations,
    })
}

/// One case manager's clients, and who can take them (an audited view).
pub async fn detail(
    state: &AppState,
    session: &CurrentSession,
    filter: &CaseloadFilter,
    user_id: &str,
) -> Result<CaseloadDetail, AppError> {
    let (organization_id, organization_name) = organization(state, session, filter).await?;
    let load = loads(state, session, &organization_id)
        .await?
        .into_iter()
        .find(|l| l.user_id == user_id)
        .ok_or(AppError::NotFound)?;
    let rows = rows_for(state, user_id, &organization_id).await?;
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("caseload.view")
            .on("user", user_id)
            .detail(format!("{} clients", rows.len())),
    )
    .await?;
    let options = case_manager_options(&state.db, &organization_id).await?;
    Ok(CaseloadDetail {
        load,
        organization_id,
        organization_name,
        rows,
        options,
    })
}
