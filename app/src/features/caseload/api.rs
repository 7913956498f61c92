//! Server functions and DTOs of case assignments.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One client on the user's caseload, with an open (or the assigned) enrollment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadRow {
    pub personal_id: String,
    pub name: String,
    pub project_name: Option<String>,
    pub entry_date: Option<NaiveDate>,
    pub exit_date: Option<NaiveDate>,
    /// What is due: "Annual assessment due by 12/30/2026", "overdue", …
    pub due: Vec<String>,
}

/// The user's active case assignments in the acting organization.
#[server(prefix = "/api", endpoint = "my_case_assignments")]
pub async fn my_case_assignments() -> Result<Vec<CaseloadRow>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::my_case_assignments(&state, &session).await)
}

/// A user who can take a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerOption {
    pub user_id: String,
    pub name: String,
}

/// Assigns the client to another case manager of the organization; the current
/// assignments there end today. Supervisors, agency admins and HMIS admins.
#[server(prefix = "/api", endpoint = "reassign_case")]
pub async fn reassign_case(personal_id: String, user_id: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::service::reassign(&state, &session, &personal_id, &user_id).await;
    crate::state::respond_then_go(result, String::clone)
}

crate::report::filter! {
    /// Which organization's caseloads (HMIS admins choose; others see their own).
    pub struct CaseloadFilter {
        organization_id,
    }
}

/// One case manager's load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerLoad {
    pub user_id: String,
    pub name: String,
    /// Clients with an open case assignment and an open enrollment (or none yet).
    pub active_clients: usize,
    pub households: usize,
    pub annuals_due: usize,
    pub annuals_overdue: usize,
    /// Households past their project's auto-alert age.
    pub exits_due: usize,
    pub open_drafts: usize,
    /// Integrity errors (data-quality report) on their clients' open enrollments.
    pub dq_errors: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadDashboard {
    pub organization_id: String,
    pub organization_name: String,
    pub today: NaiveDate,
    pub managers: Vec<ManagerLoad>,
    pub organizations: Vec<crate::report::FilterChoice>,
}

/// Every case manager's load in the organization: supervisors and agency admins (their
/// organization), HMIS admins (any). An audited view.
#[server(prefix = "/api", endpoint = "caseload_dashboard")]
pub async fn get_caseload_dashboard(
    #[server(default)] filter: CaseloadFilter,
) -> Result<CaseloadDashboard, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::loads::dashboard(&state, &session, &filter).await)
}

/// One case manager's clients, with who else can take them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadDetail {
    pub load: ManagerLoad,
    pub organization_id: String,
    pub organization_name: String,
    pub rows: Vec<CaseloadRow>,
    pub options: Vec<CaseManagerOption>,
}

/// A case manager's clients (the dashboard's drill-down; audited).
#[server(prefix = "/api", endpoint = "caseload_of")]
pub async fn caseload_of(
    user_id: String,
    #[server(default)] filter: CaseloadFilter,
) -> Result<CaseloadDetail, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::loads::detail(&state, &session, &filter, &user_id).await)
}

/// The dashboard's address.
pub fn caseloads_path(filter: &CaseloadFilter) -> String {
    let query = filter.query();
    if query.is_empty() {
        crate::routes::CASELOADS.to_string()
    } else {
        format!("{}?{query}", crate::routes::CASELOADS)
    }
}

/// A case manager's drill-down.
pub fn caseload_path(user_id: &str, filter: &CaseloadFilter) -> String {
    let query = filter.query();
    let base = format!("{}/{user_id}", crate::routes::CASELOADS);
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}
