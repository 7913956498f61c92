//! Finish: every step checked again, then one transaction for every member's exit.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};

use super::checks::{ExitAnswers, check_exit_step, check_member_step};
use super::*;
use crate::db::audit::{self, Event};
use crate::db::entities::{exit, service as service_row};
use crate::db::{begin_write, insert_all, new_id};
use crate::features::workflows::service::step_needs_attention;

fn step_def(draft: &Draft, id: &str) -> StepDef {
    steps(draft)
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or(StepDef::household(id, "Review and finish"))
}

/// Commits the exit (or the corrected exit) of every member at once.
pub async fn finish(state: &AppState, session: &CurrentSession, draft: &Draft) -> Result<String, AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let started = draft.model.enrollment_id.as_deref().ok_or(AppError::Internal)?;
    let access = enrollment_access(&state.db, session, started).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    crate::db::visibility::check_ce_exit(&state.db, session, &access).await?;
    let first = check_exit_step(state, draft)
        .await
        .map_err(|e| step_needs_attention(&step_def(draft, EXIT), e))?;
    let mut members = Vec::with_capacity(first.exiting.len());
    for (m, on) in &first.exiting {
        let step = member_step(&m.personal_id);
        let checked = check_member_step(state, draft, m)
            .map_err(|e| step_needs_attention(&step_def(draft, &step), e))?;
        let unchanged = draft.answers(&step).is_some_and(|a| ticked(a, NO_CHANGES));
        members.push((m, *on, checked, unchanged));
    }
    let now = state.now();
    let txn = begin_write(&state.db).await?;
    if editing(draft) {
        for (m, on, checked, unchanged) in &members {
            let enrollment_id = m.enrollment_id.as_deref().ok_or(AppError::Internal)?;
            let recorded = recorded_exit(&txn, enrollment_id).await?;
            let at = exit_assessment(enrollment_id, &m.personal_id, *on, session, now);
            let recorded = recorded.ok_or_else(|| {
                AppError::Conflict(format!(
                    "{}'s enrollment was re-entered since this workflow started: nothing was saved.",
                    m.name()
                ))
            })?;
            match (&recorded.event_id, unchanged) {
                (Some(event), true) => assessment::move_to(&txn, event, *on, now).await?,
                (Some(event), false) => {
                    assessment::remove(&txn, "?", vec![event.clone().into()], now).await?;
                    assessment::insert(&txn, &at, checked).await?;
                }
                (None, _) => {
                    assessment::insert(&txn, &at, checked).await?;
                }
            }
            let mut row = exit::ActiveModel {
                exit_id: Set(recorded.exit_id.clone()),
                ..Default::default()
            };
            set_exit_columns(&mut row, &first, *on, now);
            row.update(&txn).await?;
            audit::record(
                &txn,
                now,
                &session.actor(),
                Event::new("enrollment.exit_edit")
                    .on("enrollment", enrollment_id)
                    .client(&m.personal_id)
                    .detail(format!(
                        "exit date {} → {on}, destination {} → {}",
                        recorded.exit_date, recorded.destination, first.destination
                    )),
            )
            .await?;
        }
    } else {
        // Every member's exit, exit assessment and audit row: one statement per table.
        let ids: Vec<&str> = members
            .iter()
            .map(|(m, ..)| m.enrollment_id.as_deref().ok_or(AppError::Internal))
            .collect::<Result<_, _>>()?;
        let exited = exited_among(&txn, &ids).await?;
        if let Some((m, ..)) = members
            .iter()
            .find(|(m, ..)| m.enrollment_id.as_ref().is_some_and(|e| exited.contains(e)))
        {
            return Err(AppError::Conflict(format!(
                "{} has exited since this workflow started: nothing was saved.",
                m.name()
            )));
        }
        let mut exits = Vec::with_capacity(members.len());
        let mut stage = assessment::StageRows::default();
        let mut events = Vec::with_capacity(members.len());
        for ((m, on, checked, _), enrollment_id) in members.iter().zip(&ids) {
            let mut row = exit::ActiveModel {
                exit_id: Set(new_id()),
                enrollment_id: Set(enrollment_id.to_string()),
                personal_id: Set(m.personal_id.clone()),
                exit_method: Set("manual".into()),
                created_at: Set(now),
                created_by: Set(Some(session.user_id.clone())),
                date_deleted: Set(None),
                ..Default::default()
            };
            set_exit_columns(&mut row, &first, *on, now);
            exits.push(row);
            let at = exit_assessment(enrollment_id, &m.personal_id, *on, session, now);
            stage.add(&at, checked)?;
            events.push(
                Event::new("enrollment.exit")
                    .on("enrollment", enrollment_id)
                    .client(&m.personal_id)
                    .detail(format!("exit date {on}, destination {}", first.destination)),
            );
        }
        // Two exits finishing at once: the unique index on live exits refuses the
        // second, which is told so plainly.
        insert_all(&txn, exits).await.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
                "A member of this household was exited by someone else just now: nothing was saved.".into(),
            ),
            _ => e.into(),
        })?;
        stage.write(&txn).await?;
        audit::record_all(&txn, now, &session.actor(), events).await?;
    }
    if !editing(draft) {
        household_changes(session, draft, &first, &txn, now).await?;
    }
    let detail = format!("{}: {} member(s)", draft.kind.code(), members.len());
    service::close(&txn, session, draft, &access.personal_id, detail, now).await?;
    txn.commit().await?;
    Ok(crate::routes::client(&access.personal_id))
}

