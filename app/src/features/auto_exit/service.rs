//! Auto-exit runs on the database: queueing a sweep (daily, or by an HMIS admin) and
//! listing the runs with what they did.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::api::{
    AutoExitOverview, AutoExitProject, AutoExitRun, DryRunPage, DryRunRow, SkippedHousehold, SweepParams,
};
use super::sweep::{SweepOptions, SweepReport};
use crate::db::audit::{self, Event};
use crate::db::entities::{job_run, organization, project};
use crate::domain::access::Workgroup;
use crate::error::AppError;
use crate::jobs;
use crate::jobs::JobState;
use crate::session::CurrentSession;
use crate::state::AppState;

/// Runs listed on the page.
const RECENT: u64 = 10;

impl From<SweepParams> for SweepOptions {
    fn from(p: SweepParams) -> Self {
        SweepOptions {
            dry_run: p.dry_run,
            project_id: p.project_id,
            keep_listed: if p.dry_run { super::sweep::LISTED_KEPT } else { 0 },
            lease_holder: None,
        }
    }
}

/// The job ID of the daily sweep of `date`: one per day, whichever server queues it.
pub fn daily_job_id(date: NaiveDate) -> String {
    format!("autoexit{}", date.format("%Y%m%d"))
}

/// Queues the daily sweep of `date` unless it was queued already (by this server or
/// another). Answers whether this call queued it.
pub async fn queue_daily(state: &AppState, date: NaiveDate) -> Result<bool, AppError> {
    let id = daily_job_id(date);
    if job_run::Entity::find_by_id(id.clone())
        .one(&state.db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let inserted = queue(state, id, None, &SweepParams::default()).await;
    match inserted {
        Ok(()) => Ok(true),
        // Another server queued it between our look and our insert.
        Err(AppError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

async fn queue(
    state: &AppState,
    id: String,
    created_by: Option<String>,
    params: &SweepParams,
) -> Result<(), AppError> {
    let params = serde_json::to_string(params).map_err(|e| {
        tracing::error!(error = %e, "auto-exit parameters could not be encoded");
        AppError::Internal
    })?;
    jobs::NewJob {
        id,
        kind: jobs::JobKind::AutoExit,
        status: jobs::JobState::Queued,
        at: state.now(),
        total: None,
        message: "Waiting to start",
        created_by,
        params,
    }
    .row()
    .insert(&state.db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("That sweep is already queued.".into())
        }
        _ => e.into(),
    })?;
    Ok(())
}

/// Queues a sweep an HMIS admin asked for (audited) and wakes this server's runner.
pub async fn start(
    state: &AppState,
    admin: &CurrentSession,
    project_id: Option<String>,
    dry_run: bool,
) -> Result<String, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    if let Some(id) = &project_id {
        let project = project::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await?
            .filter(|p| p.date_deleted.is_none());
        match project {
            None => return Err(AppError::field("project_id", "Choose a project from the list.")),
            Some(p) if p.auto_exit_days.is_none() => {
                return Err(AppError::field(
                    "project_id",
                    "This project has no auto-exit setting: set one on the project first.",
                ));
            }
            Some(_) => {}
        }
    }
    let id = crate::db::new_id();
    let params = SweepParams { dry_run, project_id };
    queue(state, id.clone(), Some(admin.user_id.clone()), &params).await?;
    audit::record_alone(
        &state.db,
        state.now(),
        &admin.actor(),
        Event::new("auto_exit.start")
            .on("job_run", &id)
            .detail(if dry_run { "dry run" } else { "sweep" }),
    )
    .await?;
    state.jobs.wake.notify_one();
    Ok(id)
}

/// Households listed per page of a dry run.
const DRY_RUN_PAGE: usize = 50;

/// A page of the households a dry run would exit or skip, named (an audited view).
pub async fn dry_run_page(
    state: &AppState,
    admin: &CurrentSession,
    job_run_id: &str,
    page: usize,
) -> Result<DryRunPage, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let row = job_run::Entity::find_by_id(job_run_id.to_string())
        .one(&state.db)
        .await?
        .filter(|r| r.kind == jobs::JobKind::AutoExit.code())
        .ok_or(AppError::NotFound)?;
    let params: SweepParams = row
        .params
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    if !params.dry_run {
        return Err(AppError::NotFound);
    }
    let report: SweepReport = row
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let start = page.saturating_mul(DRY_RUN_PAGE).min(report.listed.len());
    let end = (start + DRY_RUN_PAGE).min(report.listed.len());
    let shown = &report.listed[start..end];
    let names = super::sweep::names_of_listed(&state.db, shown).await?;
    let name = |id: &String| names.get(id).cloned().unwrap_or_else(|| id.clone());
    audit::record_view(
        state,
        state.now(),
        &admin.actor(),
        Event::new("auto_exit.dry_run_view")
            .on("job_run", job_run_id)
            .detail(format!("page {} ({} households)", page + 1, shown.len())),
    )
    .await?;
    Ok(DryRunPage {
        job_run_id: row.job_run_id.clone(),
        started: state.stamp(row.started_at),
        scope: scope_name(state, params.project_id.as_deref()).await?,
        state: JobState::from_status(&row.status),
        would_exit: report.households_exited,
        enrollments: report.enrollments_exited,
        skipped: report.skipped_count,
        listed: report.listed.len(),
        rows: shown
            .iter()
            .map(|l| DryRunRow {
                project_name: l.project_name.clone(),
                head_personal_id: l.head_personal_id.clone(),
                head_name: name(&l.head_personal_id),
                members: l.member_ids.iter().map(name).collect(),
                last_service: l.last_service,
                last_contact: l.last_contact,
                last_bed_night: l.last_bed_night,
                exit_date: l.exit_date,
                skipped: l.skipped.clone(),
            })
            .collect(),
        page,
        has_more: end < report.listed.len(),
    })
}

