//! One folder per capability: `api.rs` (server functions and DTOs), pages, and the
//! server-only `service.rs`.

pub mod access;
pub mod admin;
pub mod home;
