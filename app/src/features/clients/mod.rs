//! The client dashboard: the client's header, enrollments with their households and
//! action menus, assessments, drafts and case assignment.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ClientDashboardPage;
