//! Pure HUD rules and code lists: no IO, no leptos, no database, no clock (today is
//! always a parameter). Both the server and the browser call these.

pub mod access;
pub mod annual;
pub mod auto_exit;
pub mod ce;
pub mod codes;
pub mod conditions;
pub mod data_quality;
pub mod dates;
pub mod dedup;
pub mod disability;
pub mod enrollment;
pub mod exit;
pub mod household;
pub mod input;
pub mod projects;
pub mod retired;
pub mod services;
