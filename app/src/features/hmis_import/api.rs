//! Server functions for HMIS CSV imports.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::features::jobs::JobState;

/// One problem found in an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

/// What an import job found (kept as JSON in `job_runs.result`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    /// The first problems (at most 200).
    pub problems: Vec<ImportProblem>,
    /// All problems found.
    pub total: usize,
}

/// One import, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub job_run_id: String,
    pub state: JobState,
    /// When it started, in the CoC's time zone.
    pub started: String,
    pub started_by: Option<String>,
    /// The uploaded file's name.
    pub file_name: String,
    pub progress: i32,
    pub total: i32,
    pub message: Option<String>,
    pub result: ImportResult,
}

/// The largest upload accepted, in bytes (2 GiB).
pub const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024 * 1024;

/// Recent imports, newest first. HMIS admins only.
#[server(prefix = "/api", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportJob>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::features::access::guard::require(&[
        crate::domain::access::Workgroup::HmisAdmin,
    ]))?;
    crate::state::respond(super::service::recent(&state, &session).await)
}
