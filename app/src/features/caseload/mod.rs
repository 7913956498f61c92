//! Case assignments: "My Case Assignments" on the home page (clients, their open
//! enrollments, what is due) and reassignment by supervisors and admins.

pub mod api;
mod components;
#[cfg(feature = "ssr")]
pub mod service;

pub use components::{MyCaseAssignments, MyDrafts, ReassignForm};
