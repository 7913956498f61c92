//! One folder per capability: `api.rs` (server functions and DTOs), pages, and the
//! server-only `service.rs`.

pub mod access;
pub mod admin;
pub mod caseload;
pub mod clients;
pub mod exits;
pub mod hmis_export;
pub mod hmis_import;
pub mod home;
pub mod jobs;
pub mod organizations;
pub mod profile;
pub mod projects;
pub mod services;
pub mod workflows;
