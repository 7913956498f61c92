//! The intake workflow (ClientTrack's): the household found by dedup search, each
//! member's basic client information, the project and start date, each enrolled
//! member's entry assessment, then Finish — one transaction for every row.

use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Value};

use super::answers::{
    code, date, date_answer, required_code, text, ticked, validation, with_values, yes_no_reasons,
};
use super::api::{
    DraftData, DraftMember, HouseholdMemberView, MemberChoice, ReviewSection, StepBody, StepView,
    WorkflowKind, step_path,
};
use super::assessment;
use super::entry_assessment::{self, EntryAnswers};
use super::service::{self, Draft, StepDef};
use crate::db::audit::{self, Event};
use crate::db::entities::{case_assignment, client, enrollment, project};
use crate::db::{begin_write, new_id, statement};
use crate::domain::codes::RACES;
use crate::domain::codes::{
    DOB_DATA_QUALITY, NAME_DATA_QUALITY, NO_YES_REASONS_FOR_MISSING_DATA, PROJECT_TYPE, ProjectType,
    RACE_NONE, RELATIONSHIP_TO_HOH, SEX, SSN_DATA_QUALITY,
};
use crate::domain::dedup::search_key;
use crate::domain::household::{
    Member, check_entry_date, check_household, collected_for, collects_engagement, overlaps,
};
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, Choice, FieldKind, FieldSpec};

pub const HOUSEHOLD: &str = "household";
pub const ENROLLMENT: &str = "enrollment";
pub use super::service::NO_CHANGES;
pub use crate::features::workflows::service::REVIEW;

fn client_step(personal_id: &str) -> String {
    format!("client-{personal_id}")
}

fn entry_step(personal_id: &str) -> String {
    format!("entry-{personal_id}")
}

fn outreach_step(personal_id: &str) -> String {
    format!("outreach-{personal_id}")
}

/// The answer (kept by the enrollment step) naming the chosen project's HUD type.
const PROJECT_TYPE_ANSWER: &str = "_project_type";

/// Street outreach asks where to find the head of household (the client profile's
/// outreach information): the enrolled head, when the project is street outreach.
fn outreach_member(data: &DraftData) -> Option<&DraftMember> {
    let enrollment = data.answers.get(ENROLLMENT)?;
    if enrollment.get(PROJECT_TYPE_ANSWER).map(String::as_str) != Some("4") {
        return None;
    }
    let household = data.answers.get(HOUSEHOLD)?;
    data.members.iter().find(|m| {
        household
            .get(&format!("rel_{}", m.personal_id))
            .map(String::as_str)
            == Some("1")
            && enrolled(data, &m.personal_id)
    })
}

// ---- steps -------------------------------------------------------------------------

/// Whether a member is enrolled (every member is, until the enrollment step says).
fn enrolled(data: &DraftData, personal_id: &str) -> bool {
    match data.answers.get(ENROLLMENT) {
        Some(answers) => answers
            .get(&format!("enroll_{personal_id}"))
            .is_some_and(|v| v == "yes"),
        None => true,
    }
}

pub fn steps(draft: &Draft) -> Vec<StepDef> {
    let data = &draft.data;
    let mut steps = vec![StepDef::household(HOUSEHOLD, "Household")];
    for m in &data.members {
        steps.push(StepDef::member(
            client_step(&m.personal_id),
            "Basic client information",
            m,
        ));
    }
    steps.push(StepDef::household(ENROLLMENT, "Project and start date"));
    for m in data.members.iter().filter(|m| enrolled(data, &m.personal_id)) {
        steps.push(StepDef::member(entry_step(&m.personal_id), "Entry assessment", m));
    }
    if let Some(head) = outreach_member(data) {
        steps.push(StepDef::member(
            outreach_step(&head.personal_id),
            "Outreach information",
            head,
        ));
    }
    steps.push(StepDef::review());
    steps
}

fn member<'a>(draft: &'a Draft, personal_id: &str) -> Result<&'a DraftMember, AppError> {
    draft.member(personal_id)
}

// ---- household ---------------------------------------------------------------------

