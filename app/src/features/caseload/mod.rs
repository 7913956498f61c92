//! Case assignments: "My Case Assignments" on the home page (clients, their open
//! enrollments, what is due), reassignment by supervisors and admins, and the
//! supervisor's caseload dashboard (every case manager's load, charts, drill-down).

pub mod api;
mod components;
#[cfg(feature = "ssr")]
pub mod loads;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use components::{CaseloadTable, MyCaseAssignments, MyDrafts, ReassignForm};
pub use pages::{CaseloadDetailPage, CaseloadsCard, CaseloadsPage};

/// Whether a user may reassign cases, and to whom (the client dashboard offers it).
#[cfg(feature = "ssr")]
pub use service::{case_manager_options, may_reassign};
