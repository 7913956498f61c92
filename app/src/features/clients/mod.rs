//! Clients: search (with the dedup search of intake), the client dashboard with its
//! enrollments and their action menus, and who may see which client.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{ClientDashboardPage, ClientsPage, HeaderSearch};
