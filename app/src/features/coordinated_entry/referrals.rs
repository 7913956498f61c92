//! CE events and referrals (HUD 4.20) on the server: record an event on a CE
//! enrollment — a referral to a project's opening names the receiving project — record
//! a referral's result, and list the referrals an organization received.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::api::{CeEventsView, EventRow, IncomingReferral};
use super::service::{ce_enrollment, header, posted_code, posted_date, within_enrollment};
use crate::db::audit::{self, Event};
use crate::db::entities::{ce_referral, event};
use crate::db::visibility::enrollment_access;
use crate::db::{begin_write, new_id, statement};
use crate::domain::access::{CASE_WORK, Workgroup};
use crate::domain::ce::{is_project_referral, takes_result};
use crate::domain::codes::{EVENT_TYPE, NO_YES_MISSING, REFERRAL_RESULT};
use crate::domain::enrollment::manages_ce_list;
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Choice, FieldKind, FieldSpec};
use crate::ui::format::full_name;

/// The projects that take CE referrals: (project ID, "project — organization").
async fn receiving_projects(db: &impl ConnectionTrait) -> Result<Vec<(String, String, String)>, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT p.project_id, p.project_name, o.organization_id, o.organization_name FROM projects p \
             JOIN organizations o ON o.organization_id = p.organization_id \
             WHERE p.ce_participating = ? AND p.date_deleted IS NULL ORDER BY p.project_name",
            vec![true.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let project: String = row.try_get("", "project_name")?;
        let organization: String = row.try_get("", "organization_name")?;
        out.push((
            row.try_get("", "project_id")?,
            format!("{project} — {organization}"),
            row.try_get("", "organization_id")?,
        ));
    }
    Ok(out)
}

fn event_fields(projects: &[(String, String, String)], default_date: NaiveDate) -> Vec<FieldSpec> {
    let mut date = FieldSpec::new("event_date", "Event date", FieldKind::Date).required();
    date.value = default_date.format("%Y-%m-%d").to_string();
    let project_choices = projects
        .iter()
        .map(|(id, label, _)| Choice {
            value: id.clone(),
            label: label.clone(),
            group: None,
        })
        .collect();
    vec![
        date,
        FieldSpec::code("event", "Event", &EVENT_TYPE).required(),
        FieldSpec::new(
            "project_id",
            "Project referred to",
            FieldKind::Select(project_choices),
        )
        .hint("For a referral to a project's opening (events 10–15): the projects taking CE referrals."),
        FieldSpec::new(
            "location",
            "Location of the crisis or permanent housing",
            FieldKind::Text { max_length: 250 },
        )
        .hint("HUD 4.20.C; the project's name when left empty."),
        FieldSpec::code(
            "prob_sol_div_rr_result",
            "Client housed/re-housed in a safe alternative",
            &NO_YES_MISSING,
        )
        .hint("For Problem Solving/Diversion/Rapid Resolution (event 2)."),
        FieldSpec::code(
            "referral_case_manage_after",
            "Enrolled in aftercare project",
            &NO_YES_MISSING,
        )
        .hint("For post-placement/follow-up case management (event 5)."),
    ]
}

/// The CE events page: the events recorded and the form (audited view).
pub async fn events_view(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<CeEventsView, AppError> {
    let (access, refused) = ce_enrollment(state, session, enrollment_id).await?;
    let db = &state.db;
    let context = session.require_context()?;
    let manages = manages_ce_list(context.workgroup) && access.editable;
    let fields = match refused {
        Some(_) => Vec::new(),
        None => {
            let default = session.back_date.unwrap_or(state.today());
            let default = access.exit_date.map_or(default, |x| default.min(x));
            event_fields(&receiving_projects(db).await?, default)
        }
    };
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT ev.event_id, ev.event_date, ev.event, ev.location_crisis_or_ph_housing, ev.referral_result, \
             ev.result_date, p.project_name FROM events ev \
             LEFT JOIN ce_referrals r ON r.event_id = ev.event_id \
             LEFT JOIN projects p ON p.project_id = r.project_id \
             WHERE ev.enrollment_id = ? AND ev.date_deleted IS NULL \
             ORDER BY ev.event_date DESC, ev.created_at DESC LIMIT 500",
            vec![enrollment_id.into()],
        ))
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let code: i32 = row.try_get("", "event")?;
        let result: Option<i32> = row.try_get("", "referral_result")?;
        events.push(EventRow {
            event_id: row.try_get("", "event_id")?,
            event_date: row.try_get("", "event_date")?,
            event: EVENT_TYPE.label(code).unwrap_or("Unknown").to_string(),
            project_name: row.try_get("", "project_name")?,
            location: row.try_get("", "location_crisis_or_ph_housing")?,
            result: result.and_then(|c| REFERRAL_RESULT.label(c)).map(str::to_string),
            result_date: row.try_get("", "result_date")?,
            takes_result: manages && takes_result(code),
        });
    }
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("ce_events.view")
            .on("enrollment", enrollment_id)
            .client(&access.personal_id),
    )
    .await?;
    Ok(CeEventsView {
        enrollment: header(&access),
        fields,
        refused,
        events,
    })
}

