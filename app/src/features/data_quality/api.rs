//! Server functions of the data-quality report: the counts, and the records behind
//! any count.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::report::FilterChoice;

crate::report::filter! {
    /// Which enrollments the report covers: projects of an organization (HMIS admins choose
    /// any; others their own), one project, and the period (enrollments active in it).
    pub struct DqFilter {
        organization_id,
        project_id,
        /// First day (a year before `to` when empty).
        from,
        /// Last day (today when empty).
        to,
    }
}

/// The report: every count by its code (see `domain::data_quality`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DqReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Enrollments active in the period.
    pub enrollments: usize,
    pub counts: BTreeMap<String, usize>,
    pub organizations: Vec<FilterChoice>,
    pub projects: Vec<FilterChoice>,
}

impl DqReport {
    pub fn count(&self, code: &str) -> usize {
        self.counts.get(code).copied().unwrap_or(0)
    }
}

/// One record behind a count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DqRecord {
    pub personal_id: String,
    pub name: String,
    pub enrollment_id: String,
    pub project_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    /// What is wrong, in words.
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DqRecordsPage {
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<DqRecord>,
    pub total: usize,
    pub page: usize,
    pub has_more: bool,
}

/// The data-quality report for the filter: supervisors, agency admins (their
/// organization) and HMIS admins. An audited list view.
#[server(prefix = "/api", endpoint = "data_quality_report")]
pub async fn data_quality_report(#[server(default)] filter: DqFilter) -> Result<DqReport, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(reviewer())?;
    crate::state::respond(super::service::report(&state, &session, &filter).await)
}

/// The records behind one count (`check`: its code), a page at a time (audited).
#[server(prefix = "/api", endpoint = "data_quality_records")]
pub async fn data_quality_records(
    #[server(default)] filter: DqFilter,
    check: String,
    page: Option<usize>,
) -> Result<DqRecordsPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(reviewer())?;
    crate::state::respond(
        super::service::records_page(&state, &session, &filter, &check, page.unwrap_or(0)).await,
    )
}

#[cfg(feature = "ssr")]
fn reviewer() -> Result<crate::session::CurrentSession, AppError> {
    crate::session::require(super::REVIEWERS)
}

/// The report's address for a filter.
pub fn report_path(filter: &DqFilter) -> String {
    format!("{}?{}", crate::routes::DATA_QUALITY, filter.query())
}

/// The records behind a count.
pub fn records_path(filter: &DqFilter, check: &str) -> String {
    let query = filter.query();
    let sep = if query.is_empty() { "" } else { "&" };
    format!(
        "{}?{query}{sep}check={check}",
        crate::routes::DATA_QUALITY_RECORDS
    )
}

/// The CSV of the records behind a count, or (no check) of every count.
pub fn csv_path(filter: &DqFilter, check: Option<&str>) -> String {
    let query = filter.query();
    match check {
        Some(check) => {
            let sep = if query.is_empty() { "" } else { "&" };
            format!("{}?{query}{sep}check={check}", crate::routes::DATA_QUALITY_CSV)
        }
        None => format!("{}?{query}", crate::routes::DATA_QUALITY_CSV),
    }
}
