//! Administrative exits (HMIS admins): open households without activity for a number
//! of days, picked (or all matching), previewed row by row, then exited by a background
//! job with destination 30 and reason Administrative Exit; agency admins see the
//! administrative exits done in their organization.

pub mod api;
#[cfg(feature = "ssr")]
pub mod done;
mod pages;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{AdminExitPlanPage, AdminExitsDonePage, AdminExitsPage};
