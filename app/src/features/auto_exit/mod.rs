//! Auto-exit and auto-alert: the sweep that exits households which stopped coming
//! (`sweep`, server only; run daily by the job runner and by `hearth auto-exit`), the
//! HMIS admin's page of projects and sweeps, and the "Approaching auto-exit" report and
//! home card for case managers and agencies.

mod alerts_page;
pub mod api;
#[cfg(feature = "ssr")]
pub mod approaching;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sweep;

pub use alerts_page::{ApproachingAutoExitCard, ApproachingAutoExitPage};
pub use page::{AutoExitDryRunPage, AutoExitPage};
