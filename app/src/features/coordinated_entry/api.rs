//! Server functions and DTOs of Coordinated Entry: the local assessment questions, CE
//! assessments (4.19), the priority list, CE events and referrals (4.20) and the
//! receiving organizations' incoming referrals.

use std::collections::HashMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ce::Choice;
use crate::error::AppError;
use crate::report::FilterChoice;
use crate::ui::fields::FieldSpec;

/// One local assessment question as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRow {
    pub question_id: String,
    pub position: i32,
    pub question: String,
    pub choices: Vec<Choice>,
    /// The choices as the form edits them (`label = points` per line).
    pub choices_text: String,
    pub active: bool,
}

/// A recorded CE assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedAssessment {
    pub assessment_id: String,
    pub assessment_date: NaiveDate,
    pub location: String,
    pub assessment_type: String,
    pub assessment_level: String,
    pub prioritization_status: String,
    pub score: Option<i32>,
    pub recorded_by: Option<String>,
}

/// The header every CE page of an enrollment shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeEnrollment {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
}

/// The CE assessment page of a CE enrollment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeAssessmentView {
    pub enrollment: CeEnrollment,
    /// The form (empty when the user may not record: then `refused` says why).
    pub fields: Vec<FieldSpec>,
    pub refused: Option<String>,
    pub history: Vec<RecordedAssessment>,
}

crate::report::filter! {
    /// The priority list's filters, as the page's query string carries them.
    pub struct PriorityFilter {
        /// `domain::ce::HouseholdType` code.
        household_type,
        /// "yes" or "no".
        chronic,
        /// "yes" or "no".
        veteran,
        /// `domain::ce::AgeBand` code.
        age_band,
        /// A HUD project type code.
        sought,
    }
}

/// The latest referral of a household on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSummary {
    pub event_id: String,
    pub project_name: String,
    pub referred_on: NaiveDate,
    /// 4.20.D label, when recorded.
    pub result: Option<String>,
    pub result_code: Option<i32>,
    /// The head of household has been enrolled in the project since the referral.
    pub housed: bool,
}

/// One household on the priority list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub enrollment_id: String,
    pub personal_id: String,
    pub household_id: String,
    pub client_name: String,
    pub household_size: i64,
    pub score: i32,
    pub assessment_date: NaiveDate,
    pub homeless_since: Option<NaiveDate>,
    pub household_type: String,
    pub chronic: bool,
    pub veteran: bool,
    pub age: Option<u32>,
    pub sought: Option<String>,
    pub referral: Option<ReferralSummary>,
}

impl PriorityRow {
    /// What the list says about where the household stands.
    pub fn status(&self) -> String {
        match &self.referral {
            None => "Placed".into(),
            Some(r) if r.housed => "Housed — exit CE".into(),
            Some(r) => match &r.result {
                None => format!("Referred to {}", r.project_name),
                Some(result) => format!("{result} ({})", r.project_name),
            },
        }
    }
}

/// Who may exit Coordinated Entry enrollments (a CoC setting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeExitSetting {
    pub allowed: Vec<crate::domain::access::Workgroup>,
    pub choices: Vec<crate::domain::access::Workgroup>,
    /// What others are told in the menu.
    pub message: String,
}

/// The CE exit setting. HMIS admins only.
#[server(prefix = "/api", endpoint = "ce_exit_setting")]
pub async fn get_ce_exit_setting() -> Result<CeExitSetting, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::settings::get(&state, &session).await)
}

/// Sets which workgroups may exit CE enrollments (`workgroups[<code>]=yes` for each
/// ticked). HMIS admins only; audited.
#[server(prefix = "/api", endpoint = "save_ce_exit_setting")]
pub async fn save_ce_exit_setting(
    #[server(default)] workgroups: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let codes: Vec<String> = workgroups
        .into_iter()
        .filter(|(_, v)| v == "yes")
        .map(|(k, _)| k)
        .collect();
    crate::state::respond(super::settings::save(&state, &session, &codes).await)
}

/// One page of the priority list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityPage {
    pub rows: Vec<PriorityRow>,
    pub total: usize,
    pub page: usize,
    pub has_more: bool,
    /// The user refers households (a priority list manager).
    pub manages: bool,
    /// Why the user may not exit CE enrollments (the CoC's setting); None when they may.
    #[serde(default)]
    pub exit_refused: Option<String>,
    pub household_types: Vec<FilterChoice>,
    pub age_bands: Vec<FilterChoice>,
    pub project_types: Vec<FilterChoice>,
}

