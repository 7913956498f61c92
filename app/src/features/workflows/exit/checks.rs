//! The exit's checks (on Save and again at Finish): dates, destination, reason, the
//! household rules, each member's exit assessment.

use std::collections::HashSet;

use super::*;
use crate::domain::exit::{
    ExitMember, HouseholdExitProblem, check_destination, check_exit_date, check_household_exit,
};
use crate::error::FieldError;
use crate::features::workflows::answers::{code, date, validation};

/// The first step's answers, checked.
#[derive(Clone, Debug)]
pub(super) struct ExitAnswers {
    pub destination: i32,
    pub subsidy_type: Option<i32>,
    pub other_destination: Option<String>,
    pub reason: Option<String>,
    /// The exiting members with their exit dates.
    pub exiting: Vec<(DraftMember, NaiveDate)>,
    pub new_head: Option<DraftMember>,
    pub end_case_assignment: bool,
    /// (record type, type provided).
    pub service: Option<(i32, i32)>,
}

pub async fn check_step(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &str,
) -> Result<(), AppError> {
    if step == EXIT {
        return check_exit_step(state, draft).await.map(|_| ());
    }
    if step == REVIEW {
        return Ok(());
    }
    if let Some(personal_id) = step.strip_prefix("exit-") {
        let m = member(draft, personal_id)?;
        return check_member_step(state, draft, m).map(|_| ());
    }
    Err(AppError::NotFound)
}

pub(super) fn check_member_step(
    state: &AppState,
    draft: &Draft,
    m: &DraftMember,
) -> Result<assessment::StageAnswers, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(&member_step(&m.personal_id)).unwrap_or(&empty);
    let on = member_exit_date(draft, &m.personal_id).unwrap_or(state.today());
    let mut errors = Vec::new();
    let checked = assessment::check(
        answers,
        collected_for(m.relationship == Some(1), m.dob, on),
        &mut errors,
    );
    validation(errors)?;
    Ok(checked)
}

