//! Projects (HUD 2.02) with their CoC information (2.03) and funding sources (2.06):
//! agency admins manage their organization's projects, HMIS admins every project.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{ProjectPage, ProjectsPage};
