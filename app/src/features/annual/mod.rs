//! The Annual Assessment Tool (Home → Annual Assessment Tool): open enrollments whose
//! annual assessment is due on a chosen date, filtered, sorted by urgency, paginated,
//! downloadable as CSV, each with the actions that settle it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
mod households;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod stored;

pub use page::{AnnualAssessmentsPage, AnnualDueCard};
