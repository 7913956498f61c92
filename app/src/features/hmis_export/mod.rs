//! The HMIS CSV FY2026 export from the browser: an HMIS admin starts one (period,
//! project, hashed or not), watches its progress and downloads the zip. The export
//! itself runs as a background job in the server (`server/src/jobs.rs`).

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ExportsPage;