/// Who records a member's exit assessment (stage 3), and when.
fn exit_assessment<'a>(
    enrollment_id: &'a str,
    personal_id: &'a str,
    on: chrono::NaiveDate,
    session: &'a CurrentSession,
    now: chrono::DateTime<Utc>,
) -> assessment::Recorded<'a> {
    assessment::Recorded {
        enrollment_id,
        personal_id,
        stage: 3,
        information_date: on,
        user_id: &session.user_id,
        now,
    }
}

fn set_exit_columns(
    row: &mut exit::ActiveModel,
    first: &ExitAnswers,
    on: NaiveDate,
    now: chrono::DateTime<Utc>,
) {
    row.exit_date = Set(on);
    row.destination = Set(first.destination);
    row.destination_subsidy_type = Set(first.subsidy_type);
    row.other_destination = Set(first.other_destination.clone());
    row.exit_reason_id = Set(first.reason.clone());
    row.updated_at = Set(now);
}

/// A new head of household, the end of case assignments, the service at exit.
async fn household_changes(
    session: &CurrentSession,
    draft: &Draft,
    first: &ExitAnswers,
    txn: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    if let Some(head) = &first.new_head {
        let household_id = draft.model.household_id.clone().ok_or(AppError::Internal)?;
        // The new head carries the household's 3.16 Enrollment CoC.
        let coc = household(txn, &household_id)
            .await?
            .into_iter()
            .find(|r| r.member.relationship == Some(1))
            .and_then(|r| r.enrollment_coc);
        let enrollment_id = head.enrollment_id.clone().ok_or(AppError::Internal)?;
        txn.execute_raw(statement(
            backend,
            "UPDATE enrollments SET relationship_to_hoh = 1, enrollment_coc = ?, updated_at = ? WHERE enrollment_id = ?",
            vec![coc.into(), now.into(), enrollment_id.clone().into()],
        ))
        .await?;
        audit::record(
            txn,
            now,
            &session.actor(),
            Event::new("enrollment.update")
                .on("enrollment", &enrollment_id)
                .client(&head.personal_id)
                .detail("new head of household"),
        )
        .await?;
    }
    if first.end_case_assignment {
        for (m, on) in &first.exiting {
            let enrollment_id = m.enrollment_id.clone().ok_or(AppError::Internal)?;
            let ended = txn
                .execute_raw(statement(
                    backend,
                    "UPDATE case_assignments SET end_date = ?, updated_at = ? \
                     WHERE enrollment_id = ? AND end_date IS NULL",
                    vec![(*on).into(), now.into(), enrollment_id.clone().into()],
                ))
                .await?;
            if ended.rows_affected() > 0 {
                audit::record(
                    txn,
                    now,
                    &session.actor(),
                    Event::new("case_assignment.end")
                        .on("enrollment", &enrollment_id)
                        .client(&m.personal_id),
                )
                .await?;
            }
        }
    }
    if let Some((record_type, type_provided)) = first.service {
        let (m, on) = first
            .exiting
            .iter()
            .find(|(m, _)| m.relationship == Some(1))
            .or_else(|| first.exiting.first())
            .ok_or(AppError::Internal)?;
        let services_id = new_id();
        service_row::ActiveModel {
            services_id: Set(services_id.clone()),
            enrollment_id: Set(m.enrollment_id.clone().ok_or(AppError::Internal)?),
            personal_id: Set(m.personal_id.clone()),
            date_provided: Set(*on),
            record_type: Set(record_type),
            type_provided: Set(type_provided),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(Some(session.user_id.clone())),
            date_deleted: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::record(
            txn,
            now,
            &session.actor(),
            Event::new("service.create")
                .on("service", &services_id)
                .client(&m.personal_id)
                .detail("at exit"),
        )
        .await?;
    }
    Ok(())
}
