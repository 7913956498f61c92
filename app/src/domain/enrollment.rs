//! What can be done with an enrollment: the three-dot action menu on the client
//! dashboard offers only the actions that apply to the enrollment's state and to the
//! user's rights, and says why the others are unavailable.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The actions of an enrollment's menu, in menu order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrollmentAction {
    ExitEnrollment,
    EditProjectEntry,
    EditExit,
    UpdateAnnualAssessment,
    MissedUpdateAnnualAssessment,
    ReEnter,
    ViewHousehold,
    Services,
}

impl EnrollmentAction {
    pub fn label(self) -> &'static str {
        match self {
            EnrollmentAction::ExitEnrollment => "Exit the Enrollment",
            EnrollmentAction::EditProjectEntry => "Edit Project Entry Workflow",
            EnrollmentAction::EditExit => "Edit Exit Workflow",
            EnrollmentAction::UpdateAnnualAssessment => "Update/Annual Assessment",
            EnrollmentAction::MissedUpdateAnnualAssessment => "Missed Update/Annual Assessment",
            EnrollmentAction::ReEnter => "Re-enter the Enrollment",
            EnrollmentAction::ViewHousehold => "View household",
            EnrollmentAction::Services => "Services",
        }
    }

    /// Changes the enrollment's data (as opposed to only looking at it). The Services
    /// page lists services to everyone who sees the enrollment and records them for
    /// the owning organization.
    pub fn writes(self) -> bool {
        !matches!(self, EnrollmentAction::ViewHousehold | EnrollmentAction::Services)
    }
}

/// An enrollment as the menu sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnrollmentState {
    pub exit_date: Option<NaiveDate>,
    /// The user acts in the organization that owns the enrollment (or is an HMIS admin).
    pub editable: bool,
    pub hmis_admin: bool,
    pub today: NaiveDate,
}

/// One menu item: the action, or why it cannot be used now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    pub action: EnrollmentAction,
    pub unavailable: Option<String>,
}

pub use super::exit::RE_ENTER_DAYS;

/// The menu of one enrollment. Actions whose workflows are not built yet are listed as
/// unavailable with the reason, never as dead links.
pub fn menu(state: EnrollmentState, built: &[EnrollmentAction]) -> Vec<MenuItem> {
    use EnrollmentAction::*;
    let actions: &[EnrollmentAction] = match state.exit_date {
        None => &[
            ExitEnrollment,
            EditProjectEntry,
            UpdateAnnualAssessment,
            ViewHousehold,
            Services,
        ],
        Some(_) => &[
            EditExit,
            EditProjectEntry,
            MissedUpdateAnnualAssessment,
            ReEnter,
            ViewHousehold,
            Services,
        ],
    };
    actions
        .iter()
        .map(|&action| {
            let unavailable = if action.writes() && !state.editable {
                Some("Read-only: this enrollment belongs to another organization.".to_string())
            } else if action == ReEnter
                && let Some(exit) = state.exit_date
                && let Err(reason) = super::exit::check_re_enter(exit, state.today, state.hmis_admin)
            {
                Some(reason)
            } else if !built.contains(&action) {
                Some("Not available yet: this workflow arrives in a coming release.".to_string())
            } else {
                None
            };
            MenuItem { action, unavailable }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrollmentAction::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const ALL: &[EnrollmentAction] = &[
        ExitEnrollment,
        EditProjectEntry,
        EditExit,
        UpdateAnnualAssessment,
        MissedUpdateAnnualAssessment,
        ReEnter,
        ViewHousehold,
        Services,
    ];

    fn state(exit: Option<NaiveDate>, editable: bool, admin: bool) -> EnrollmentState {
        EnrollmentState {
            exit_date: exit,
            editable,
            hmis_admin: admin,
            today: d(2026, 11, 30),
        }
    }

    fn available(items: &[MenuItem]) -> Vec<EnrollmentAction> {
        items
            .iter()
            .filter(|i| i.unavailable.is_none())
            .map(|i| i.action)
            .collect()
    }

    #[test]
    fn open_enrollments_offer_exit_and_update() {
        let items = menu(state(None, true, false), ALL);
        assert_eq!(
            available(&items),
            vec![
                ExitEnrollment,
                EditProjectEntry,
                UpdateAnnualAssessment,
                ViewHousehold,
                Services
            ]
        );
    }

    #[test]
    fn exited_enrollments_offer_edit_exit_missed_and_re_enter() {
        let items = menu(state(Some(d(2026, 11, 1)), true, false), ALL);
        assert_eq!(
            available(&items),
            vec![
                EditExit,
                EditProjectEntry,
                MissedUpdateAnnualAssessment,
                ReEnter,
                ViewHousehold,
                Services
            ]
        );
    }

    #[test]
    fn re_enter_after_ninety_days_is_for_hmis_admins() {
        let old = Some(d(2026, 8, 1));
        let items = menu(state(old, true, false), ALL);
        let re_enter = items.iter().find(|i| i.action == ReEnter).unwrap();
        assert!(
            re_enter
                .unavailable
                .as_deref()
                .unwrap()
                .contains("HMIS administrator")
        );
        assert!(available(&menu(state(old, true, true), ALL)).contains(&ReEnter));
    }

    #[test]
    fn other_organizations_only_view() {
        let items = menu(state(None, false, false), ALL);
        assert_eq!(available(&items), vec![ViewHousehold, Services]);
    }

    #[test]
    fn unbuilt_workflows_say_so() {
        let items = menu(state(None, true, false), &[ViewHousehold]);
        let exit = items.iter().find(|i| i.action == ExitEnrollment).unwrap();
        assert!(exit.unavailable.as_deref().unwrap().contains("coming release"));
    }
}
