//! The HMIS CSV import from the browser: an HMIS admin uploads an FY2026 export (a
//! zip), watches it being checked and imported, and reads the problems found when it
//! is refused. The upload is a plain form post to a server route (it works without
//! JavaScript); the import runs as a background job (`server/src/jobs.rs`).

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ImportsPage;
