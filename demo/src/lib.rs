//! What evaluators and developers run, kept out of the product's code: the demo
//! organizations, projects and users that `hearth serve --demo` (`make run`) creates
//! ([`accounts`]), the generated HMIS population of `hearth demo-data` ([`data`]), and
//! the measurements of `hearth bench` that docs/PERFORMANCE.md reports ([`bench`]).
//!
//! The server's CLI calls into here; nothing in `app` or the server's request paths
//! depends on it. Everything it writes goes through `app`'s entities and services, as
//! a user's work would.

pub mod accounts;
pub mod bench;
pub mod data;