pub(super) async fn check_exit_step(state: &AppState, draft: &Draft) -> Result<ExitAnswers, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(EXIT).unwrap_or(&empty);
    let edit = editing(draft);
    let today = state.today();
    let mut errors: Vec<FieldError> = Vec::new();
    let exit_date = date(answers, "exit_date", &mut errors);
    if exit_date.is_none() && !errors.iter().any(|e| e.field == "exit_date") {
        errors.push(FieldError::new("exit_date", "Enter the exit date."));
    }
    let destination = code(answers, "destination", &DESTINATION, &mut errors);
    let subsidy = code(answers, "subsidy_type", &RENTAL_SUBSIDY_TYPE, &mut errors);
    if !errors.iter().any(|e| e.field == "destination")
        && let Err(message) = check_destination(destination, subsidy)
    {
        let field = if destination.is_some() {
            "subsidy_type"
        } else {
            "destination"
        };
        errors.push(FieldError::new(field, &message));
    }
    let other_destination =
        text(answers, "other_destination").map(|s| s.chars().take(50).collect::<String>());
    if destination == Some(OTHER_DESTINATION) && other_destination.is_none() {
        errors.push(FieldError::new(
            "other_destination",
            "Say what the other destination is.",
        ));
    }
    let reason = text(answers, "reason");
    if let Some(id) = &reason {
        let allowed = reason_choices(&state.db, recorded_reason(state, draft).await?.as_deref())
            .await?
            .iter()
            .any(|c| &c.value == id);
        if !allowed {
            errors.push(FieldError::new("reason", "Choose a reason from the list."));
        }
    }
    let service = match text(answers, "service") {
        None => None,
        Some(chosen) => {
            let codes = crate::features::services::parse_choice(&chosen);
            if codes.is_none() {
                errors.push(FieldError::new("service", "Choose a service from the list."));
            }
            codes
        }
    };

    // Who exits, and when: the household as recorded now (a member may have joined or
    // left since the workflow started).
    let household_id = draft.model.household_id.clone().ok_or(AppError::Internal)?;
    let recorded = household(&state.db, &household_id).await?;
    let in_draft: HashSet<&str> = draft
        .data
        .members
        .iter()
        .map(|m| m.personal_id.as_str())
        .collect();
    let mut exiting = Vec::new();
    let mut members = Vec::new();
    let mut positions = Vec::new();
    let new_head = text(answers, "new_head");
    // After an earlier partial exit the exited head keeps relationship 1 while a new
    // head stays: the head is then the one still enrolled.
    let open_head = recorded
        .iter()
        .any(|r| r.member.exit_date.is_none() && r.member.relationship == Some(1));
    for row in &recorded {
        let m = &row.member;
        let chosen =
            in_draft.contains(m.personal_id.as_str()) && exits(draft.kind, &draft.data, &m.personal_id);
        let open = m.exit_date.is_none();
        if edit {
            // Edit Exit: the exited members of the draft; the others are context.
            if chosen && open {
                return Err(AppError::Conflict(format!(
                    "{}'s enrollment was re-entered since this workflow started: discard it and start again.",
                    m.name()
                )));
            }
        } else if !open {
            if chosen {
                return Err(AppError::Conflict(format!(
                    "{} has exited since this workflow started: discard it and start again.",
                    m.name()
                )));
            }
            continue;
        }
        let key = format!("date_{}", m.personal_id);
        let own = date(answers, &key, &mut errors).or(exit_date);
        if chosen
            && let (Some(d), Some(entry)) = (own, m.entry_date)
            && let Err(message) = check_exit_date(d, entry, today)
        {
            let field = if answers.get(&key).is_some_and(|v| !v.trim().is_empty()) {
                key.clone()
            } else {
                "exit_date".to_string()
            };
            errors.push(FieldError::new(&field, format!("{}: {message}", m.name())));
        }
        let exit_date_of_member = if chosen { own } else { m.exit_date };
        members.push(ExitMember {
            is_head: m.relationship == Some(1) && (open || !open_head),
            exiting: chosen || (edit && !open),
            exit_date: exit_date_of_member,
            new_head: !edit && new_head.as_deref() == Some(m.personal_id.as_str()),
        });
        positions.push(m.personal_id.clone());
        if chosen && let Some(d) = own {
            let draft_member = draft
                .data
                .members
                .iter()
                .find(|d| d.personal_id == m.personal_id)
                .cloned()
                .unwrap_or_else(|| m.clone());
            exiting.push((draft_member, d));
        }
    }
    for problem in check_household_exit(&members) {
        let field = match &problem {
            HouseholdExitProblem::NobodyExits => draft
                .data
                .members
                .first()
                .map(|m| format!("exit_{}", m.personal_id))
                .unwrap_or_else(|| "exit_date".into()),
            HouseholdExitProblem::HeadLeavesFirst | HouseholdExitProblem::BadNewHead => {
                if draft.data.members.len() > 1 && !edit {
                    "new_head".into()
                } else {
                    "exit_date".into()
                }
            }
            HouseholdExitProblem::AfterHead(i) => format!("date_{}", positions[*i]),
        };
        errors.push(FieldError {
            field,
            message: problem.message(),
        });
    }
    validation(errors)?;
    let destination = destination.ok_or(AppError::Internal)?;
    Ok(ExitAnswers {
        destination,
        subsidy_type: if destination == crate::domain::exit::RENTAL_WITH_SUBSIDY {
            subsidy
        } else {
            None
        },
        other_destination: if destination == OTHER_DESTINATION {
            other_destination
        } else {
            None
        },
        reason,
        new_head: new_head
            .filter(|_| !edit)
            .and_then(|id| draft.data.members.iter().find(|m| m.personal_id == id).cloned()),
        exiting,
        end_case_assignment: !edit && ticked(answers, "end_case_assignment"),
        service: if edit { None } else { service },
    })
}

/// 3.12 "Other", which asks what it is.
pub(super) const OTHER_DESTINATION: i32 = 17;

/// The reason recorded on the started member's exit (Edit Exit keeps a system reason
/// such as "Auto Exit" choosable).
async fn recorded_reason(state: &AppState, draft: &Draft) -> Result<Option<String>, AppError> {
    if !editing(draft) {
        return Ok(None);
    }
    match draft.model.enrollment_id.as_deref() {
        Some(e) => Ok(recorded_exit(&state.db, e).await?.and_then(|x| x.reason)),
        None => Ok(None),
    }
}
