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
#[cfg(feature = "ssr")]
mod inactivity;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sweep;
#[cfg(feature = "ssr")]
mod system_exit;

pub use alerts_page::{ApproachingAutoExitCard, ApproachingAutoExitPage};
pub use page::{AutoExitDryRunPage, AutoExitPage};

// What other features build on: the inactivity rule's queries (admin exits, the data
// quality report, caseloads) and the system exit of a household (admin exits).
#[cfg(feature = "ssr")]
pub use approaching::among as approaching_among;
#[cfg(feature = "ssr")]
pub(crate) use inactivity::{
    Inactive, among as inactive_among, inactive_for, members, next_batch, projects as inactivity_projects,
};
#[cfg(feature = "ssr")]
pub(crate) use sweep::Member;
#[cfg(feature = "ssr")]
pub(crate) use system_exit::{SystemExit, exit_members};
