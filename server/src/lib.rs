//! The `hearth` server: configuration, telemetry, the HTTP router and the CLI
//! commands. `main.rs` only parses arguments and calls into here.

pub mod cli;
pub mod config;
pub mod router;
pub mod telemetry;