fn optional_code(
    answers: &HashMap<String, String>,
    field: &str,
    list: &crate::domain::codes::CodeList,
    label: &str,
) -> Result<Option<i32>, FieldError> {
    match answers.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(_) => posted_code(answers, field, list, label).map(Some),
    }
}

pub async fn record_event(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    answers: &HashMap<String, String>,
) -> Result<(), AppError> {
    let (access, refused) = ce_enrollment(state, session, enrollment_id).await?;
    if refused.is_some() {
        return Err(AppError::Forbidden);
    }
    let context = session.require_context()?;
    let db = &state.db;
    let today = session.today.max(state.today());
    let mut errors = Vec::new();
    let date = posted_date(answers, "event_date", "event date")
        .and_then(|d| within_enrollment(d, &access, today, "event_date"))
        .map_err(|e| errors.push(e))
        .ok();
    let code = posted_code(answers, "event", &EVENT_TYPE, "event")
        .map_err(|e| errors.push(e))
        .ok();
    let projects = receiving_projects(db).await?;
    let chosen = answers
        .get("project_id")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty());
    let project = match (code.map(is_project_referral), chosen) {
        (Some(true), None) => {
            errors.push(FieldError::new(
                "project_id",
                "Choose the project the household is referred to.",
            ));
            None
        }
        (Some(true), Some(id)) => match projects.iter().find(|(p, _, _)| p == id) {
            Some(p) => Some(p.clone()),
            None => {
                errors.push(FieldError::new(
                    "project_id",
                    "Choose a project that takes CE referrals.",
                ));
                None
            }
        },
        (Some(false), Some(_)) => {
            errors.push(FieldError::new(
                "project_id",
                "Only a referral to a project's opening (events 10–15) names a project.",
            ));
            None
        }
        _ => None,
    };
    if code.is_some_and(is_project_referral) && !manages_ce_list(context.workgroup) {
        errors.push(FieldError::new(
            "event",
            "Referrals to a project's opening are made by priority list managers.",
        ));
    }
    let prob_sol = optional_code(answers, "prob_sol_div_rr_result", &NO_YES_MISSING, "answer")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let case_manage = optional_code(answers, "referral_case_manage_after", &NO_YES_MISSING, "answer")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if code == Some(2) && prob_sol.is_none() {
        errors.push(FieldError::new(
            "prob_sol_div_rr_result",
            "Say whether the client was housed or re-housed in a safe alternative.",
        ));
    }
    if code == Some(5) && case_manage.is_none() {
        errors.push(FieldError::new(
            "referral_case_manage_after",
            "Say whether the client enrolled in an aftercare project.",
        ));
    }
    let location = answers
        .get("location")
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    if location.as_ref().is_some_and(|l| l.chars().count() > 250) {
        errors.push(FieldError::new(
            "location",
            "Keep the location under 250 characters.",
        ));
    }
    let (Some(date), Some(code), true) = (date, code, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let household_id: String = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT household_id FROM enrollments WHERE enrollment_id = ?",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("", "household_id")?;
    let now = state.now();
    let event_id = new_id();
    let location = location.or_else(|| {
        project
            .as_ref()
            .map(|(_, label, _)| label.split(" — ").next().unwrap_or(label).to_string())
    });
    let txn = begin_write(db).await?;
    event::ActiveModel {
        event_id: Set(event_id.clone()),
        enrollment_id: Set(enrollment_id.to_string()),
        personal_id: Set(access.personal_id.clone()),
        event_date: Set(date),
        event: Set(code),
        prob_sol_div_rr_result: Set(if code == 2 { prob_sol } else { None }),
        referral_case_manage_after: Set(if code == 5 { case_manage } else { None }),
        location_crisis_or_ph_housing: Set(if is_project_referral(code) { location } else { None }),
        referral_result: Set(None),
        result_date: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(Some(session.user_id.clone())),
        date_deleted: Set(None),
    }
    .insert(&txn)
    .await?;
    if let Some((project_id, _, organization_id)) = &project {
        ce_referral::ActiveModel {
            event_id: Set(event_id.clone()),
            enrollment_id: Set(enrollment_id.to_string()),
            personal_id: Set(access.personal_id.clone()),
            household_id: Set(household_id),
            project_id: Set(project_id.clone()),
            organization_id: Set(organization_id.clone()),
            referred_on: Set(date),
            created_at: Set(now),
            created_by: Set(Some(session.user_id.clone())),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new(if project.is_some() {
            "ce_referral.create"
        } else {
            "ce_event.create"
        })
        .on("event", &event_id)
        .client(&access.personal_id)
        .detail(format!("event {code}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records (or corrects) a referral's result: the priority list manager of the CE
/// enrollment, or the organization the referral went to (for its own referrals).
pub async fn record_result(
    state: &AppState,
    session: &CurrentSession,
    event_id: &str,
    result: &str,
    result_date: &str,
) -> Result<(), AppError> {
    let context = session.require_context()?;
    let db = &state.db;
    let recorded = event::Entity::find_by_id(event_id.to_string())
        .one(db)
        .await?
        .filter(|e| e.date_deleted.is_none())
        .ok_or(AppError::NotFound)?;
    let referral = ce_referral::Entity::find_by_id(event_id.to_string())
        .one(db)
        .await?;
    let access = enrollment_access(db, session, &recorded.enrollment_id).await?;
    let manager = access.editable && manages_ce_list(context.workgroup);
    let receiver = referral
        .as_ref()
        .is_some_and(|r| r.organization_id == context.organization_id)
        && (CASE_WORK.contains(&context.workgroup) || context.workgroup == Workgroup::HmisAdmin);
    if !manager && !receiver {
        return Err(AppError::Forbidden);
    }
    if !takes_result(recorded.event) {
        return Err(AppError::Conflict("This event has no referral result.".into()));
    }
    let mut answers = HashMap::new();
    answers.insert("result".to_string(), result.to_string());
    answers.insert("result_date".to_string(), result_date.to_string());
    let mut errors = Vec::new();
    let code = posted_code(&answers, "result", &REFERRAL_RESULT, "result")
        .map_err(|e| errors.push(e))
        .ok();
    let today = session.today.max(state.today());
    let on = posted_date(&answers, "result_date", "result date")
        .and_then(|d| {
            let message = if d > today {
                Some("The result date cannot be in the future.".to_string())
            } else if d < recorded.event_date {
                Some("The result date cannot be before the referral.".to_string())
            } else {
                None
            };
            match message {
                Some(message) => Err(FieldError {
                    field: "result_date".into(),
                    message,
                }),
                None => Ok(d),
            }
        })
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(code), Some(on), true) = (code, on, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let personal_id = recorded.personal_id.clone();
    let txn = begin_write(db).await?;
    let mut active: event::ActiveModel = recorded.into();
    active.referral_result = Set(Some(code));
    active.result_date = Set(Some(on));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("ce_referral.result")
            .on("event", event_id)
            .client(&personal_id)
            .detail(format!("result {code}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The referrals the acting organization's projects received, newest first (an
/// audited list view).
pub async fn incoming(state: &AppState, session: &CurrentSession) -> Result<Vec<IncomingReferral>, AppError> {
    let context = session.require_workgroup(CASE_WORK)?;
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT r.event_id, r.personal_id, r.referred_on, ev.event, ev.referral_result, ev.result_date, \
             p.project_name, c.first_name, c.last_name, \
             EXISTS (SELECT 1 FROM enrollments h WHERE h.personal_id = r.personal_id AND h.project_id = r.project_id \
               AND h.entry_date >= r.referred_on AND h.date_deleted IS NULL) AS enrolled \
             FROM ce_referrals r JOIN events ev ON ev.event_id = r.event_id AND ev.date_deleted IS NULL \
             JOIN projects p ON p.project_id = r.project_id JOIN clients c ON c.personal_id = r.personal_id \
             WHERE r.organization_id = ? ORDER BY r.referred_on DESC, r.created_at DESC LIMIT 500",
            vec![context.organization_id.clone().into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let code: i32 = row.try_get("", "event")?;
        let result: Option<i32> = row.try_get("", "referral_result")?;
        out.push(IncomingReferral {
            event_id: row.try_get("", "event_id")?,
            personal_id: row.try_get("", "personal_id")?,
            client_name: full_name([
                row.try_get("", "first_name")?,
                None,
                row.try_get("", "last_name")?,
                None,
            ]),
            project_name: row.try_get("", "project_name")?,
            event: EVENT_TYPE.label(code).unwrap_or("Unknown").to_string(),
            referred_on: row.try_get("", "referred_on")?,
            result: result.and_then(|c| REFERRAL_RESULT.label(c)).map(str::to_string),
            result_date: row.try_get("", "result_date")?,
            enrolled: row.try_get("", "enrolled")?,
        });
    }
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("ce_referrals.view").detail(format!("{} rows", out.len())),
    )
    .await?;
    Ok(out)
}