/// What a run covered: one project's name, or all projects.
async fn scope_name(state: &AppState, project_id: Option<&str>) -> Result<String, AppError> {
    let Some(id) = project_id else {
        return Ok("All projects".into());
    };
    Ok(project::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
        .map_or_else(|| id.to_string(), |p| p.project_name))
}

/// The projects that auto-exit and the recent runs. HMIS admins only.
pub async fn overview(state: &AppState, admin: &CurrentSession) -> Result<AutoExitOverview, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let projects = project::Entity::find()
        .filter(project::Column::DateDeleted.is_null())
        .filter(project::Column::AutoExitDays.is_not_null())
        .find_also_related(organization::Entity)
        .order_by_asc(project::Column::ProjectName)
        .all(&state.db)
        .await?;
    let names: Vec<(String, String)> = projects
        .iter()
        .map(|(p, _)| (p.project_id.clone(), p.project_name.clone()))
        .collect();
    let runs = jobs::recent(&state.db, jobs::JobKind::AutoExit, RECENT)
        .await?
        .into_iter()
        .map(|(row, started_by)| {
            let params: SweepParams = row
                .params
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .unwrap_or_default();
            let report: Option<SweepReport> =
                row.result.as_deref().and_then(|r| serde_json::from_str(r).ok());
            AutoExitRun {
                state: JobState::from_status(&row.status),
                started: state.stamp(row.started_at),
                started_by,
                scope: params
                    .project_id
                    .as_ref()
                    .map(|id| {
                        names
                            .iter()
                            .find(|(p, _)| p == id)
                            .map_or_else(|| id.clone(), |(_, n)| n.clone())
                    })
                    .unwrap_or_else(|| "All projects".into()),
                dry_run: params.dry_run,
                progress: row.progress,
                total: row.total.unwrap_or(0),
                message: row.message,
                skipped: report
                    .map(|r| {
                        r.skipped
                            .into_iter()
                            .map(|s| SkippedHousehold {
                                project_name: s.project_name,
                                head_personal_id: s.head_personal_id,
                                reason: s.reason,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                job_run_id: row.job_run_id,
            }
        })
        .collect();
    Ok(AutoExitOverview {
        projects: projects
            .into_iter()
            .map(|(p, org)| AutoExitProject {
                project_id: p.project_id,
                project_name: p.project_name,
                organization_name: org.map(|o| o.organization_name).unwrap_or_default(),
                exit_days: p.auto_exit_days.unwrap_or_default(),
                alert_days: p.auto_alert_days,
            })
            .collect(),
        runs,
    })
}
