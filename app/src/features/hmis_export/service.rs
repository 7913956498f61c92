//! Export jobs on the database: queueing one, listing them.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::api::{ExportJob, ExportParams, ExportsOverview, JobState, ProjectChoice};
use crate::db::audit::{self, Event};
use crate::db::entities::{job_run, organization, project};
use crate::domain::access::Workgroup;
use crate::error::AppError;
use crate::jobs;
use crate::session::CurrentSession;
use crate::state::AppState;

/// Exports listed on the page.
const RECENT: u64 = 20;

pub async fn overview(state: &AppState, admin: &CurrentSession) -> Result<ExportsOverview, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let projects = project::Entity::find()
        .filter(project::Column::DateDeleted.is_null())
        .find_also_related(organization::Entity)
        .order_by_asc(project::Column::ProjectName)
        .all(&state.db)
        .await?;
    let rows = jobs::recent(&state.db, jobs::JobKind::HmisExport, RECENT).await?;
    let jobs = rows
        .into_iter()
        .map(|(row, started_by)| {
            let params: ExportParams = row
                .params
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .unwrap_or_default();
            let project_name = match params.projects.as_slice() {
                [one] => projects
                    .iter()
                    .find(|(p, _)| &p.project_id == one)
                    .map(|(p, _)| p.project_name.clone()),
                _ => None,
            };
            ExportJob {
                state: JobState::from_status(&row.status),
                started_by,
                started: state.stamp(row.started_at),
                job_run_id: row.job_run_id,
                started_at: row.started_at,
                finished_at: row.finished_at,
                progress: row.progress,
                total: row.total.unwrap_or(24),
                message: row.message,
                params,
                project_name,
            }
        })
        .collect();
    Ok(ExportsOverview {
        jobs,
        // Victim service providers' projects are never exported.
        projects: projects
            .into_iter()
            .filter(|(_, org)| !org.as_ref().is_some_and(|o| o.victim_service_provider))
            .map(|(p, org)| ProjectChoice {
                label: match org {
                    Some(org) => format!("{} — {}", p.project_name, org.organization_name),
                    None => p.project_name,
                },
                project_id: p.project_id,
            })
            .collect(),
    })
}

/// Queues an export and wakes this server's job runner.
pub async fn start(
    state: &AppState,
    admin: &CurrentSession,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    project_id: Option<String>,
    hash_pii: bool,
) -> Result<String, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let today = state.today();
    let to = to.unwrap_or(today);
    if to > today {
        return Err(AppError::field("to", "The period cannot end in the future."));
    }
    if let Some(from) = from
        && from > to
    {
        return Err(AppError::field("from", "The period cannot start after it ends."));
    }
    if let Some(id) = &project_id {
        let exists = project::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await?
            .is_some_and(|p| p.date_deleted.is_none());
        if !exists {
            return Err(AppError::field("project_id", "Choose a project from the list."));
        }
    }
    let params = ExportParams {
        from,
        to,
        projects: project_id.into_iter().collect(),
        hash_pii,
    };
    let params = serde_json::to_string(&params).map_err(|e| {
        tracing::error!(error = %e, "export parameters could not be encoded");
        AppError::Internal
    })?;
    let now = state.now();
    let id = crate::db::new_id();
    let txn = crate::db::begin_write(&state.db).await?;
    jobs::NewJob {
        id: id.clone(),
        kind: jobs::JobKind::HmisExport,
        status: jobs::JobState::Queued,
        at: now,
        total: Some(24),
        message: "Waiting to start",
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
        Event::new("hmis_export_started")
            .on("job_run", &id)
            .detail(if hash_pii { "hashed" } else { "unhashed" }),
    )
    .await?;
    txn.commit().await?;
    state.jobs.wake.notify_one();
    Ok(id)
}

/// A finished export's file, for the download route: HMIS admins only, audited.
pub async fn export_file(
    state: &AppState,
    admin: &CurrentSession,
    job_run_id: &str,
) -> Result<std::path::PathBuf, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let job = job_run::Entity::find_by_id(job_run_id.to_string())
        .one(&state.db)
        .await?
        .filter(|j| j.kind == jobs::JobKind::HmisExport.code() && j.status == jobs::JobState::Done.code())
        .ok_or(AppError::NotFound)?;
    let path = state.jobs.export_path(&job.job_run_id);
    if !path.exists() {
        return Err(AppError::NotFound);
    }
    audit::record(
        &state.db,
        state.now(),
        &admin.actor(),
        Event::new("hmis_export_downloaded").on("job_run", &job.job_run_id),
    )
    .await?;
    Ok(path)
}
