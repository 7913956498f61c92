//! The data-quality report (supervisors, agency admins, HMIS admins): completeness per
//! HUD element, timeliness of data entry and integrity errors for an organization's or
//! a project's enrollments in a period, each count linked to its records, with CSV.

pub mod api;
#[cfg(feature = "ssr")]
mod computed;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod kept;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod sql;

use crate::domain::access::Workgroup;

/// Who reads the report (HMIS admins: any organization; the others: their own).
pub const REVIEWERS: &[Workgroup] = &[
    Workgroup::Supervisor,
    Workgroup::AgencyAdmin,
    Workgroup::HmisAdmin,
];

pub use pages::{DataQualityPage, DataQualityRecordsPage};

/// The integrity errors of some households (caseloads show them).
#[cfg(feature = "ssr")]
pub use service::integrity_errors;
