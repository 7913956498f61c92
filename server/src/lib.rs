//! The `hearth` server: configuration, telemetry, the HTTP router and the CLI
//! commands. `main.rs` only parses arguments and calls into here.

pub mod assets;
pub mod auto_exit_list;
pub mod backup;
pub mod boundary;
pub mod cli;
pub mod config;
pub mod copy;
pub mod downloads;
pub mod hmis_csv;
pub mod jobs;
pub mod keys;
pub mod router;
pub mod security;
pub mod telemetry;
pub mod uploads;
