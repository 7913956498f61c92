//! Server functions and DTOs of exits.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What re-entering an enrollment will undo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReEnterPreview {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: NaiveDate,
    /// 3.12 destination label.
    pub destination: String,
    /// Exit-stage records (income, health and DV, disabilities …) removed with the exit.
    pub exit_stage_records: u64,
    /// Why the user may not re-enter it, when they may not.
    pub refused: Option<String>,
    /// The other members of the household who exited with it (the same exit date),
    /// offered to re-enter together.
    #[serde(default)]
    pub together: Vec<ReEnterMember>,
}

/// A household member who exited together with the enrollment being re-entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReEnterMember {
    pub enrollment_id: String,
    pub client_name: String,
    /// 3.15 relationship label.
    pub relationship: String,
    pub head: bool,
    /// Why this member cannot be re-entered now, if so.
    pub refused: Option<String>,
}

/// The confirmation page of "Re-enter the Enrollment".
#[server(prefix = "/api", endpoint = "get_re_enter")]
pub async fn get_re_enter(enrollment_id: String) -> Result<ReEnterPreview, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::preview(&state, &session, &enrollment_id).await)
}

/// Removes the enrollment's exit and its exit-stage records — and those of the
/// household members ticked in `together` who exited
/// with it (see [`together_field`]) — in one transaction, audited: within 90 days of the exit by the owning
/// organization, later only by an HMIS admin; a member other than the head of household
/// only with the head open or re-entered too. Answers the client dashboard's address.
#[server(prefix = "/api", endpoint = "re_enter_enrollment")]
pub async fn re_enter_enrollment(
    enrollment_id: String,
    #[server(default)] together: std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let also: Vec<String> = together
        .into_iter()
        .filter(|(_, v)| v == "yes")
        .filter_map(|(k, _)| k.strip_prefix(TOGETHER_PREFIX).map(str::to_string))
        .collect();
    let result = super::service::re_enter(&state, &session, &enrollment_id, &also).await;
    crate::state::respond_then_go(result, String::clone)
}

/// Keys of `together` are `enrollment_<ID>` (a bare ID starting with digits would be
/// read as a list index by the form decoder).
const TOGETHER_PREFIX: &str = "enrollment_";

/// The posted name of the "re-enter together" box of a household member's enrollment.
pub fn together_field(enrollment_id: &str) -> String {
    format!("together[{TOGETHER_PREFIX}{enrollment_id}]")
}

/// The address of the re-enter confirmation.
pub fn re_enter_path(enrollment_id: &str) -> String {
    format!("/enrollments/{enrollment_id}/re-enter")
}
