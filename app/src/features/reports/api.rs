//! Server functions and DTOs of the reports.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::report::FilterChoice;

crate::report::filter! {
    /// The milestone report's filters.
    pub struct MilestoneFilter {
        /// HMIS admins choose any organization; others see their own.
        organization_id,
        project_id,
        /// Also list those who turn 18 within this many days (0 when empty).
        within_days,
    }
}

/// A client who turned (or turns) 18 during an open enrollment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneRow {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub dob: NaiveDate,
    pub turns_18: NaiveDate,
    pub project_name: String,
    pub entry_date: NaiveDate,
    /// The adult data elements not recorded yet ("Veteran status (3.07)", …).
    pub needs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonePage {
    pub today: NaiveDate,
    pub rows: Vec<MilestoneRow>,
    pub organizations: Vec<FilterChoice>,
    pub projects: Vec<FilterChoice>,
}

/// The Client Milestone Age Status report (case work; an audited list view).
#[server(prefix = "/api", endpoint = "milestone_report")]
pub async fn milestone_report(#[server(default)] filter: MilestoneFilter) -> Result<MilestonePage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::report(&state, &session, &filter).await)
}

/// The CSV download's address for a filter.
pub fn milestones_csv_path(filter: &MilestoneFilter) -> String {
    format!("{}?{}", crate::routes::MILESTONES_CSV, filter.query())
}
