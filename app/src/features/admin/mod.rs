//! Administration: users and their access (agency admins for their organization,
//! HMIS admins for all), and the audit log (HMIS admins).

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod csv;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{AdminPage, AuditLogPage, UserDetailPage, UsersPage};

/// The organizations a user may manage (projects are managed by the same people).
#[cfg(feature = "ssr")]
pub use service::managed_organizations;
