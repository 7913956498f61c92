//! Server functions and DTOs for the client dashboard.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::enrollment::MenuItem;
use crate::error::AppError;

/// The client header of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub personal_id: String,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub age: Option<u32>,
    /// 3.07 veteran status label.
    pub veteran_status: String,
    pub veteran: bool,
    pub ssn_last4: Option<String>,
    /// 4.21 sex label.
    pub sex: Option<String>,
    /// 3.04 race and ethnicity labels.
    pub race: Vec<String>,
    /// What an FY2024 import recorded that FY2026 retired (gender): (label, value).
    pub retired: Vec<(String, String)>,
}

/// A member of an enrollment's household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMemberRow {
    pub personal_id: String,
    pub name: String,
    pub relationship: String,
    pub age: Option<u32>,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
}

/// One enrollment on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentRow {
    pub enrollment_id: String,
    pub household_id: String,
    pub project_name: String,
    pub project_type: Option<String>,
    pub organization_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    pub relationship: String,
    pub household: Vec<HouseholdMemberRow>,
    /// The client's master assessments on this enrollment, oldest first: (stage label,
    /// information date).
    pub assessments: Vec<(String, NaiveDate)>,
    /// The user's organization owns it (or they are an HMIS admin).
    pub editable: bool,
    pub menu: Vec<MenuItem>,
    /// What an FY2024 import recorded that FY2026 retired (sexual orientation,
    /// translation assistance): (label, value).
    pub retired: Vec<(String, String)>,
}

impl EnrollmentRow {
    /// (members exited, members) of the household, when some but not all have exited.
    pub fn partial_exit(&self) -> Option<(usize, usize)> {
        let exited = self.household.iter().filter(|m| m.exit_date.is_some()).count();
        (exited > 0 && exited < self.household.len()).then_some((exited, self.household.len()))
    }
}

/// A workflow in progress for this client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRow {
    pub draft_id: String,
    /// "Intake", "Exit", …
    pub kind: String,
    pub owner: String,
    pub updated_at: DateTime<Utc>,
    /// `updated_at` in the CoC's time zone.
    pub saved_at: String,
    /// The user may resume it (their own) or discard it (theirs, or an admin).
    pub mine: bool,
    pub can_discard: bool,
}

/// What the client dashboard shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDashboard {
    pub client: ClientSummary,
    pub enrollments: Vec<EnrollmentRow>,
    pub drafts: Vec<DraftRow>,
    /// Short notices for the header ("Intake in progress", …).
    pub alerts: Vec<String>,
    /// The client's current case managers.
    pub case_managers: Vec<String>,
    /// Who the case can be reassigned to, when the user may reassign it.
    pub reassign_options: Option<Vec<crate::features::caseload::api::CaseManagerOption>>,
}

/// The client dashboard. Every view is written to the audit log.
#[server(prefix = "/api", endpoint = "get_client_dashboard")]
pub async fn get_client_dashboard(personal_id: String) -> Result<ClientDashboard, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::dashboard(&state, &session, &personal_id).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(exit: Option<NaiveDate>) -> HouseholdMemberRow {
        HouseholdMemberRow {
            personal_id: "p".into(),
            name: "n".into(),
            relationship: "Child".into(),
            age: None,
            entry_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            exit_date: exit,
        }
    }

    #[test]
    fn a_household_is_partially_exited_when_some_members_left() {
        let exit = NaiveDate::from_ymd_opt(2026, 2, 1);
        let mut row = EnrollmentRow {
            enrollment_id: "e".into(),
            household_id: "h".into(),
            project_name: "p".into(),
            project_type: None,
            organization_name: "o".into(),
            entry_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            exit_date: None,
            relationship: "Self".into(),
            household: vec![member(None), member(exit), member(None)],
            assessments: Vec::new(),
            editable: true,
            menu: Vec::new(),
            retired: Vec::new(),
        };
        assert_eq!(row.partial_exit(), Some((1, 3)));
        row.household = vec![member(exit), member(exit)];
        assert_eq!(row.partial_exit(), None);
        row.household = vec![member(None)];
        assert_eq!(row.partial_exit(), None);
    }
}
