//! Server functions of the home page and the types they return.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the home page shows about the system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// The Continuum of Care's display name (setting `coc_name`).
    pub coc_name: String,
    /// "SQLite" or "PostgreSQL".
    pub database: String,
    /// Number of schema migrations applied.
    pub migrations_applied: u32,
    /// Today's date in the CoC's time zone.
    pub today: NaiveDate,
    /// The CoC's IANA time zone name.
    pub time_zone: String,
    /// When the server answered.
    pub checked_at: DateTime<Utc>,
    /// `checked_at` in the CoC's time zone.
    pub checked: String,
    /// How long the database took to answer, in milliseconds.
    pub database_ms: f64,
}

/// Reads the system status from the database.
#[server(prefix = "/api", endpoint = "system_status")]
pub async fn get_system_status() -> Result<SystemStatus, AppError> {
    let state = crate::state::use_app_state()?;
    crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::system_status(&state).await)
}
