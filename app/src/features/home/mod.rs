//! The home page: what Hearth knows about itself and the CoC, read from the database.

pub mod api;
mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use page::HomePage;
