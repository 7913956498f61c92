//! Services and current living situation contacts of an enrollment: recorded by the
//! owning organization, listed on the enrollment's Services page.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::EnrollmentServicesPage;

/// The services a step may record (exit records its last contact's service).
#[cfg(feature = "ssr")]
pub use service::{parse_choice, service_choices};
