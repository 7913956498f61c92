//! Server functions for HMIS CSV exports.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What an export job was asked for (kept as JSON in `job_runs.params`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportParams {
    /// None: everything up to `to`.
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// ProjectIDs; empty for all projects.
    pub projects: Vec<String>,
    pub hash_pii: bool,
}

pub use crate::jobs::JobState;

/// One export, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportJob {
    pub job_run_id: String,
    pub state: JobState,
    pub started_at: DateTime<Utc>,
    /// When it started, in the CoC's time zone, for people to read.
    pub started: String,
    pub finished_at: Option<DateTime<Utc>>,
    /// Files written, of `total`.
    pub progress: i32,
    pub total: i32,
    /// What it is doing now, or how it ended.
    pub message: Option<String>,
    pub params: ExportParams,
    /// The project's name when one project was exported.
    pub project_name: Option<String>,
    pub started_by: Option<String>,
}

/// A project to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectChoice {
    pub project_id: String,
    pub label: String,
}

/// The exports page's data: recent exports and the projects one may pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportsOverview {
    pub jobs: Vec<ExportJob>,
    pub projects: Vec<ProjectChoice>,
}

impl ExportsOverview {
    /// An export is still being written: the page keeps checking.
    pub fn busy(&self) -> bool {
        self.jobs.iter().any(|j| j.state.busy())
    }
}

/// Recent exports (newest first) and the projects to choose from. HMIS admins only.
#[server(prefix = "/api", endpoint = "list_exports")]
pub async fn list_exports() -> Result<ExportsOverview, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::overview(&state, &session).await)
}

/// Queues an export; answers its job ID. HMIS admins only.
#[server(prefix = "/api", endpoint = "start_export")]
pub async fn start_export(
    from: Option<String>,
    to: Option<String>,
    project_id: Option<String>,
    hash_pii: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::input::optional_text;
    use crate::error::FieldError;
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let parsed = (|| {
        Ok((
            FieldError::date("from", from.as_deref())?,
            FieldError::date("to", to.as_deref())?,
            optional_text(project_id),
        ))
    })();
    let result = match parsed {
        Ok((from, to, project)) => {
            super::service::start(&state, &session, from, to, project, hash_pii.is_some()).await
        }
        Err(e) => Err(e),
    };
    crate::state::respond_then_go(result, |_| crate::routes::ADMIN_EXPORTS.to_string())
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::session::CurrentSession, AppError> {
    crate::session::require(&[crate::domain::access::Workgroup::HmisAdmin])
}

/// The download address of a finished export.
pub fn download_path(job_run_id: &str) -> String {
    format!("{}/{job_run_id}/download", crate::routes::ADMIN_EXPORTS)
}
