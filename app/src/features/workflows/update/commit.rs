//! Finish: every step checked again against the household as recorded now, then one
//! transaction for the program dates and every member's assessment.

use super::super::exit::household;
use super::checks::{ProgramAnswers, check_date, check_kind, check_member, check_program, head};
use super::*;
use crate::db::audit::{self, Event};
use crate::db::begin_write;
use crate::db::visibility::enrollment_access;
use crate::features::workflows::service::step_needs_attention;

/// The draft with each member's enrollment dates and relationship as recorded now.
async fn as_recorded(state: &AppState, draft: &Draft) -> Result<Draft, AppError> {
    let household_id = draft.model.household_id.as_deref().ok_or(AppError::Internal)?;
    let rows = household(&state.db, household_id).await?;
    let mut fresh = draft.clone();
    for m in &mut fresh.data.members {
        let now = rows
            .iter()
            .find(|r| r.member.enrollment_id == m.enrollment_id)
            .ok_or_else(|| {
                AppError::Conflict(format!(
                    "{}'s enrollment was removed since this workflow started: nothing was saved.",
                    m.name()
                ))
            })?;
        m.entry_date = now.member.entry_date;
        m.exit_date = now.member.exit_date;
        m.relationship = now.member.relationship;
    }
    Ok(fresh)
}

/// Records every member's assessment (or the corrected one) at once.
pub async fn finish(state: &AppState, session: &CurrentSession, draft: &Draft) -> Result<String, AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let started = draft.model.enrollment_id.as_deref().ok_or(AppError::Internal)?;
    let access = enrollment_access(&state.db, session, started).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    let fresh = as_recorded(state, draft).await?;
    let ids = |d: &Draft| steps(d).into_iter().map(|s| s.id).collect::<Vec<_>>();
    if ids(&fresh) != ids(draft) {
        return Err(AppError::Conflict(
            "Someone entered or exited a household member since this workflow started: check the steps again, then finish."
                .into(),
        ));
    }
    let all = steps(&fresh);
    let def = |id: &str| all.iter().find(|s| s.id == id).cloned().ok_or(AppError::Internal);
    let program = match check_program(state, &fresh) {
        Ok(program) => program,
        Err(e) => return Err(step_needs_attention(&def(PROGRAM)?, e)),
    };
    let on = match check_date(state, &fresh).await {
        Ok(on) => on,
        Err(e) => return Err(step_needs_attention(&def(DATE)?, e)),
    };
    let stage = match check_kind(state, &fresh).await {
        Ok(stage) => stage,
        Err(e) => return Err(step_needs_attention(&def(KIND)?, e)),
    };
    let mut members = Vec::new();
    for m in assessed(&fresh.data) {
        let step = member_step(&m.personal_id);
        let checked = check_member(state, &fresh, m).map_err(|e| match def(&step) {
            Ok(s) => step_needs_attention(&s, e),
            Err(other) => other,
        })?;
        let unchanged = fresh.answers(&step).is_some_and(|a| ticked(a, NO_CHANGES));
        members.push((m, checked, unchanged));
    }
    let recorded = recorded(&state.db, &fresh.data.members).await?;
    let now = state.now();
    let txn = begin_write(&state.db).await?;
    program_changes(session, &fresh, &program, &txn, now).await?;
    for (m, checked, unchanged) in &members {
        let enrollment_id = m.enrollment_id.as_deref().ok_or(AppError::Internal)?;
        let at = assessment::Recorded {
            enrollment_id,
            personal_id: &m.personal_id,
            stage,
            information_date: on,
            user_id: &session.user_id,
            now,
        };
        let edited = edited_event(&fresh, &recorded, &m.personal_id)
            .and_then(|e| recorded.iter().find(|r| r.event_id == e));
        let (action, detail) = match edited {
            Some(old) if *unchanged && old.stage == stage => {
                assessment::move_to(&txn, &old.event_id, on, now).await?;
                (
                    "assessment.update",
                    format!(
                        "stage {stage}: date {} → {on}, answers unchanged",
                        old.information_date
                    ),
                )
            }
            Some(old) => {
                assessment::remove(&txn, "?", vec![old.event_id.clone().into()], now).await?;
                assessment::insert(&txn, &at, checked).await?;
                (
                    "assessment.update",
                    format!(
                        "stage {} → {stage}, date {} → {on}",
                        old.stage, old.information_date
                    ),
                )
            }
            None => {
                assessment::insert(&txn, &at, checked).await?;
                ("assessment.create", format!("stage {stage}, date {on}"))
            }
        };
        audit::record(
            &txn,
            now,
            &session.actor(),
            Event::new(action)
                .on("enrollment", enrollment_id)
                .client(&m.personal_id)
                .detail(detail),
        )
        .await?;
    }
    let detail = format!("{}: {} member(s)", draft.kind.code(), members.len());
    service::close(&txn, session, draft, &access.personal_id, detail, now).await?;
    txn.commit().await?;
    Ok(crate::routes::client(&access.personal_id))
}

/// 3.20 on the head of household's enrollment; 4.13 on every member's (as at intake).
async fn program_changes(
    session: &CurrentSession,
    draft: &Draft,
    program: &ProgramAnswers,
    txn: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    let head = head(&draft.data).ok_or(AppError::Internal)?;
    let mut changes: Vec<(&str, &str, Option<NaiveDate>, &DraftMember)> = Vec::new();
    if let Some(move_in) = program.move_in_date {
        changes.push(("move_in_date", "housing move-in date", move_in, head));
    }
    if let Some(engaged) = program.date_of_engagement {
        for m in &draft.data.members {
            changes.push(("date_of_engagement", "date of engagement", engaged, m));
        }
    }
    for (column, label, value, m) in changes {
        let enrollment_id = m.enrollment_id.clone().ok_or(AppError::Internal)?;
        // Only a real change is written and audited.
        let (differs, mut values) = match value {
            Some(d) => (
                format!("({column} IS NULL OR {column} <> ?)"),
                vec![sea_orm::Value::from(d)],
            ),
            None => (format!("{column} IS NOT NULL"), Vec::new()),
        };
        let mut params = vec![value.into(), now.into(), enrollment_id.clone().into()];
        params.append(&mut values);
        let changed = txn
            .execute_raw(statement(
                backend,
                &format!("UPDATE enrollments SET {column} = ?, updated_at = ? WHERE enrollment_id = ? AND {differs}"),
                params,
            ))
            .await?;
        if changed.rows_affected() > 0 {
            audit::record(
                txn,
                now,
                &session.actor(),
                Event::new("enrollment.update")
                    .on("enrollment", &enrollment_id)
                    .client(&m.personal_id)
                    .detail(format!(
                        "{label} {}",
                        value.map(|d| d.to_string()).unwrap_or_else(|| "cleared".into())
                    )),
            )
            .await?;
        }
    }
    Ok(())
}
