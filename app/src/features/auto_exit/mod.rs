//! Auto-exit and auto-alert: the sweep that exits households which stopped coming
//! (`sweep`, server only; run daily by the job runner and by `hearth auto-exit`), the
//! HMIS admin's page of projects and sweeps, and the "Approaching auto-exit" report and
//! home card for case managers and agencies.

mod alerts_page;
pub mod api;
#[cfg(feature = "ssr")]
pub mod approaching;
#[cfg(feature = "ssr")]
pub mod csv;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sweep;

pub use alerts_page::{ApproachingAutoExitCard, ApproachingAutoExitPage};
pub use page::{AutoExitDryRunPage, AutoExitPage};

// What other features build on: the inactivity rule's queries (admin exits, the data
// quality report, caseloads) and the system exit of a household (admin exits).
#[cfg(feature = "ssr")]
pub use approaching::among as approaching_among;
#[cfg(feature = "ssr")]
pub(crate) use sweep::{
    Inactive, Member, SystemExit, among as inactive_among, exit_members, inactive_for, members, next_batch,
    projects as inactivity_projects,
};
