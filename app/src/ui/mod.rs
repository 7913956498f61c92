//! Shared widgets used by every feature.

pub mod chart;
pub mod fields;
pub mod form;
pub mod format;
pub mod keyed;
pub mod layout;
pub mod menu;
pub mod status;
pub mod table;
