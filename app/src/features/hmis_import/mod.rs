//! The HMIS CSV import from the browser: an HMIS admin uploads an FY2026 export (a
//! zip), watches it being checked and imported, and reads the problems found when it
//! is refused, or the import's report: each file's rows and every finding (a cell or
//! row that breaks the specification, and what was done about it). The upload is a
//! plain form post to a server route (it works without JavaScript); the import runs as
//! a background job (`server/src/jobs.rs`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
mod pages;
mod report;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ImportsPage;
pub use report::ImportReportPage;
