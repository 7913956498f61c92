//! Exits on the server: re-entering an exited enrollment.

use sea_orm::ConnectionTrait;

use super::api::ReEnterPreview;
use crate::db::audit::{self, Event};
use crate::db::{begin_write, statement};
use crate::domain::access::{CASE_WORK, Workgroup};
use crate::domain::codes::DESTINATION;
use crate::domain::exit::check_re_enter;
use crate::error::AppError;
use crate::features::access::guard::CurrentSession;
use crate::features::clients::service::{EnrollmentAccess, enrollment_access};
use crate::features::workflows::assessment::{STAGE_TABLES, remove};
use crate::features::workflows::exit::{RecordedExit, recorded_exit};
use crate::state::AppState;

/// The stage-3 (exit) master assessments of an enrollment, as SQL.
const EXIT_EVENTS: &str = "SELECT assessment_event_id FROM assessment_events \
    WHERE enrollment_id = ? AND data_collection_stage = 3 AND date_deleted IS NULL";

/// The enrollment's exit, which re-entering removes.
async fn live_exit(db: &impl ConnectionTrait, enrollment_id: &str) -> Result<RecordedExit, AppError> {
    recorded_exit(db, enrollment_id)
        .await?
        .ok_or_else(|| AppError::Conflict("This enrollment is open: there is no exit to remove.".into()))
}

/// The enrollment, for a user who may change it.
async fn editable(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<EnrollmentAccess, AppError> {
    session.require_workgroup(CASE_WORK)?;
    let access = enrollment_access(&state.db, session, enrollment_id).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    Ok(access)
}

fn hmis_admin(session: &CurrentSession) -> bool {
    session
        .context
        .as_ref()
        .is_some_and(|c| c.workgroup == Workgroup::HmisAdmin)
}

pub async fn preview(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<ReEnterPreview, AppError> {
    let access = editable(state, session, enrollment_id).await?;
    let db = &state.db;
    let exit = live_exit(db, enrollment_id).await?;
    let mut records = 0u64;
    for table in STAGE_TABLES {
        let row = db
            .query_one_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE date_deleted IS NULL AND assessment_event_id IN ({EXIT_EVENTS})"
                ),
                vec![enrollment_id.into()],
            ))
            .await?;
        if let Some(row) = row {
            records += u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
        }
    }
    Ok(ReEnterPreview {
        refused: check_re_enter(exit.exit_date, state.today(), hmis_admin(session)).err(),
        enrollment_id: access.enrollment_id,
        personal_id: access.personal_id,
        client_name: access.client_name,
        project_name: access.project_name,
        entry_date: access.entry_date,
        exit_date: exit.exit_date,
        destination: DESTINATION
            .label(exit.destination)
            .unwrap_or("Unknown")
            .to_string(),
        exit_stage_records: records,
    })
}

pub async fn re_enter(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<String, AppError> {
    let access = editable(state, session, enrollment_id).await?;
    crate::features::coordinated_entry::service::check_ce_exit(session, &access)?;
    let db = &state.db;
    let exit = live_exit(db, enrollment_id).await?;
    check_re_enter(exit.exit_date, state.today(), hmis_admin(session)).map_err(AppError::Conflict)?;
    let now = state.now();
    let backend = db.get_database_backend();
    let txn = begin_write(db).await?;
    // Soft deletes (HUD DateDeleted): an export tells other systems the exit is gone.
    remove(&txn, EXIT_EVENTS, vec![enrollment_id.into()], now).await?;
    txn.execute_raw(statement(
        backend,
        "UPDATE exits SET date_deleted = ?, updated_at = ? WHERE exit_id = ?",
        vec![now.into(), now.into(), exit.exit_id.clone().into()],
    ))
    .await?;
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("enrollment.re_enter")
            .on("enrollment", enrollment_id)
            .client(&access.personal_id)
            .detail(format!("exit {} of {} removed", exit.exit_id, exit.exit_date)),
    )
    .await?;
    txn.commit().await?;
    Ok(crate::routes::client(&access.personal_id))
}
