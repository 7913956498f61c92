//! Shared widgets used by every feature.

pub mod layout;
pub mod status;
