//! What can be done with an enrollment: the three-dot action menu on the client
//! dashboard offers only the actions that apply to the enrollment's state and to the
//! user's rights, and says why the others are unavailable.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::Workgroup;

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
    /// 4.19 Coordinated Entry assessment (CE project enrollments).
    CeAssessment,
    /// 4.20 Coordinated Entry events and referrals (CE project enrollments).
    CeEvents,
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
            EnrollmentAction::CeAssessment => "Coordinated Entry Assessment",
            EnrollmentAction::CeEvents => "CE Events and Referrals",
        }
    }

    /// Changes the enrollment's data (as opposed to only looking at it). The Services
    /// page lists services to everyone who sees the enrollment and records them for
    /// the owning organization.
    pub fn writes(self) -> bool {
        !matches!(
            self,
            EnrollmentAction::ViewHousehold | EnrollmentAction::Services | EnrollmentAction::CeEvents
        )
    }

    /// Ends (or reopens) the enrollment: for a Coordinated Entry enrollment, priority
    /// list managers' work.
    pub fn exits(self) -> bool {
        matches!(
            self,
            EnrollmentAction::ExitEnrollment | EnrollmentAction::EditExit | EnrollmentAction::ReEnter
        )
    }
}

/// An enrollment as the menu sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollmentState {
    pub exit_date: Option<NaiveDate>,
    /// The user acts in the organization that owns the enrollment (or is an HMIS admin).
    pub editable: bool,
    pub hmis_admin: bool,
    pub today: NaiveDate,
    /// The enrollment is in a Coordinated Entry project (type 14).
    pub coordinated_entry: bool,
    /// The user's workgroup.
    pub workgroup: Workgroup,
    /// The workgroups the CoC lets exit CE enrollments (its setting).
    pub ce_exiters: Vec<Workgroup>,
}

/// Who exits Coordinated Entry enrollments unless the CoC decides otherwise: priority
/// list managers (in the CE organization, which owns them) and HMIS admins.
pub const DEFAULT_CE_EXITERS: [Workgroup; 2] = [Workgroup::PriorityListManager, Workgroup::HmisAdmin];

/// The workgroups a CoC may let exit CE enrollments (its CE assessors, priority list
/// managers, HMIS staff … as it decides).
pub const CE_EXITER_CHOICES: [Workgroup; 6] = Workgroup::ALL;

