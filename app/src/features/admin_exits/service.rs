//! Administrative exits on the database. The candidates are the auto-exit sweep's
//! reads with the admin's "days without activity" in place of a project setting; a
//! preview stores exactly the rows to write (as a job waiting for confirmation), and
//! the job writes those rows and no others: each household in its own transaction,
//! after checking it is still open, unchanged and without newer activity.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Value,
};

use super::api::{
    AdminExitPlan, AdminExitPlanView, AdminExitResult, AdminExitRun, Candidate, CandidateFilter,
    CandidatePage, DEFAULT_DAYS, HouseholdMember, PlanSkip, PlannedHousehold,
};
use crate::db::audit::{self, Event};
use crate::db::entities::job_run;
use crate::db::{begin_write, marks, new_id, statement};
use crate::domain::access::Workgroup;
use crate::domain::auto_exit::{
    ADMIN_DAYS, MemberActivity, Standing, admin_exit_date, days_inactive, due_cutoff,
};
use crate::error::{AppError, FieldError};
use crate::features::auto_exit::{Inactive, inactive_for, next_batch};
use crate::jobs;
use crate::jobs::JobState;
use crate::report::{Scope, audit_view, filter_choices, names_of, non_empty, projects_in_scope};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Candidates per page.
pub const PAGE_SIZE: usize = 50;
/// A preview older than this must be made again.
const PLAN_KEPT_HOURS: i64 = 24;
/// Plans listed on the candidates page.
const RECENT: u64 = 10;

/// The households an admin picked, or all matching the filter.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub all: bool,
    pub picked: Vec<String>,
}

fn days_of(filter: &CandidateFilter) -> Result<i32, AppError> {
    match non_empty(&filter.days) {
        None => Ok(DEFAULT_DAYS),
        Some(d) => d.parse().ok().filter(|d| ADMIN_DAYS.contains(d)).ok_or_else(|| {
            AppError::field(
                "days",
                format!(
                    "Enter the days without activity as a whole number from {} to {}.",
                    ADMIN_DAYS.start(),
                    ADMIN_DAYS.end()
                ),
            )
        }),
    }
}

/// An open household without activity, with where it is.
struct Found {
    project_id: String,
    project_name: String,
    night_by_night: bool,
    household: Inactive,
}

/// Every household in scope without activity for `days`, oldest activity first.
async fn find(
    state: &AppState,
    session: &CurrentSession,
    filter: &CandidateFilter,
    days: i32,
) -> Result<Vec<Found>, AppError> {
    let scope = Scope {
        organization_id: non_empty(&filter.organization_id),
        project_id: non_empty(&filter.project_id),
        funder: None,
    };
    let ids: Vec<String> = projects_in_scope(state, session, scope)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let db = &state.db;
    let today = state.today();
    let cutoff = due_cutoff(today, days);
    let mut out = Vec::new();
    for project in inactive_for(db, &ids, days).await? {
        let mut after = None;
        while let Some(batch) = next_batch(db, &project, cutoff, after.as_ref(), today, Standing::Due).await?
        {
            out.extend(batch.households.into_iter().map(|household| Found {
                project_id: project.id.clone(),
                project_name: project.name.clone(),
                night_by_night: project.night_by_night,
                household,
            }));
            after = Some(batch.next);
        }
    }
    out.sort_by(|a, b| {
        (
            a.household.last_activity,
            &a.project_name,
            &a.household.household_id,
        )
            .cmp(&(
                b.household.last_activity,
                &b.project_name,
                &b.household.household_id,
            ))
    });
    Ok(out)
}

fn activity(household: &Inactive) -> Vec<MemberActivity> {
    household.members.iter().map(|m| m.activity).collect()
}

/// The members as listed: head first, then by start date.
fn listed(household: &Inactive, names: &HashMap<String, String>) -> Vec<HouseholdMember> {
    let mut out: Vec<HouseholdMember> = household
        .members
        .iter()
        .map(|m| HouseholdMember {
            enrollment_id: m.enrollment_id.clone(),
            personal_id: m.personal_id.clone(),
            name: names.get(&m.personal_id).cloned().unwrap_or_default(),
            head: m.head,
            entry_date: m.activity.entry_date,
        })
        .collect();
    out.sort_by(|a, b| (!a.head, a.entry_date, &a.personal_id).cmp(&(!b.head, b.entry_date, &b.personal_id)));
    out
}

async fn organization_names(
    db: &DatabaseConnection,
    project_ids: &[&str],
) -> Result<HashMap<String, String>, AppError> {
    let mut out = HashMap::new();
    for chunk in project_ids.chunks(crate::db::IN_CHUNK) {
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT p.project_id, o.organization_name FROM projects p \
                     JOIN organizations o ON o.organization_id = p.organization_id \
                     WHERE p.project_id IN ({})",
                    marks(chunk.len())
                ),
                chunk.iter().map(|id| Value::from(id.to_string())).collect(),
            ))
            .await?;
        for row in rows {
            out.insert(
                row.try_get("", "project_id")?,
                row.try_get("", "organization_name")?,
            );
        }
    }
    Ok(out)
}

