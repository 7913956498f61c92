//! Organizations (HUD 2.01): HMIS admins create and edit them, mark the victim service
//! providers (whose records stay inside them) and the CoC's Coordinated Entry
//! organization; agency admins see and rename their own.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::OrganizationsPage;
