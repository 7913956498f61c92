//! Reports: the Client Milestone Age Status report (clients in open enrollments who
//! turned 18 since entry, or will soon, and what needs updating).

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use page::{MilestonesPage, ReportsPage};
