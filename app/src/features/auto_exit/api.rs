//! Server functions of the auto-exit page (HMIS admins).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::jobs::JobState;

/// What a sweep was asked to do (kept as JSON in `job_runs.params`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepParams {
    pub dry_run: bool,
    /// One project; None for every project with a setting.
    pub project_id: Option<String>,
}

/// A project with an auto-exit setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoExitProject {
    pub project_id: String,
    pub project_name: String,
    pub organization_name: String,
    pub exit_days: i32,
    pub alert_days: Option<i32>,
}

/// A household a sweep left open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedHousehold {
    pub project_name: String,
    pub head_personal_id: String,
    pub reason: String,
}

/// One sweep, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoExitRun {
    pub job_run_id: String,
    pub state: JobState,
    /// When it was queued, in the CoC's time zone.
    pub started: String,
    /// None: the daily sweep.
    pub started_by: Option<String>,
    pub scope: String,
    pub dry_run: bool,
    pub progress: i32,
    pub total: i32,
    pub message: Option<String>,
    pub skipped: Vec<SkippedHousehold>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoExitOverview {
    pub projects: Vec<AutoExitProject>,
    pub runs: Vec<AutoExitRun>,
}

impl AutoExitOverview {
    /// A sweep is waiting or running: the page keeps checking.
    pub fn busy(&self) -> bool {
        self.runs.iter().any(|r| r.state.busy())
    }
}

/// One household of a dry run: what the sweep would do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunRow {
    pub project_name: String,
    pub head_personal_id: String,
    pub head_name: String,
    /// Every open member's name, head first.
    pub members: Vec<String>,
    pub last_service: Option<chrono::NaiveDate>,
    pub last_contact: Option<chrono::NaiveDate>,
    pub last_bed_night: Option<chrono::NaiveDate>,
    /// The exit date the sweep would write; None when it would skip the household.
    pub exit_date: Option<chrono::NaiveDate>,
    /// Why the sweep would leave it open.
    pub skipped: Option<String>,
}

/// A page of a dry run's households.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunPage {
    pub job_run_id: String,
    /// When it ran, in the CoC's time zone.
    pub started: String,
    pub scope: String,
    pub state: JobState,
    pub would_exit: u64,
    pub enrollments: u64,
    pub skipped: u64,
    /// Households kept in the run's record (the counts above are whole).
    pub listed: usize,
    pub rows: Vec<DryRunRow>,
    pub page: usize,
    pub has_more: bool,
}

/// The households a dry run would exit or skip, a page at a time (audited). HMIS
/// admins only.
#[server(prefix = "/api", endpoint = "auto_exit_dry_run")]
pub async fn get_auto_exit_dry_run(job_run_id: String, page: Option<usize>) -> Result<DryRunPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(
        super::service::dry_run_page(&state, &session, &job_run_id, page.unwrap_or(0)).await,
    )
}

/// The projects that auto-exit and the recent sweeps. HMIS admins only.
#[server(prefix = "/api", endpoint = "auto_exit_overview")]
pub async fn get_auto_exit_overview() -> Result<AutoExitOverview, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::overview(&state, &session).await)
}

/// Queues a sweep (or a dry run that only counts); answers its job ID. HMIS admins only.
#[server(prefix = "/api", endpoint = "start_auto_exit")]
pub async fn start_auto_exit(
    project_id: Option<String>,
    dry_run: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let project_id = crate::domain::input::optional_text(project_id);
    let result = super::service::start(&state, &session, project_id, dry_run.is_some()).await;
    crate::state::respond_then_go(result, |_| crate::routes::ADMIN_AUTO_EXIT.to_string())
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::session::CurrentSession, AppError> {
    crate::session::require(&[crate::domain::access::Workgroup::HmisAdmin])
}

crate::report::filter! {
    /// The "Approaching auto-exit" report's filters.
    pub struct ApproachingFilter {
        /// HMIS admins choose any organization; others see their own.
        organization_id,
        project_id,
        /// "yes": only households with a member on the user's case assignments.
        mine,
    }
}

/// A household past its project's alert age.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproachingRow {
    pub household_id: String,
    pub head_enrollment_id: String,
    pub head_personal_id: String,
    pub head_name: String,
    pub members: usize,
    pub project_name: String,
    pub last_activity: chrono::NaiveDate,
    pub days_inactive: i64,
    /// The day the sweep exits it unless someone sees the household first.
    pub exits_on: chrono::NaiveDate,
    /// Kept open by a CE referral waiting for its result.
    pub held_by_referral: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproachingPage {
    pub today: chrono::NaiveDate,
    pub rows: Vec<ApproachingRow>,
    pub organizations: Vec<crate::report::FilterChoice>,
    pub projects: Vec<crate::report::FilterChoice>,
}

/// Households past their project's auto-alert age, soonest exit first (case work; an
/// audited list view).
#[server(prefix = "/api", endpoint = "approaching_auto_exit")]
pub async fn approaching_auto_exit(
    #[server(default)] filter: ApproachingFilter,
) -> Result<ApproachingPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::approaching::report(&state, &session, &filter).await)
}

/// The home page's counts of households approaching auto-exit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproachingCounts {
    pub organization_id: String,
    pub organization: usize,
    pub mine: usize,
}

#[server(prefix = "/api", endpoint = "approaching_auto_exit_counts")]
pub async fn approaching_auto_exit_counts() -> Result<Option<ApproachingCounts>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::approaching::counts(&state, &session).await)
}

/// The report's address for a filter.
pub fn approaching_path(filter: &ApproachingFilter) -> String {
    format!("{}?{}", crate::routes::APPROACHING_AUTO_EXIT, filter.query())
}

/// The CSV download's address for a filter.
pub fn approaching_csv_path(filter: &ApproachingFilter) -> String {
    format!("{}?{}", crate::routes::APPROACHING_AUTO_EXIT_CSV, filter.query())
}
