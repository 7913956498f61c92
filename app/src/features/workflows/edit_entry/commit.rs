//! Finish: the dates and every member's entry page checked again, then one transaction
//! for the start dates, the entry-stage records that move with them and the corrected
//! entry answers.

use std::str::FromStr;

use sea_orm::{ActiveModelTrait, Set};

use super::*;
use crate::db::audit::{self, Event};
use crate::db::begin_write;
use crate::db::visibility::enrollment_access;
use crate::features::workflows::service::step_needs_attention;

fn step_def(draft: &Draft, id: &str) -> Result<StepDef, AppError> {
    steps(draft)
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::Internal)
}

pub async fn finish(state: &AppState, session: &CurrentSession, draft: &Draft) -> Result<String, AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let started = draft.model.enrollment_id.as_deref().ok_or(AppError::Internal)?;
    let access = enrollment_access(&state.db, session, started).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    let dates = match check_dates(state, draft).await {
        Ok(dates) => dates,
        Err(e) => return Err(step_needs_attention(&step_def(draft, DATES)?, e)),
    };
    let mut members = Vec::with_capacity(dates.len());
    for (m, old, new) in dates {
        let step = member_step(&m.personal_id);
        let checked = match check_member(draft, &m) {
            Ok(checked) => checked,
            Err(e) => return Err(step_needs_attention(&step_def(draft, &step)?, e)),
        };
        let unchanged = draft.answers(&step).is_some_and(|a| ticked(a, NO_CHANGES));
        members.push((m, old, new, checked, unchanged));
    }
    let now = state.now();
    let txn = begin_write(&state.db).await?;
    for (m, old, new, checked, unchanged) in &members {
        let enrollment_id = m.enrollment_id.as_deref().ok_or(AppError::Internal)?;
        let recorded = enrollment::Entity::find_by_id(enrollment_id.to_string())
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if recorded.entry_date != *old {
            return Err(AppError::Conflict(format!(
                "{}'s start date was changed by someone else since this workflow started: nothing was saved.",
                m.name()
            )));
        }
        let mut row: enrollment::ActiveModel = recorded.into();
        row.entry_date = Set(*new);
        row.updated_at = Set(now);
        if !*unchanged {
            for (column, value) in &checked.enrollment {
                let column = enrollment::Column::from_str(column).map_err(|_| AppError::Internal)?;
                row.set(column, value.clone());
            }
        }
        row.update(&txn).await?;
        let event = entry_event(&txn, enrollment_id).await?;
        let mut changes = Vec::new();
        if old != new {
            changes.push(format!("start date {old} → {new}"));
        }
        match (event, unchanged) {
            (Some(event), true) => {
                if old != new {
                    let moved = assessment::record_count(&txn, &event).await?;
                    assessment::move_to(&txn, &event, *new, now).await?;
                    changes.push(format!("{moved} entry records moved"));
                }
            }
            (event, _) => {
                if let Some(event) = event {
                    assessment::remove(&txn, "?", vec![event.into()], now).await?;
                }
                let at = assessment::Recorded {
                    enrollment_id,
                    personal_id: &m.personal_id,
                    stage: 1,
                    information_date: *new,
                    user_id: &session.user_id,
                    now,
                };
                assessment::insert(&txn, &at, &checked.stage).await?;
                changes.push("entry answers corrected".into());
            }
        }
        if changes.is_empty() {
            continue;
        }
        audit::record(
            &txn,
            now,
            &session.actor(),
            Event::new("enrollment.entry_edit")
                .on("enrollment", enrollment_id)
                .client(&m.personal_id)
                .detail(changes.join("; ")),
        )
        .await?;
    }
    let detail = format!("{}: {} member(s)", draft.kind.code(), members.len());
    service::close(&txn, session, draft, &access.personal_id, detail, now).await?;
    txn.commit().await?;
    Ok(crate::routes::client(&access.personal_id))
}
