//! Administration: users and their access (agency admins for their organization,
//! HMIS admins for all), and the audit log (HMIS admins).

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{AdminPage, AuditLogPage, UserDetailPage, UsersPage};
