//! Exits on the server: re-entering an exited enrollment.

use sea_orm::ConnectionTrait;

use super::api::{ReEnterMember, ReEnterPreview};
use crate::db::audit::{self, Event};
use crate::db::visibility::{EnrollmentAccess, enrollment_access};
use crate::db::{begin_write, statement};
use crate::domain::access::{CASE_WORK, Workgroup};
use crate::domain::codes::{DESTINATION, RELATIONSHIP_TO_HOH};
use crate::domain::exit::check_re_enter;
use crate::error::AppError;
use crate::features::workflows::{RecordedExit, recorded_exit};
use crate::features::workflows::{STAGE_TABLES, remove_assessment as remove};
use crate::session::CurrentSession;
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
        together: together(state, session, enrollment_id, exit.exit_date)
            .await?
            .into_iter()
            .map(|m| ReEnterMember {
                refused: m.refused(state, session),
                enrollment_id: m.enrollment_id,
                client_name: m.client_name,
                relationship: RELATIONSHIP_TO_HOH
                    .label(m.relationship.unwrap_or(99))
                    .unwrap_or("Unknown")
                    .to_string(),
                head: m.relationship == Some(1),
            })
            .collect(),
    })
}

/// A member of the household who exited on the same day as the enrollment.
struct Together {
    enrollment_id: String,
    personal_id: String,
    client_name: String,
    relationship: Option<i32>,
    exit: RecordedExit,
    editable: bool,
}

impl Together {
    fn refused(&self, state: &AppState, session: &CurrentSession) -> Option<String> {
        if !self.editable {
            return Some("Another organization's enrollment.".into());
        }
        check_re_enter(self.exit.exit_date, state.today(), hmis_admin(session)).err()
    }
}

/// The other members of `enrollment_id`'s household whose live exit is on `exit_date`.
async fn together(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    exit_date: chrono::NaiveDate,
) -> Result<Vec<Together>, AppError> {
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT o.enrollment_id, o.relationship_to_hoh FROM enrollments e \
             JOIN enrollments o ON o.household_id = e.household_id AND o.project_id = e.project_id \
               AND o.enrollment_id <> e.enrollment_id AND o.date_deleted IS NULL \
             JOIN exits x ON x.enrollment_id = o.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.enrollment_id = ? AND x.exit_date = ? \
             ORDER BY o.relationship_to_hoh, o.enrollment_id",
            vec![enrollment_id.into(), exit_date.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("", "enrollment_id")?;
        let access = enrollment_access(db, session, &id).await?;
        let exit = live_exit(db, &id).await?;
        out.push(Together {
            enrollment_id: id,
            personal_id: access.personal_id,
            client_name: access.client_name,
            relationship: row.try_get("", "relationship_to_hoh")?,
            exit,
            editable: access.editable,
        });
    }
    Ok(out)
}

pub async fn re_enter(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    also: &[String],
) -> Result<String, AppError> {
    let access = editable(state, session, enrollment_id).await?;
    crate::db::visibility::check_ce_exit(&state.db, session, &access).await?;
    let db = &state.db;
    let exit = live_exit(db, enrollment_id).await?;
    check_re_enter(exit.exit_date, state.today(), hmis_admin(session)).map_err(AppError::Conflict)?;
    let household = together(state, session, enrollment_id, exit.exit_date).await?;
    let mut chosen = Vec::with_capacity(also.len());
    for id in also.iter().filter(|id| *id != enrollment_id) {
        let Some(member) = household.iter().find(|m| &m.enrollment_id == id) else {
            return Err(AppError::field(
                "together",
                "Only household members who exited on the same day can be re-entered together.",
            ));
        };
        if let Some(reason) = member.refused(state, session) {
            return Err(AppError::Conflict(format!("{}: {reason}", member.client_name)));
        }
        chosen.push(member);
    }
    // The household keeps its head: a member re-enters only with the head open, or
    // re-entering too.
    let head_back = chosen.iter().any(|m| m.relationship == Some(1));
    if !head_back && head_exited(db, enrollment_id).await? {
        return Err(AppError::Conflict(
            "The head of household exited too: re-enter the head of household with this member, or first."
                .into(),
        ));
    }
    let now = state.now();
    let txn = begin_write(db).await?;
    remove_exit(&txn, session, enrollment_id, &access.personal_id, &exit, now).await?;
    for member in chosen {
        remove_exit(
            &txn,
            session,
            &member.enrollment_id,
            &member.personal_id,
            &member.exit,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(crate::routes::client(&access.personal_id))
}

/// Whether the head of `enrollment_id`'s household is someone else whose enrollment is
/// exited (re-entering this member alone would leave the household without its head).
async fn head_exited(db: &impl ConnectionTrait, enrollment_id: &str) -> Result<bool, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM enrollments e \
             JOIN enrollments h ON h.household_id = e.household_id AND h.project_id = e.project_id \
               AND h.relationship_to_hoh = 1 AND h.enrollment_id <> e.enrollment_id \
               AND h.date_deleted IS NULL AND h.exit_date IS NOT NULL \
             WHERE e.enrollment_id = ? AND (e.relationship_to_hoh IS NULL OR e.relationship_to_hoh <> 1)",
            vec![enrollment_id.into()],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n > 0)
}

/// Soft-deletes one enrollment's exit and its exit-stage records (HUD DateDeleted: an
/// export tells other systems the exit is gone), audited.
async fn remove_exit(
    txn: &impl ConnectionTrait,
    session: &CurrentSession,
    enrollment_id: &str,
    personal_id: &str,
    exit: &RecordedExit,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    remove(txn, EXIT_EVENTS, vec![enrollment_id.into()], now).await?;
    txn.execute_raw(statement(
        txn.get_database_backend(),
        "UPDATE exits SET date_deleted = ?, updated_at = ? WHERE exit_id = ?",
        vec![now.into(), now.into(), exit.exit_id.clone().into()],
    ))
    .await?;
    audit::record(
        txn,
        now,
        &session.actor(),
        Event::new("enrollment.re_enter")
            .on("enrollment", enrollment_id)
            .client(personal_id)
            .detail(format!("exit {} of {} removed", exit.exit_id, exit.exit_date)),
    )
    .await?;
    Ok(())
}