/// One page of candidates with the filter choices and the recent plans (an audited
/// list view).
pub async fn page(
    state: &AppState,
    admin: &CurrentSession,
    filter: &CandidateFilter,
    page: usize,
) -> Result<CandidatePage, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let days = days_of(filter)?;
    let today = state.today();
    let found = find(state, admin, filter, days).await?;
    let total_households = found.len();
    let total_enrollments = found.iter().map(|f| f.household.members.len()).sum();
    let shown: Vec<&Found> = found.iter().skip(page * PAGE_SIZE).take(PAGE_SIZE).collect();
    let names = names_of(
        &state.db,
        shown
            .iter()
            .flat_map(|f| f.household.members.iter().map(|m| m.personal_id.as_str()))
            .collect(),
    )
    .await?;
    let project_ids: Vec<&str> = shown.iter().map(|f| f.project_id.as_str()).collect();
    let organizations_of = organization_names(&state.db, &project_ids).await?;
    let rows = shown
        .iter()
        .map(|f| {
            let exit_date = admin_exit_date(&activity(&f.household), f.night_by_night, None, today)
                .and_then(Result::ok)
                .unwrap_or(f.household.last_activity);
            Candidate {
                household_id: f.household.household_id.clone(),
                project_name: f.project_name.clone(),
                organization_name: organizations_of.get(&f.project_id).cloned().unwrap_or_default(),
                members: listed(&f.household, &names),
                last_activity: f.household.last_activity,
                days_inactive: days_inactive(f.household.last_activity, today),
                exit_date,
                held_by_referral: f.household.referred,
            }
        })
        .collect();
    audit_view(
        state,
        admin,
        "admin_exit.candidates",
        &filter.query(),
        total_households,
    )
    .await?;
    let (organizations, projects) = filter_choices(state, admin, non_empty(&filter.organization_id)).await?;
    Ok(CandidatePage {
        today,
        days,
        rows,
        total_households,
        total_enrollments,
        page,
        has_more: (page + 1) * PAGE_SIZE < total_households,
        organizations,
        projects,
        runs: runs(state).await?,
    })
}

fn parse_chosen(state: &AppState, exit_date: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    let Some(date) = FieldError::date("exit_date", exit_date)? else {
        return Ok(None);
    };
    if date > state.today() {
        return Err(AppError::field(
            "exit_date",
            "The exit date cannot be in the future.",
        ));
    }
    Ok(Some(date))
}

/// Works out exactly what will change for the selection and keeps it as a plan
/// waiting for confirmation (audited). Answers the plan's ID.
pub async fn preview(
    state: &AppState,
    admin: &CurrentSession,
    filter: &CandidateFilter,
    selection: Selection,
    exit_date: Option<&str>,
) -> Result<String, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let days = days_of(filter)?;
    let chosen = parse_chosen(state, exit_date)?;
    if !selection.all && selection.picked.is_empty() {
        return Err(AppError::field(
            "pick",
            "Choose at least one household, or all matching.",
        ));
    }
    let today = state.today();
    let found = find(state, admin, filter, days).await?;
    let picked: HashSet<&str> = selection.picked.iter().map(String::as_str).collect();
    let matching: HashSet<&str> = found.iter().map(|f| f.household.household_id.as_str()).collect();
    let mut plan = AdminExitPlan {
        days,
        chosen_date: chosen,
        ..Default::default()
    };
    for id in picked.iter().filter(|id| !matching.contains(**id)) {
        plan.skipped.push(PlanSkip {
            household_id: id.to_string(),
            head_personal_id: String::new(),
            head_name: String::new(),
            project_name: String::new(),
            reason: format!("no longer open without activity for {days} days"),
        });
    }
    let none = HashMap::new();
    for f in found
        .iter()
        .filter(|f| selection.all || picked.contains(f.household.household_id.as_str()))
    {
        let head = f.household.head();
        let skip = |reason: String| PlanSkip {
            household_id: f.household.household_id.clone(),
            head_personal_id: head.map(|m| m.personal_id.clone()).unwrap_or_default(),
            head_name: String::new(),
            project_name: f.project_name.clone(),
            reason,
        };
        if f.household.referred {
            plan.skipped.push(skip("open Coordinated Entry referral".into()));
            continue;
        }
        match admin_exit_date(&activity(&f.household), f.night_by_night, chosen, today) {
            None => continue,
            Some(Err(refusal)) => plan.skipped.push(skip(refusal.to_string())),
            Some(Ok(on)) => plan.households.push(PlannedHousehold {
                household_id: f.household.household_id.clone(),
                project_id: f.project_id.clone(),
                project_name: f.project_name.clone(),
                exit_date: on,
                last_activity: f.household.last_activity,
                members: listed(&f.household, &none),
            }),
        }
    }
    if plan.households.is_empty() {
        let why = plan
            .skipped
            .first()
            .map(|s| format!(": {}", s.reason))
            .unwrap_or_default();
        return Err(AppError::field(
            "pick",
            format!("None of the chosen households can be exited{why}."),
        ));
    }
    let id = new_id();
    let params = serde_json::to_string(&plan).map_err(|e| {
        tracing::error!(error = %e, "an administrative exit plan could not be encoded");
        AppError::Internal
    })?;
    let now = state.now();
    let txn = begin_write(&state.db).await?;
    jobs::NewJob {
        id: id.clone(),
        kind: jobs::JobKind::AdminExit,
        status: JobState::Planned,
        at: now,
        total: Some(i32::try_from(plan.households.len()).unwrap_or(i32::MAX)),
        message: "Previewed; waiting for confirmation",
        created_by: Some(admin.user_id.clone()),
        params,
    }
    .row()
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("admin_exit.preview")
            .on("job_run", &id)
            .detail(format!(
                "{} household(s), {} enrollment(s), {} left out; {}",
                plan.households.len(),
                plan.enrollments(),
                plan.skipped.len(),
                filter.query()
            )),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

