//! Server functions and DTOs of the workflow engine and of the intake workflow.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::fields::{Answers, FieldSpec};

/// The kinds of workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkflowKind {
    Intake,
    Exit,
    EditExit,
    /// Update/Annual Assessment (and "Missed Update/Annual Assessment" on an exited
    /// enrollment).
    Assessment,
    /// Edit Project Entry Workflow.
    EditEntry,
}

impl WorkflowKind {
    pub fn code(self) -> &'static str {
        match self {
            WorkflowKind::Intake => "intake",
            WorkflowKind::Exit => "exit",
            WorkflowKind::EditExit => "edit_exit",
            WorkflowKind::Assessment => "assessment",
            WorkflowKind::EditEntry => "edit_entry",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "intake" => Some(WorkflowKind::Intake),
            "exit" => Some(WorkflowKind::Exit),
            "edit_exit" => Some(WorkflowKind::EditExit),
            "assessment" => Some(WorkflowKind::Assessment),
            "edit_entry" => Some(WorkflowKind::EditEntry),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkflowKind::Intake => "Intake",
            WorkflowKind::Exit => "Exit",
            WorkflowKind::EditExit => "Edit exit",
            WorkflowKind::Assessment => "Update/annual assessment",
            WorkflowKind::EditEntry => "Edit project entry",
        }
    }
}

/// A household member in a draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftMember {
    /// The member's PersonalID: an existing client's, or the one a new client will get.
    pub personal_id: String,
    /// An existing client (found by the dedup search), not one to create.
    pub existing: bool,
    /// As shown in the step list (from the record, or as typed).
    pub first_name: String,
    pub last_name: String,
    pub dob: Option<NaiveDate>,
    /// Workflows on an enrollment (exits, assessments): the member's enrollment …
    #[serde(default)]
    pub enrollment_id: Option<String>,
    /// … their 3.15 relationship to the head of household …
    #[serde(default)]
    pub relationship: Option<i32>,
    /// … project start date …
    #[serde(default)]
    pub entry_date: Option<NaiveDate>,
    /// … and exit date on record, if exited.
    #[serde(default)]
    pub exit_date: Option<NaiveDate>,
}

impl DraftMember {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// What a draft holds: the household and each step's answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftData {
    pub members: Vec<DraftMember>,
    /// Step ID → its answers.
    pub answers: BTreeMap<String, Answers>,
    /// Steps saved with "Save & Continue" or "No Changes".
    pub done: BTreeSet<String>,
    /// What the workflow settled on the way that no form posts (e.g. which recorded
    /// assessment is being edited).
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
}

impl DraftData {
    /// The draft's household as lists name it: "Ana Ruiz household (3 people)".
    pub fn title(&self) -> String {
        match self.members.first() {
            Some(m) if self.members.len() > 1 => {
                format!("{} household ({} people)", m.name(), self.members.len())
            }
            Some(m) => m.name(),
            None => "New household".into(),
        }
    }
}

/// One entry of the step list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLink {
    pub id: String,
    pub label: String,
    /// The household member the step is about.
    pub member: Option<String>,
    pub done: bool,
    pub current: bool,
}

/// A member as the household step shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMemberView {
    pub personal_id: String,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub existing: bool,
    /// 3.15 relationship chosen so far ("" when none).
    pub relationship: String,
}

/// A line of the review page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSection {
    pub heading: String,
    pub lines: Vec<(String, String)>,
}

/// What a step shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepBody {
    Form(Vec<FieldSpec>),
    Household(Vec<HouseholdMemberView>),
    Review(Vec<ReviewSection>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    pub body: StepBody,
    /// Earlier data exists: "Default Last" fills the form from the latest record.
    pub default_last: bool,
    /// The form shows what is on record: "No Changes" keeps it as is.
    pub no_changes: bool,
    /// The review page: "Finish" commits the workflow.
    pub finish: bool,
}

/// A draft opened at one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowView {
    pub draft_id: String,
    pub kind: WorkflowKind,
    pub title: String,
    pub steps: Vec<StepLink>,
    pub step: StepView,
    pub updated_at: DateTime<Utc>,
    /// When the draft was last saved, in the CoC's time zone.
    pub saved_at: String,
    /// Where "Discard" and "Finish" lead back to (the client dashboard, or home).
    pub back_to: String,
}

/// A workflow draft at a step (the current one when `step` is empty).
#[server(prefix = "/api", endpoint = "get_workflow")]
pub async fn get_workflow(draft_id: String, step: Option<String>) -> Result<WorkflowView, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::view(&state, &session, &draft_id, step.as_deref()).await)
}

