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
    let session = crate::state::respond(crate::features::access::guard::require_user())?;
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
    let session = crate::state::respond(crate::features::access::guard::require_user())?;
    let result = super::service::reassign(&state, &session, &personal_id, &user_id).await;
    crate::state::respond_then_go(result, String::clone)
}