async fn find_plan(state: &AppState, plan_id: &str) -> Result<job_run::Model, AppError> {
    job_run::Entity::find_by_id(plan_id.to_string())
        .one(&state.db)
        .await?
        .filter(|j| j.kind == jobs::JobKind::AdminExit.code())
        .ok_or(AppError::NotFound)
}

fn decode<T: serde::de::DeserializeOwned + Default>(json: Option<&str>) -> T {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

/// A plan with names, its state and what it did.
pub async fn plan_view(
    state: &AppState,
    admin: &CurrentSession,
    plan_id: &str,
) -> Result<AdminExitPlanView, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let job = find_plan(state, plan_id).await?;
    let mut plan: AdminExitPlan = decode(job.params.as_deref());
    let mut result: Option<AdminExitResult> =
        job.result.as_deref().and_then(|r| serde_json::from_str(r).ok());
    let mut ids: Vec<&str> = plan
        .households
        .iter()
        .flat_map(|h| h.members.iter().map(|m| m.personal_id.as_str()))
        .collect();
    ids.extend(plan.skipped.iter().map(|s| s.head_personal_id.as_str()));
    if let Some(r) = &result {
        ids.extend(r.not_exited.iter().map(|s| s.head_personal_id.as_str()));
    }
    let names = names_of(&state.db, ids).await?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    for m in plan.households.iter_mut().flat_map(|h| h.members.iter_mut()) {
        m.name = name(&m.personal_id);
    }
    for s in &mut plan.skipped {
        s.head_name = name(&s.head_personal_id);
    }
    if let Some(r) = &mut result {
        for s in &mut r.not_exited {
            s.head_name = name(&s.head_personal_id);
        }
    }
    let previewed_by = match &job.created_by {
        Some(id) => crate::db::entities::user::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await?
            .map(|u| u.username),
        None => None,
    };
    Ok(AdminExitPlanView {
        plan_id: job.job_run_id,
        state: JobState::from_status(&job.status),
        progress: job.progress,
        total: job.total.unwrap_or(0),
        message: job.message,
        previewed_by,
        plan,
        result,
    })
}

/// Queues a previewed plan for the job runner (audited): once only, and only while
/// the preview is fresh.
pub async fn confirm(state: &AppState, admin: &CurrentSession, plan_id: &str) -> Result<String, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let job = find_plan(state, plan_id).await?;
    if job.status != JobState::Planned.code() {
        return Err(AppError::Conflict(
            "This administrative exit was already started.".into(),
        ));
    }
    let now = state.now();
    if now - job.started_at > Duration::hours(PLAN_KEPT_HOURS) {
        return Err(AppError::Conflict(
            "This preview is more than a day old: preview the exit again.".into(),
        ));
    }
    let txn = begin_write(&state.db).await?;
    let queued = job_run::Entity::update_many()
        .col_expr(
            job_run::Column::Status,
            Expr::value(jobs::JobState::Queued.code()),
        )
        .col_expr(job_run::Column::StartedAt, Expr::value(now))
        .col_expr(job_run::Column::Message, Expr::value("Waiting to start"))
        .filter(job_run::Column::JobRunId.eq(plan_id))
        .filter(job_run::Column::Status.eq(JobState::Planned.code()))
        .exec(&txn)
        .await?;
    if queued.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This administrative exit was already started.".into(),
        ));
    }
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("admin_exit.start").on("job_run", plan_id),
    )
    .await?;
    txn.commit().await?;
    state.jobs.wake.notify_one();
    Ok(plan_id.to_string())
}

async fn runs(state: &AppState) -> Result<Vec<AdminExitRun>, AppError> {
    Ok(jobs::recent(&state.db, jobs::JobKind::AdminExit, RECENT)
        .await?
        .into_iter()
        .map(|(row, started_by)| {
            let plan: AdminExitPlan = decode(row.params.as_deref());
            AdminExitRun {
                state: JobState::from_status(&row.status),
                started: state.stamp(row.started_at),
                started_by,
                households: plan.households.len(),
                progress: row.progress,
                total: row.total.unwrap_or(0),
                message: row.message,
                plan_id: row.job_run_id,
            }
        })
        .collect())
}
