//! Server functions of administrative exits: the HMIS admin's candidates, the preview
//! (a plan kept as a job that waits for confirmation), running it, and the list of
//! administrative exits an agency admin sees for their organization.

use std::collections::HashMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::jobs::JobState;
use crate::report::FilterChoice;

/// Days without activity the candidates list starts with.
pub const DEFAULT_DAYS: i32 = 90;

crate::report::filter! {
    /// Which households the candidates list covers.
    pub struct CandidateFilter {
        organization_id,
        project_id,
        /// No service or contact for at least this many days (90 when empty).
        days,
    }
}

/// A member of a household about to exit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub enrollment_id: String,
    pub personal_id: String,
    pub name: String,
    pub head: bool,
    pub entry_date: NaiveDate,
}

/// An open household without activity for the days asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub household_id: String,
    pub project_name: String,
    pub organization_name: String,
    /// Head first.
    pub members: Vec<HouseholdMember>,
    pub last_activity: NaiveDate,
    pub days_inactive: i64,
    /// The exit date by last activity (the morning after the last bed night in a
    /// night-by-night shelter).
    pub exit_date: NaiveDate,
    /// A member's CE referral waits for its result.
    pub held_by_referral: bool,
}

/// One page of candidates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatePage {
    pub today: NaiveDate,
    pub days: i32,
    pub rows: Vec<Candidate>,
    pub total_households: usize,
    pub total_enrollments: usize,
    pub page: usize,
    pub has_more: bool,
    pub organizations: Vec<FilterChoice>,
    pub projects: Vec<FilterChoice>,
    pub runs: Vec<AdminExitRun>,
}

/// One household of a plan: exactly the rows the job will write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedHousehold {
    pub household_id: String,
    pub project_id: String,
    pub project_name: String,
    pub exit_date: NaiveDate,
    /// The last activity seen at the preview: a later one stops this household's exit.
    pub last_activity: NaiveDate,
    pub members: Vec<HouseholdMember>,
}

/// A selected household the plan leaves out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSkip {
    pub household_id: String,
    pub head_personal_id: String,
    pub head_name: String,
    pub project_name: String,
    pub reason: String,
}

/// A previewed administrative exit (kept in `job_runs.params`; names are filled in
/// when it is read, never stored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitPlan {
    pub days: i32,
    /// None: each household on its last activity.
    pub chosen_date: Option<NaiveDate>,
    pub households: Vec<PlannedHousehold>,
    pub skipped: Vec<PlanSkip>,
}

impl AdminExitPlan {
    pub fn enrollments(&self) -> usize {
        self.households.iter().map(|h| h.members.len()).sum()
    }
}

/// What a run did, per household it did not exit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitResult {
    pub households_exited: u64,
    pub enrollments_exited: u64,
    pub not_exited: Vec<PlanSkip>,
}

/// A plan as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitPlanView {
    pub plan_id: String,
    /// `Planned` while it waits for confirmation.
    pub state: JobState,
    pub progress: i32,
    pub total: i32,
    pub message: Option<String>,
    pub previewed_by: Option<String>,
    pub plan: AdminExitPlan,
    pub result: Option<AdminExitResult>,
}

impl AdminExitPlanView {
    pub fn busy(&self) -> bool {
        self.state.busy()
    }
}

/// A previewed or run administrative exit, as the candidates page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitRun {
    pub plan_id: String,
    pub state: JobState,
    pub started: String,
    pub started_by: Option<String>,
    pub households: usize,
    pub progress: i32,
    pub total: i32,
    pub message: Option<String>,
}

/// Open households without a service or contact for the days asked, by organization
/// and project, one page at a time. HMIS admins only (an audited list view).
#[server(prefix = "/api", endpoint = "admin_exit_candidates")]
pub async fn admin_exit_candidates(
    #[server(default)] filter: CandidateFilter,
    page: Option<usize>,
) -> Result<CandidatePage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::page(&state, &session, &filter, page.unwrap_or(0)).await)
}

/// Keeps a plan of exactly what will change for the households picked
/// (`pick[household ID]`) or all matching the filter (`all`), exit date by last
/// activity or `exit_date`; answers the plan page's address. Nothing is exited yet.
#[server(prefix = "/api", endpoint = "preview_admin_exit")]
pub async fn preview_admin_exit(
    #[server(default)] filter: CandidateFilter,
    pick: Option<HashMap<String, String>>,
    all: Option<String>,
    exit_date: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let picked: Vec<String> = pick
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix(PICK_PREFIX).map(str::to_string))
        .collect();
    let result = super::service::preview(
        &state,
        &session,
        &filter,
        super::service::Selection {
            all: all.is_some_and(|a| !a.is_empty()),
            picked,
        },
        exit_date.as_deref(),
    )
    .await
    .map(|id| admin_exit_plan_path(&id));
    crate::state::respond_then_go(result, Clone::clone)
}

/// A plan with what it will change (or, once run, its progress and result). HMIS
/// admins only.
#[server(prefix = "/api", endpoint = "admin_exit_plan")]
pub async fn get_admin_exit_plan(plan_id: String) -> Result<AdminExitPlanView, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::plan_view(&state, &session, &plan_id).await)
}

/// Runs a previewed plan as a background job. HMIS admins only.
#[server(prefix = "/api", endpoint = "run_admin_exit")]
pub async fn run_admin_exit(plan_id: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let result = super::service::confirm(&state, &session, &plan_id).await;
    crate::state::respond_then_go(result, |id| admin_exit_plan_path(id))
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::session::CurrentSession, AppError> {
    crate::session::require(&[crate::domain::access::Workgroup::HmisAdmin])
}

crate::report::filter! {
    /// The list of administrative exits of an organization.
    pub struct DoneFilter {
        /// HMIS admins choose; agency admins see their own.
        organization_id,
    }
}

/// An administrative exit written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitDone {
    pub personal_id: String,
    pub name: String,
    pub project_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: NaiveDate,
    /// When it was written, in the CoC's time zone.
    pub recorded: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminExitsDonePage {
    pub organization_name: String,
    pub rows: Vec<AdminExitDone>,
    pub total: usize,
    pub page: usize,
    pub has_more: bool,
    pub organizations: Vec<FilterChoice>,
}

/// Administrative exits in an organization's projects, newest first: agency admins
/// (their organization) and HMIS admins (any). An audited list view.
#[server(prefix = "/api", endpoint = "admin_exits_done")]
pub async fn admin_exits_done(
    #[server(default)] filter: DoneFilter,
    page: Option<usize>,
) -> Result<AdminExitsDonePage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::AgencyAdmin,
        crate::domain::access::Workgroup::HmisAdmin,
    ]))?;
    crate::state::respond(super::done::list(&state, &session, &filter, page.unwrap_or(0)).await)
}

/// A household's checkbox name: `pick[hh_<household ID>]` (a key that starts with a
/// digit would be read as a list index).
pub fn pick_field(household_id: &str) -> String {
    format!("pick[{PICK_PREFIX}{household_id}]")
}

const PICK_PREFIX: &str = "hh_";

/// The candidates page for a filter.
pub fn candidates_path(filter: &CandidateFilter) -> String {
    format!("{}?{}", crate::routes::ADMIN_EXITS, filter.query())
}

/// A plan's page.
pub fn admin_exit_plan_path(plan_id: &str) -> String {
    format!("{}/{plan_id}", crate::routes::ADMIN_EXITS)
}
