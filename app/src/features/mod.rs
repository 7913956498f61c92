//! One folder per capability: `api.rs` (server functions and DTOs), pages, and the
//! server-only `service.rs`.

pub mod access;
pub mod admin;
pub mod admin_exits;
pub mod annual;
pub mod auto_exit;
pub mod caseload;
pub mod client_search;
pub mod clients;
pub mod coordinated_entry;
pub mod data_quality;
pub mod exits;
pub mod hmis_export;
pub mod hmis_import;
pub mod home;
pub mod organizations;
pub mod profile;
pub mod projects;
pub mod reports;
pub mod services;
pub mod workflows;