/// Saves a step's answers to the draft (always: nothing typed is lost), then, for
/// "Save & Continue" (`intent` = `save`) or "No Changes" (`no_changes`), checks them
/// and moves on; "Default Last" (`default_last`) fills the step from the latest record.
/// Answers the address of the step to show next.
#[server(prefix = "/api", endpoint = "save_workflow_step")]
pub async fn save_workflow_step(
    draft_id: String,
    step: String,
    intent: Option<String>,
    answers: Option<HashMap<String, String>>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let answers: Answers = answers.unwrap_or_default().into_iter().collect();
    let result = super::service::save_step(
        &state,
        &session,
        &draft_id,
        &step,
        intent.as_deref().unwrap_or("save"),
        answers,
    )
    .await;
    crate::state::respond_then_go(result, String::clone)
}

/// Validates every step and commits the workflow in one transaction; answers the
/// address to go to (the client dashboard).
#[server(prefix = "/api", endpoint = "finish_workflow")]
pub async fn finish_workflow(draft_id: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::service::finish(&state, &session, &draft_id).await;
    crate::state::respond_then_go(result, String::clone)
}

/// Throws a draft away (its owner, or an agency or HMIS admin).
#[server(prefix = "/api", endpoint = "discard_workflow")]
pub async fn discard_workflow(draft_id: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::service::discard(&state, &session, &draft_id).await;
    crate::state::respond_then_go(result, String::clone)
}

/// Starts a workflow on an enrollment's household — `kind` is `exit`, `edit_exit`,
/// `assessment` or `edit_entry` — or resumes the user's draft of that kind for the household; answers
/// the address of its step.
#[server(prefix = "/api", endpoint = "start_workflow")]
pub async fn start_workflow(enrollment_id: String, kind: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = match WorkflowKind::from_code(&kind) {
        Some(kind @ (WorkflowKind::Exit | WorkflowKind::EditExit)) => {
            super::exit::start(&state, &session, kind, &enrollment_id).await
        }
        Some(WorkflowKind::Assessment) => super::update::start(&state, &session, &enrollment_id).await,
        Some(WorkflowKind::EditEntry) => super::edit_entry::start(&state, &session, &enrollment_id).await,
        Some(WorkflowKind::Intake) | None => Err(AppError::field(
            "kind",
            "Choose an enrollment workflow: exit, edit_exit, assessment or edit_entry.",
        )),
    };
    crate::state::respond_then_go(result, String::clone)
}

/// Starts an intake with an existing client (`personal_id`) or a new one (`first_name`,
/// `last_name`) as head of household; answers the address of its first step.
#[server(prefix = "/api", endpoint = "start_intake")]
pub async fn start_intake(
    personal_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::intake::start(
        &state,
        &session,
        member_choice(personal_id, first_name, last_name),
    )
    .await;
    crate::state::respond_then_go(result, String::clone)
}

/// Adds a household member to an intake: an existing client or a new one.
#[server(prefix = "/api", endpoint = "add_household_member")]
pub async fn add_household_member(
    draft_id: String,
    personal_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::intake::add_member(
        &state,
        &session,
        &draft_id,
        member_choice(personal_id, first_name, last_name),
    )
    .await;
    crate::state::respond_then_go(result, String::clone)
}

/// Takes a member out of an intake's household (not the first one).
#[server(prefix = "/api", endpoint = "remove_household_member")]
pub async fn remove_household_member(draft_id: String, personal_id: String) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let result = super::intake::remove_member(&state, &session, &draft_id, &personal_id).await;
    crate::state::respond_then_go(result, String::clone)
}

/// Who joins a household: a client on record, or a new one by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberChoice {
    Existing(String),
    New { first_name: String, last_name: String },
}

#[cfg(feature = "ssr")]
fn member_choice(
    personal_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
) -> MemberChoice {
    match personal_id.filter(|p| !p.trim().is_empty()) {
        Some(id) => MemberChoice::Existing(id.trim().to_string()),
        None => MemberChoice::New {
            first_name: first_name.unwrap_or_default().trim().to_string(),
            last_name: last_name.unwrap_or_default().trim().to_string(),
        },
    }
}

/// The address of a workflow step.
pub fn step_path(draft_id: &str, step: &str) -> String {
    format!("/workflows/{draft_id}/{step}")
}

/// A draft listed on the home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDraft {
    pub draft_id: String,
    pub kind: String,
    pub household: String,
    pub updated_at: DateTime<Utc>,
    /// `updated_at` in the CoC's time zone.
    pub saved_at: String,
}

/// The user's workflows in progress.
#[server(prefix = "/api", endpoint = "my_drafts")]
pub async fn my_drafts() -> Result<Vec<MyDraft>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::my_drafts(&state, &session).await)
}
