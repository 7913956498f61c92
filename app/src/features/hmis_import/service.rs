//! Import jobs on the database: queueing one for an uploaded file, listing them.

use sea_orm::ActiveModelTrait;
use serde::{Deserialize, Serialize};

use super::api::{ImportJob, ImportResult, JobState};
use crate::db::audit::{self, Event};

use crate::domain::access::Workgroup;
use crate::error::AppError;
use crate::features::access::guard::CurrentSession;
use crate::jobs;
use crate::state::AppState;

/// Imports listed on the page.
const RECENT: u64 = 10;
/// Import steps the progress bar counts: check the files, import them.
pub const STEPS: i32 = 2;

/// What an import job was given (kept as JSON in `job_runs.params`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportParams {
    pub file_name: String,
}

pub async fn recent(state: &AppState, admin: &CurrentSession) -> Result<Vec<ImportJob>, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let rows = jobs::recent(&state.db, jobs::KIND_HMIS_IMPORT, RECENT).await?;
    Ok(rows
        .into_iter()
        .map(|(row, started_by)| {
            let params: ImportParams = row
                .params
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok())
                .unwrap_or_default();
            ImportJob {
                state: JobState::from_status(&row.status),
                started: state.stamp(row.started_at),
                started_by,
                file_name: params.file_name,
                progress: row.progress,
                total: row.total.unwrap_or(STEPS),
                message: row.message,
                result: row
                    .result
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .unwrap_or_default(),
                job_run_id: row.job_run_id,
            }
        })
        .collect())
}

/// Refuses unless this session may import (HMIS admins).
pub fn may_import(admin: &CurrentSession) -> Result<(), AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin]).map(|_| ())
}

/// Queues the import of a file already saved at `state.jobs.import_path(id)`.
pub async fn queue(
    state: &AppState,
    admin: &CurrentSession,
    id: &str,
    file_name: &str,
) -> Result<(), AppError> {
    may_import(admin)?;
    let params = serde_json::to_string(&ImportParams {
        file_name: file_name.to_string(),
    })
    .map_err(|e| {
        tracing::error!(error = %e, "import parameters could not be encoded");
        AppError::Internal
    })?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    jobs::NewJob {
        id: id.to_string(),
        kind: jobs::KIND_HMIS_IMPORT,
        status: jobs::QUEUED,
        at: now,
        total: Some(STEPS),
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
        Event::new("hmis_import_started").on("job_run", id),
    )
    .await?;
    txn.commit().await?;
    state.jobs.wake.notify_one();
    Ok(())
}

/// Stores what an import found.
pub fn result_json(result: &ImportResult) -> Option<String> {
    serde_json::to_string(result).ok()
}
