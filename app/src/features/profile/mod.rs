//! The client profile (WellSky's "Client Profile" sub-assessments): contact
//! information, emergency contacts, residence history, outreach information and client
//! notes. Each is added, edited (the earlier version is kept as history) and listed.
//! Notes are shared across agencies; the rest stay with the organization that
//! recorded them.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ClientProfilePage;

/// Checking and storing a profile record (intake records outreach information too).
#[cfg(feature = "ssr")]
pub use service::{check as check_record, insert_record};
