//! Server-side reads for the home page.

use std::time::Instant;

use crate::db::{self, settings};
use crate::error::AppError;
use crate::state::AppState;

use super::api::SystemStatus;

pub async fn system_status(state: &AppState) -> Result<SystemStatus, AppError> {
    let started = Instant::now();
    let coc_name = settings::get(&state.db, settings::COC_NAME)
        .await?
        .unwrap_or_else(|| "Continuum of Care".to_string());
    let migrations_applied = db::migrations_applied(&state.db).await?;
    let database_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(SystemStatus {
        coc_name,
        database: db::backend_name(&state.db).to_string(),
        migrations_applied,
        today: state.today(),
        time_zone: state.time_zone.name().to_string(),
        checked_at: state.now(),
        // To the millisecond: "Check database again" shows a new answer even within a second.
        checked: state
            .now()
            .with_timezone(&state.time_zone)
            .format("%b %-d, %Y %-I:%M:%S%.3f %p")
            .to_string(),
        database_ms,
    })
}