/// A recorded CE event (4.20).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub event_id: String,
    pub event_date: NaiveDate,
    pub event: String,
    pub project_name: Option<String>,
    pub location: Option<String>,
    pub result: Option<String>,
    pub result_date: Option<NaiveDate>,
    /// A 4.20.D result can be recorded (or corrected) by this user.
    pub takes_result: bool,
}

/// The CE events page of a CE enrollment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeEventsView {
    pub enrollment: CeEnrollment,
    /// The form to record an event (empty when the user may not: `refused` says why).
    pub fields: Vec<FieldSpec>,
    pub refused: Option<String>,
    pub events: Vec<EventRow>,
}

/// A referral an organization received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingReferral {
    pub event_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_name: String,
    pub event: String,
    pub referred_on: NaiveDate,
    pub result: Option<String>,
    pub result_date: Option<NaiveDate>,
    /// The head of household is enrolled in the project since the referral.
    pub enrolled: bool,
}

/// Rows per page.
pub const PAGE_SIZE: usize = 50;

pub fn ce_assessment_path(enrollment_id: &str) -> String {
    format!("/enrollments/{enrollment_id}/ce-assessment")
}

pub fn ce_events_path(enrollment_id: &str) -> String {
    format!("/enrollments/{enrollment_id}/ce-events")
}

/// The priority list's address for a filter and page.
pub fn list_path(filter: &PriorityFilter) -> String {
    let query = filter.query();
    if query.is_empty() {
        crate::routes::COORDINATED_ENTRY.to_string()
    } else {
        format!("{}?{query}", crate::routes::COORDINATED_ENTRY)
    }
}

pub fn csv_path(filter: &PriorityFilter) -> String {
    format!("{}?{}", crate::routes::PRIORITY_LIST_CSV, filter.query())
}

/// The local assessment questions, active and retired (HMIS admins).
#[server(prefix = "/api", endpoint = "ce_questions")]
pub async fn ce_questions() -> Result<Vec<QuestionRow>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::questions(&state, &session).await)
}

/// Adds a question (no `question_id`) or changes one (HMIS admins). Retiring a
/// question keeps the answers recorded with it.
#[server(prefix = "/api", endpoint = "save_ce_question")]
pub async fn save_ce_question(
    question_id: Option<String>,
    question: String,
    choices: String,
    position: Option<String>,
    active: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let form = super::service::QuestionForm {
        question_id: question_id.filter(|q| !q.trim().is_empty()),
        question,
        choices,
        position,
        active: active.is_some(),
    };
    crate::state::respond(super::service::save_question(&state, &session, form).await)
}

#[server(prefix = "/api", endpoint = "ce_assessment")]
pub async fn ce_assessment(enrollment_id: String) -> Result<CeAssessmentView, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::assessment_view(&state, &session, &enrollment_id).await)
}

/// Records a CE assessment on the head of household's CE enrollment and puts the
/// household on (or takes it off) the priority list in the same transaction.
#[server(prefix = "/api", endpoint = "record_ce_assessment")]
pub async fn record_ce_assessment(
    enrollment_id: String,
    answers: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let answers = answers.unwrap_or_default();
    crate::state::respond(super::service::record_assessment(&state, &session, &enrollment_id, &answers).await)
}

/// One page of the priority list (PLMs and CE assessors acting in the CE
/// organization; an audited list view).
#[server(prefix = "/api", endpoint = "priority_list")]
pub async fn priority_list(
    #[server(default)] filter: PriorityFilter,
    page: Option<usize>,
) -> Result<PriorityPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::list::list_page(&state, &session, &filter, page.unwrap_or(0)).await)
}

#[server(prefix = "/api", endpoint = "ce_events")]
pub async fn ce_events(enrollment_id: String) -> Result<CeEventsView, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::referrals::events_view(&state, &session, &enrollment_id).await)
}

/// Records a CE event; a referral to a project's opening names the project (priority
/// list managers).
#[server(prefix = "/api", endpoint = "record_ce_event")]
pub async fn record_ce_event(
    enrollment_id: String,
    answers: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let answers = answers.unwrap_or_default();
    crate::state::respond(super::referrals::record_event(&state, &session, &enrollment_id, &answers).await)
}

/// Records a referral's result (4.20.D/E): the priority list manager, or the receiving
/// organization for its own referrals.
#[server(prefix = "/api", endpoint = "record_referral_result")]
pub async fn record_referral_result(
    event_id: String,
    result: String,
    result_date: String,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(
        super::referrals::record_result(&state, &session, &event_id, &result, &result_date).await,
    )
}

/// The referrals the acting organization's projects received (an audited list view).
#[server(prefix = "/api", endpoint = "incoming_referrals")]
pub async fn incoming_referrals() -> Result<Vec<IncomingReferral>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::referrals::incoming(&state, &session).await)
}