async fn resolve(
    state: &AppState,
    session: &CurrentSession,
    choice: MemberChoice,
) -> Result<DraftMember, AppError> {
    match choice {
        MemberChoice::Existing(personal_id) => {
            crate::db::visibility::require_visible(&state.db, session, &personal_id).await?;
            let record = client::Entity::find_by_id(personal_id.clone())
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(DraftMember {
                personal_id,
                existing: true,
                first_name: record.first_name.unwrap_or_default(),
                last_name: record.last_name.unwrap_or_default(),
                dob: record.dob,
                ..Default::default()
            })
        }
        MemberChoice::New {
            first_name,
            last_name,
        } => {
            let mut errors = Vec::new();
            if first_name.is_empty() {
                errors.push(FieldError::new(
                    "first_name",
                    "Type the first name (or what the client goes by).",
                ));
            }
            if last_name.is_empty() {
                errors.push(FieldError::new("last_name", "Type the last name."));
            }
            if first_name.chars().count() > 50 || last_name.chars().count() > 50 {
                errors.push(FieldError::new("last_name", "Names are at most 50 characters."));
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            Ok(DraftMember {
                personal_id: new_id(),
                existing: false,
                first_name,
                last_name,
                dob: None,
                ..Default::default()
            })
        }
    }
}

fn require_intake_rights(session: &CurrentSession) -> Result<(), AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    Ok(())
}

/// Starts an intake with its first member (the head of household by default).
pub async fn start(
    state: &AppState,
    session: &CurrentSession,
    choice: MemberChoice,
) -> Result<String, AppError> {
    require_intake_rights(session)?;
    let head = resolve(state, session, choice).await?;
    let personal_id = head.personal_id.clone();
    let mut data = DraftData {
        members: vec![head],
        ..Default::default()
    };
    data.answers
        .entry(HOUSEHOLD.into())
        .or_default()
        .insert(format!("rel_{personal_id}"), "1".into());
    let draft_id = service::create(
        state,
        session,
        WorkflowKind::Intake,
        Some(personal_id),
        &data,
        HOUSEHOLD,
        None,
    )
    .await?;
    Ok(step_path(&draft_id, HOUSEHOLD))
}

/// Steps whose answers depend on who is in the household.
fn forget_household_checks(data: &mut DraftData) {
    for step in [HOUSEHOLD, ENROLLMENT, REVIEW] {
        data.done.remove(step);
    }
}

pub async fn add_member(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    choice: MemberChoice,
) -> Result<String, AppError> {
    let mut draft = service::load(state, session, draft_id).await?;
    let added = resolve(state, session, choice).await?;
    if draft
        .data
        .members
        .iter()
        .any(|m| m.personal_id == added.personal_id)
    {
        return Err(AppError::Conflict(format!(
            "{} is already in this household.",
            added.name()
        )));
    }
    if draft.data.members.len() >= 20 {
        return Err(AppError::Conflict("A household has at most 20 members.".into()));
    }
    if let Some(answers) = draft.data.answers.get_mut(ENROLLMENT) {
        answers.insert(format!("enroll_{}", added.personal_id), "yes".into());
    }
    draft.data.members.push(added);
    forget_household_checks(&mut draft.data);
    service::store(state, &draft, HOUSEHOLD).await?;
    Ok(step_path(draft_id, HOUSEHOLD))
}

pub async fn remove_member(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    personal_id: &str,
) -> Result<String, AppError> {
    let mut draft = service::load(state, session, draft_id).await?;
    if draft.data.members.len() <= 1 {
        return Err(AppError::Conflict(
            "A household needs at least one member: discard the intake instead.".into(),
        ));
    }
    let before = draft.data.members.len();
    draft.data.members.retain(|m| m.personal_id != personal_id);
    if draft.data.members.len() == before {
        return Err(AppError::NotFound);
    }
    for step in [client_step(personal_id), entry_step(personal_id)] {
        draft.data.answers.remove(&step);
        draft.data.done.remove(&step);
    }
    for step in [HOUSEHOLD, ENROLLMENT] {
        if let Some(answers) = draft.data.answers.get_mut(step) {
            answers.remove(&format!("rel_{personal_id}"));
            answers.remove(&format!("enroll_{personal_id}"));
        }
    }
    forget_household_checks(&mut draft.data);
    service::store(state, &draft, HOUSEHOLD).await?;
    Ok(step_path(draft_id, HOUSEHOLD))
}

