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