/// Why a user may not exit a Coordinated Entry enrollment, naming who may.
pub fn ce_exit_refused(exiters: &[Workgroup]) -> String {
    let names: Vec<String> = exiters.iter().map(|w| format!("{}s", w.label())).collect();
    let who = match names.as_slice() {
        [] => "nobody".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!("In this CoC only {who} exit Coordinated Entry enrollments: ask your priority list manager.")
}

/// Whether `workgroup` may exit CE enrollments under the CoC's setting `exiters`.
pub fn may_exit_ce(workgroup: Workgroup, exiters: &[Workgroup]) -> bool {
    exiters.contains(&workgroup)
}

/// Who manages the priority list (refers households to projects, records referral
/// results): priority list managers and HMIS admins.
pub fn manages_ce_list(workgroup: Workgroup) -> bool {
    matches!(workgroup, Workgroup::PriorityListManager | Workgroup::HmisAdmin)
}

/// Who records CE assessments and events: CE assessors, priority list managers, HMIS
/// admins.
pub fn does_ce_work(workgroup: Workgroup) -> bool {
    matches!(
        workgroup,
        Workgroup::CeAssessor | Workgroup::PriorityListManager | Workgroup::HmisAdmin
    )
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
    let actions: &[EnrollmentAction] = match (state.exit_date, state.coordinated_entry) {
        (None, true) => &[
            ExitEnrollment,
            CeAssessment,
            CeEvents,
            EditProjectEntry,
            UpdateAnnualAssessment,
            ViewHousehold,
            Services,
        ],
        (Some(_), true) => &[
            EditExit,
            CeEvents,
            EditProjectEntry,
            MissedUpdateAnnualAssessment,
            ReEnter,
            ViewHousehold,
            Services,
        ],
        (None, false) => &[
            ExitEnrollment,
            EditProjectEntry,
            UpdateAnnualAssessment,
            ViewHousehold,
            Services,
        ],
        (Some(_), false) => &[
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
            // A CE enrollment's exit is the priority list manager's, whoever looks.
            let unavailable = if state.coordinated_entry
                && action.exits()
                && !may_exit_ce(state.workgroup, &state.ce_exiters)
            {
                Some(ce_exit_refused(&state.ce_exiters))
            } else if action.writes() && !state.editable {
                Some("Read-only: this enrollment belongs to another organization.".to_string())
            } else if matches!(action, CeAssessment | CeEvents) && !does_ce_work(state.workgroup) {
                Some("For CE assessors and priority list managers.".to_string())
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
        CeAssessment,
        CeEvents,
    ];

    fn state(exit: Option<NaiveDate>, editable: bool, admin: bool) -> EnrollmentState {
        EnrollmentState {
            exit_date: exit,
            editable,
            hmis_admin: admin,
            today: d(2026, 11, 30),
            coordinated_entry: false,
            workgroup: if admin {
                Workgroup::HmisAdmin
            } else {
                Workgroup::CaseManager
            },
            ce_exiters: DEFAULT_CE_EXITERS.to_vec(),
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

    #[test]
    fn only_priority_list_managers_exit_ce_enrollments() {
        let ce = |workgroup, exit| EnrollmentState {
            coordinated_entry: true,
            workgroup,
            ..state(exit, true, workgroup == Workgroup::HmisAdmin)
        };
        let refused = ce_exit_refused(&DEFAULT_CE_EXITERS);
        assert_eq!(
            refused,
            "In this CoC only Priority List Managers and HMIS Admins exit Coordinated Entry enrollments: ask your priority list manager."
        );
        let assessor = menu(ce(Workgroup::CeAssessor, None), ALL);
        let exit = assessor.iter().find(|i| i.action == ExitEnrollment).unwrap();
        assert_eq!(exit.unavailable.as_deref(), Some(refused.as_str()));
        assert!(available(&assessor).contains(&CeAssessment));
        for wg in [Workgroup::PriorityListManager, Workgroup::HmisAdmin] {
            let items = available(&menu(ce(wg, None), ALL));
            assert!(
                items.contains(&ExitEnrollment) && items.contains(&CeAssessment),
                "{wg:?}"
            );
        }
        let exited = menu(ce(Workgroup::CeAssessor, Some(d(2026, 11, 1))), ALL);
        let unavailable: Vec<EnrollmentAction> = exited
            .iter()
            .filter(|i| i.unavailable.as_deref() == Some(refused.as_str()))
            .map(|i| i.action)
            .collect();
        assert_eq!(unavailable, vec![EditExit, ReEnter]);
        // Another organization's case manager is sent to the priority list manager.
        let outside = menu(
            EnrollmentState {
                editable: false,
                ..ce(Workgroup::CaseManager, None)
            },
            ALL,
        );
        let exit = outside.iter().find(|i| i.action == ExitEnrollment).unwrap();
        assert_eq!(exit.unavailable.as_deref(), Some(refused.as_str()));
        // A case manager of the CE organization neither exits nor assesses.
        let cm = menu(ce(Workgroup::CaseManager, None), ALL);
        assert!(!available(&cm).contains(&ExitEnrollment) && !available(&cm).contains(&CeAssessment));
        // A CoC that lets its CE assessors exit: the assessor may, the reason names them.
        let assessors = EnrollmentState {
            ce_exiters: vec![Workgroup::CeAssessor, Workgroup::HmisAdmin],
            ..ce(Workgroup::CeAssessor, None)
        };
        assert!(available(&menu(assessors.clone(), ALL)).contains(&ExitEnrollment));
        let plm = EnrollmentState {
            workgroup: Workgroup::PriorityListManager,
            ..assessors
        };
        let exit = menu(plm, ALL)
            .into_iter()
            .find(|i| i.action == ExitEnrollment)
            .unwrap();
        assert_eq!(
            exit.unavailable.as_deref(),
            Some(
                "In this CoC only CE Assessors and HMIS Admins exit Coordinated Entry enrollments: ask your priority list manager."
            )
        );
        // Other projects' menus do not offer CE actions.
        assert!(
            !menu(state(None, true, false), ALL)
                .iter()
                .any(|i| i.action == CeAssessment)
        );
    }
}