/// The SSN digits typed: nine digits (dashes and spaces allowed).
fn ssn_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    (digits.len() == 9 && digits.chars().all(|c| c.is_ascii_digit()) && digits != "000000000")
        .then_some(digits)
}

/// Runs before a step's answers are kept: an SSN is sealed at once (a draft never holds
/// it in plain text); one that is not nine digits is dropped with a message. The
/// enrollment step notes the chosen project's type (later steps depend on it).
pub async fn prepare(
    state: &AppState,
    draft: &Draft,
    step: &str,
    answers: &mut Answers,
) -> Result<Option<AppError>, AppError> {
    if step == ENROLLMENT {
        answers.remove(PROJECT_TYPE_ANSWER);
        if let Some(id) = text(answers, "project_id")
            && let Some(kind) = project::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .and_then(|p| p.project_type)
        {
            answers.insert(PROJECT_TYPE_ANSWER.into(), kind.to_string());
        }
        return Ok(None);
    }
    let Some(personal_id) = step.strip_prefix("client-") else {
        return Ok(None);
    };
    let m = member(draft, personal_id)?;
    // What an earlier save sealed stays unless a new number is typed.
    let earlier = draft.answers(step);
    for key in ["ssn_sealed", "ssn_last4"] {
        if !answers.contains_key(key)
            && let Some(value) = earlier.and_then(|a| a.get(key))
        {
            answers.insert(key.into(), value.clone());
        }
    }
    // A client on record keeps the SSN on file: it counts as the full SSN answered
    // (the form never carries it back), and Finish leaves the stored number as it is.
    if m.existing && !answers.contains_key("ssn_last4") {
        let on_file = client::Entity::find_by_id(personal_id.to_string())
            .one(&state.db)
            .await?
            .filter(|c| c.ssn_encrypted.is_some())
            .and_then(|c| c.ssn_last4);
        if let Some(last4) = on_file {
            answers.insert("ssn_last4".into(), last4);
        }
    }
    match answers
        .remove("ssn")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(typed) => match ssn_digits(&typed) {
            Some(digits) => {
                let sealed = state
                    .data_key
                    .seal(digits.as_bytes(), &crate::crypto::ssn_context(personal_id));
                answers.insert("ssn_sealed".into(), sealed);
                answers.insert("ssn_last4".into(), digits[5..].to_string());
                Ok(None)
            }
            None => Ok(Some(AppError::field(
                "ssn",
                "An SSN has nine digits (dashes allowed). Leave it empty if it is not known.",
            ))),
        },
    }
}

/// Adult on the (planned) start date, or of unknown age.
fn is_adult(draft: &Draft, dob: Option<NaiveDate>, today: NaiveDate) -> bool {
    let on = planned_entry(draft).unwrap_or(today);
    dob.is_none_or(|d| crate::domain::dates::is_adult_on(d, on))
}

fn planned_entry(draft: &Draft) -> Option<NaiveDate> {
    date_answer(draft.answers(ENROLLMENT), "entry_date")
}

/// The member's date of birth as answered (or on record).
fn answered_dob(draft: &Draft, m: &DraftMember) -> Option<NaiveDate> {
    date_answer(draft.answers(&client_step(&m.personal_id)), "dob").or(m.dob)
}

/// Whether the member is the head of household (as answered on the household step).
fn is_head(draft: &Draft, personal_id: &str) -> bool {
    draft
        .answers(HOUSEHOLD)
        .and_then(|a| a.get(&format!("rel_{personal_id}")))
        .is_some_and(|r| r == "1")
}

mod checks;
mod commit;
mod pages;

pub use checks::check_step;
pub use commit::finish;
pub use pages::{default_last, render};

/// Where intake goes back to: an existing client's dashboard; the client search for
/// new ones.
fn back_to(draft: &Draft) -> String {
    match draft.data.members.first() {
        Some(m) if m.existing => crate::routes::client(&m.personal_id),
        _ => crate::routes::CLIENTS.to_string(),
    }
}

super::contract::workflow!(Intake, back_to);
