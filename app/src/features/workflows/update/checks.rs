//! The Update/Annual Assessment's checks (on Save and again at Finish).

use super::pages::annual_offered;
use super::*;
use crate::domain::household::collected_for;
use crate::error::FieldError;
use crate::features::workflows::answers::{date, validation};
use crate::ui::format::format_date;

pub async fn check_step(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &str,
) -> Result<(), AppError> {
    match step {
        PROGRAM => check_program(state, draft).map(|_| ()),
        CHOOSE => check_choose(state, draft).await,
        DATE => check_date(state, draft).await.map(|_| ()),
        KIND => check_kind(state, draft).await.map(|_| ()),
        REVIEW => Ok(()),
        _ => {
            let personal_id = step.strip_prefix("assess-").ok_or(AppError::NotFound)?;
            let m = member(draft, personal_id)?;
            check_member(state, draft, m).map(|_| ())
        }
    }
}

/// The Program Enrollment page's answers: `None` keeps what is recorded.
#[derive(Clone, Debug, Default)]
pub(super) struct ProgramAnswers {
    pub move_in_date: Option<Option<NaiveDate>>,
    pub date_of_engagement: Option<Option<NaiveDate>>,
}

/// The head of household (or the first member): the enrollment the program dates
/// follow.
pub(super) fn head(data: &DraftData) -> Option<&DraftMember> {
    data.members
        .iter()
        .find(|m| m.relationship == Some(1))
        .or(data.members.first())
}

pub(super) fn check_program(state: &AppState, draft: &Draft) -> Result<ProgramAnswers, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(PROGRAM).unwrap_or(&empty);
    if ticked(answers, NO_CHANGES) {
        return Ok(ProgramAnswers::default());
    }
    let (move_in, engagement) = program_elements(&draft.data);
    let head = head(&draft.data);
    let entry = head.and_then(|h| h.entry_date);
    let exit = head.and_then(|h| h.exit_date);
    let today = state.today();
    let mut errors = Vec::new();
    let checked = |key: &str, asked: bool, errors: &mut Vec<FieldError>| {
        if !asked {
            return None;
        }
        let value = date(answers, key, errors);
        if let Some(d) = value {
            if entry.is_some_and(|e| d < e) {
                errors.push(FieldError::new(key, "On or after the project start date."));
            } else if d > today {
                errors.push(FieldError::new(key, "Never in the future."));
            } else if exit.is_some_and(|x| d > x) {
                errors.push(FieldError::new(key, "On or before the exit date."));
            }
        }
        Some(value)
    };
    let out = ProgramAnswers {
        move_in_date: checked("move_in_date", move_in, &mut errors),
        date_of_engagement: checked("date_of_engagement", engagement, &mut errors),
    };
    validation(errors)?;
    Ok(out)
}

async fn check_choose(state: &AppState, draft: &Draft) -> Result<(), AppError> {
    let which = draft
        .answers(CHOOSE)
        .and_then(|a| text(a, "which"))
        .unwrap_or_default();
    if which == NEW {
        return Ok(());
    }
    let recorded = recorded(&state.db, &draft.data.members).await?;
    if recorded.iter().any(|r| r.group() == which) {
        Ok(())
    } else {
        Err(AppError::field(
            "which",
            "Choose New assessment or one of the recorded assessments.",
        ))
    }
}

/// The information date: never in the future, within the enrollment the workflow was
/// started from, and — when editing — within every enrollment it was recorded for.
pub(super) async fn check_date(state: &AppState, draft: &Draft) -> Result<NaiveDate, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(DATE).unwrap_or(&empty);
    let mut errors = Vec::new();
    let key = "information_date";
    let Some(on) = date(answers, key, &mut errors) else {
        validation(errors)?;
        return Err(AppError::field(key, "Enter the information date."));
    };
    if on > state.today() {
        return Err(AppError::field(
            key,
            "The information date is never in the future.",
        ));
    }
    let started = draft
        .data
        .members
        .iter()
        .find(|m| m.enrollment_id.as_deref() == draft.model.enrollment_id.as_deref())
        .ok_or(AppError::NotFound)?;
    if !covered(started, on) {
        return Err(AppError::field(
            key,
            format!(
                "The information date falls within the enrollment: from {} to {}.",
                started.entry_date.map(format_date).unwrap_or_default(),
                started
                    .exit_date
                    .map(format_date)
                    .unwrap_or_else(|| "today".into())
            ),
        ));
    }
    if editing(&draft.data).is_some() {
        let recorded = recorded(&state.db, &draft.data.members).await?;
        for m in &draft.data.members {
            if edited_event(draft, &recorded, &m.personal_id).is_some() && !covered(m, on) {
                return Err(AppError::field(
                    key,
                    format!(
                        "{}'s assessment is being edited and their enrollment does not cover that date.",
                        m.name()
                    ),
                ));
            }
        }
    }
    Ok(on)
}

/// Update, or Annual within the window.
pub(super) async fn check_kind(state: &AppState, draft: &Draft) -> Result<i32, AppError> {
    let chosen = draft.answers(KIND).and_then(|a| text(a, "stage"));
    match chosen.as_deref() {
        Some("2") => Ok(UPDATE),
        Some("5") => {
            let recorded = recorded(&state.db, &draft.data.members).await?;
            annual_offered(&draft.data, &recorded, editing(&draft.data))
                .map(|_| ANNUAL)
                .map_err(|why| AppError::field("stage", why))
        }
        _ => Err(AppError::field("stage", "Choose Update or Annual assessment.")),
    }
}

pub(super) fn check_member(
    state: &AppState,
    draft: &Draft,
    m: &DraftMember,
) -> Result<assessment::StageAnswers, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(&member_step(&m.personal_id)).unwrap_or(&empty);
    let on = information_date(&draft.data).unwrap_or(state.today());
    let mut errors = Vec::new();
    let checked = assessment::check(
        answers,
        collected_for(m.relationship == Some(1), m.dob, on),
        &mut errors,
    );
    validation(errors)?;
    Ok(checked)
}
