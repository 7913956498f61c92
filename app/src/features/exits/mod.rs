//! Exits. This release: re-entering an incorrectly exited enrollment (the exit and its
//! exit-stage records are removed after a confirmation, audited). The exit workflow
//! itself follows.

pub mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::ReEnterPage;
