//! Shared widgets used by every feature.

pub mod form;
pub mod layout;
pub mod status;
