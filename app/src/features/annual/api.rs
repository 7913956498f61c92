//! Server functions and DTOs of the Annual Assessment Tool.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::report::FilterChoice;

crate::report::filter! {
    /// The tool's filters, as the page's query string carries them.
    pub struct AnnualFilter {
        /// HMIS admins choose any organization; others see their own.
        organization_id,
        project_id,
        /// HUD 2.06.1 funding source code.
        funder,
        /// A client's PersonalID.
        personal_id,
        /// YYYY-MM-DD; today when empty.
        due,
        /// "yes": only the households of the user's case assignments.
        mine,
    }
}

/// One household member whose annual assessment is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualDueRow {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub head_personal_id: String,
    pub head_name: String,
    pub project_name: String,
    /// The member's project start date.
    pub entry_date: NaiveDate,
    /// The head of household's start date, which the window follows.
    pub head_entry_date: NaiveDate,
    pub anniversary: NaiveDate,
    pub opens: NaiveDate,
    pub closes: NaiveDate,
    /// Days from the due date to the window's close.
    pub days_left: i64,
}

/// One page of the tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualDuePage {
    pub due: NaiveDate,
    pub rows: Vec<AnnualDueRow>,
    /// Members due; with `more`, the list holds more than this many (not counted).
    pub total: usize,
    pub more: bool,
    pub page: usize,
    pub has_more: bool,
    pub organizations: Vec<FilterChoice>,
    pub projects: Vec<FilterChoice>,
    pub funders: Vec<FilterChoice>,
}

/// Rows per page.
pub const PAGE_SIZE: usize = 50;

/// A count of members due stops here ("more than 500"): counting the whole list would
/// read every household in its window. The CSV download holds them all.
pub const COUNT_LIMIT: usize = 500;

/// The tool's address for a filter.
pub fn tool_path(filter: &AnnualFilter) -> String {
    let query = filter.query();
    if query.is_empty() {
        crate::routes::ANNUAL_ASSESSMENTS.to_string()
    } else {
        format!("{}?{query}", crate::routes::ANNUAL_ASSESSMENTS)
    }
}

/// The CSV download's address for a filter.
pub fn csv_path(filter: &AnnualFilter) -> String {
    format!("{}?{}", crate::routes::ANNUAL_ASSESSMENTS_CSV, filter.query())
}

/// Enrollments whose annual assessment is due on the filter's date (case work; an
/// audited list view).
#[server(prefix = "/api", endpoint = "annual_due")]
pub async fn annual_due(
    #[server(default)] filter: AnnualFilter,
    page: Option<usize>,
) -> Result<AnnualDuePage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::page(&state, &session, &filter, page.unwrap_or(0)).await)
}

/// The home page's counts: annuals due today in the organization's projects and for
/// the user's case assignments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualCounts {
    /// The acting organization the first count is about.
    pub organization_id: String,
    pub organization: usize,
    /// More than `organization` (`COUNT_LIMIT`) are due there.
    pub organization_more: bool,
    pub mine: usize,
}

#[server(prefix = "/api", endpoint = "annual_due_counts")]
pub async fn annual_due_counts() -> Result<Option<AnnualCounts>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::counts(&state, &session).await)
}
