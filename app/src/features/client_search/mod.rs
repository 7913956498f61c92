//! Finding a client: the search page and header box (ID, name prefixes "joh smi", date
//! of birth, SSN last four) and the dedup search intake runs before creating anyone.
//! Below the client dashboard and the workflows, which both show what it finds.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{ClientHitsTable, ClientsPage, HeaderSearch};
