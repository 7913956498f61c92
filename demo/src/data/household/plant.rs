//! Planted stories: what every screen needs the demo population to hold at least a
//! few of, given to households by their number (one of each story in every
//! [`CYCLE`] households), so even a small demo has them whatever the seed and "today":
//! households about to be auto-exited, annual assessments due today, households waiting
//! on the priority list, a client of two organizations, and the data-quality problems
//! the report counts.
//!
//! A story shapes the household's path ([`Plant::plans`]), what the episode builder
//! records (`episode::Builder`), or the finished household ([`Plant::apply`]).

use app::domain::codes::ProjectType;

use super::compose::Plan;
use super::tables::REASON_OTHER;
use super::{Household, World, add_days, add_years, days_between};
use crate::data::dice::Dice;

#[cfg(test)]
pub(super) mod tests;

/// One of each story in every this many households.
pub const CYCLE: u64 = 50;

/// A story planted in a household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plant {
    /// Open in a project with an auto-exit setting (services only), last seen between
    /// the alert and the exit age: the "Approaching auto-exit" report lists it.
    NearAutoExit,
    /// Open in such a project, last seen longer ago than the exit age: the next
    /// auto-exit sweep exits it (and the data-quality report counts it meanwhile).
    PastAutoExit,
    /// Open in permanent housing with the anniversary of the head's start within 20
    /// days of today and no annual assessment yet: due today.
    AnnualDue,
    /// Open in permanent supportive housing with the first annual window closed
    /// without an annual assessment.
    AnnualMissed,
    /// Open in coordinated entry, assessed for housing and placed on the priority list.
    OnPriorityList,
    /// Rapid re-housing at one organization, then homelessness prevention at another
    /// when the rent runs out: a client of two organizations, open in the second.
    TwoOrganizations,
    /// The head's date of birth: "client doesn't know" (3.03.2 = 8).
    DobUnknown,
    /// The head's date of birth: not collected (3.03.2 = 99).
    DobMissing,
    /// A stay that ended in the past year: destination not collected (3.12 = 99).
    NoDestination,
    /// The head's income at the first entry: not collected (4.02 = 99).
    NoIncomeAtEntry,
    /// The first episode's enrollments and exits entered 11 days or more late.
    EnteredLate,
}

impl Plant {
    pub const ALL: [Plant; 11] = [
        Plant::NearAutoExit,
        Plant::PastAutoExit,
        Plant::AnnualDue,
        Plant::AnnualMissed,
        Plant::OnPriorityList,
        Plant::TwoOrganizations,
        Plant::DobUnknown,
        Plant::DobMissing,
        Plant::NoDestination,
        Plant::NoIncomeAtEntry,
        Plant::EnteredLate,
    ];

    /// The story of household number `index`: story `n` of [`Plant::ALL`] for the
    /// numbers `4n + 2` of each cycle (households 2, 6, 10, …), none for the others.
    pub fn of(index: u64) -> Option<Plant> {
        let at = index % CYCLE;
        if at % 4 != 2 {
            return None;
        }
        Plant::ALL.get(usize::try_from(at / 4).ok()?).copied()
    }

    /// Whether the story chooses the household's path.
    pub fn shapes_timeline(self) -> bool {
        matches!(
            self,
            Plant::NearAutoExit
                | Plant::PastAutoExit
                | Plant::AnnualDue
                | Plant::AnnualMissed
                | Plant::OnPriorityList
                | Plant::TwoOrganizations
                | Plant::NoDestination
        )
    }

    /// The first day the household's path may start on: within the past year for the
    /// data-quality stories (the report's default period), in the three years before
    /// today for the others.
    pub(super) fn starts_from(self, world: &World) -> chrono::NaiveDate {
        match self {
            Plant::DobUnknown | Plant::DobMissing | Plant::NoIncomeAtEntry | Plant::EnteredLate => {
                add_days(world.today, -330).max(world.window_start())
            }
            _ => world.window_start(),
        }
    }

    /// The household's path, for the stories that choose it (None when the world has
    /// no project for it: the household takes an ordinary path).
    pub(super) fn plans(self, world: &World, dice: &mut Dice) -> Option<Vec<Plan>> {
        let today = world.today;
        let open = |project: usize, entry| {
            let entry = world.projects[project].operating_start.max(entry);
            (entry <= today).then_some(Plan {
                project,
                kind: world.projects[project].kind,
                entry,
                exit: None,
            })
        };
        match self {
            Plant::NearAutoExit | Plant::PastAutoExit => {
                let project = world.pick_project(dice, ProjectType::ServicesOnly, false)?;
                world.projects[project].auto_exit?;
                Some(vec![open(project, add_days(today, -dice.range(150, 500)))?])
            }
            Plant::AnnualDue => {
                let (kind, years) = if dice.chance(0.5) {
                    (ProjectType::PhPermanentSupportiveHousing, dice.range(1, 2))
                } else {
                    (ProjectType::PhRapidReHousing, 1)
                };
                let project = world.pick_project(dice, kind, false)?;
                let entry = add_days(add_years(today, -years), dice.range(-20, 20));
                Some(vec![open(project, entry)?])
            }
            Plant::AnnualMissed => {
                // The first anniversary 55-285 days ago, the second not yet in sight.
                let project = world.pick_project(dice, ProjectType::PhPermanentSupportiveHousing, false)?;
                Some(vec![open(project, add_days(today, -dice.range(420, 650)))?])
            }
            Plant::NoDestination => {
                let kind = dice.pick(&[
                    ProjectType::EsNightByNight,
                    ProjectType::StreetOutreach,
                    ProjectType::EsEntryExit,
                    ProjectType::HomelessnessPrevention,
                ]);
                let project = world.pick_project(dice, kind, false)?;
                let entry = add_days(today, -dice.range(40, 330));
                (entry >= world.projects[project].operating_start).then_some(())?;
                Some(vec![Plan {
                    project,
                    kind,
                    entry,
                    exit: Some(add_days(entry, dice.range(3, 30))),
                }])
            }
            Plant::OnPriorityList => {
                let project = world.pick_project(dice, ProjectType::CoordinatedEntry, false)?;
                Some(vec![open(project, add_days(today, -dice.range(20, 240)))?])
            }
            Plant::TwoOrganizations => {
                let housing = world.pick_project(dice, ProjectType::PhRapidReHousing, false)?;
                let prevention = world.pick_project(dice, ProjectType::HomelessnessPrevention, false)?;
                let projects = &world.projects;
                if projects[housing].organization_id == projects[prevention].organization_id {
                    return None;
                }
                let housed = add_days(today, -dice.range(300, 600));
                let left = add_days(housed, dice.range(120, 240));
                if housed < projects[housing].operating_start {
                    return None;
                }
                let first = Plan {
                    project: housing,
                    kind: projects[housing].kind,
                    entry: housed,
                    exit: Some(left),
                };
                Some(vec![first, open(prevention, add_days(left, dice.range(20, 50)))?])
            }
            _ => None,
        }
    }

    /// Days without activity an open household of a project with this auto-exit
    /// setting (exit days, alert days) has on "today", for the auto-exit stories.
    pub(super) fn quiet_days(self, dice: &mut Dice, setting: (i32, Option<i32>)) -> Option<i64> {
        let (exit, alert) = (i64::from(setting.0), setting.1.map(i64::from));
        match self {
            Plant::NearAutoExit => Some(dice.range(alert.unwrap_or(exit - 10), exit - 1)),
            Plant::PastAutoExit => Some(dice.range(exit, exit + 60)),
            _ => None,
        }
    }

    /// Whether the annual assessment of the `year`th anniversary is left out: the one
    /// due today (its window holds today) or the first one.
    pub(super) fn skips_annual(self, year: i64, holds_today: bool) -> bool {
        match self {
            Plant::AnnualDue => holds_today,
            Plant::AnnualMissed => year == 1,
            _ => false,
        }
    }

    /// Plants the stories that change a finished household: data-quality problems.
    pub(super) fn apply(self, world: &World, index: u64, household: &mut Household) {
        match self {
            Plant::DobUnknown | Plant::DobMissing => {
                let head = &mut household.members[0];
                head.dob = None;
                head.dob_data_quality = if self == Plant::DobUnknown { 8 } else { 99 };
            }
            Plant::NoDestination => {
                let exited = household
                    .episodes
                    .iter_mut()
                    .rev()
                    .find(|e| e.stays[0].exit.is_some());
                if let Some(episode) = exited {
                    let head_exit = episode.stays[0].exit_date();
                    for stay in &mut episode.stays {
                        if let Some(exit) = stay.exit.as_mut().filter(|x| Some(x.date) == head_exit) {
                            exit.destination = 99;
                            exit.subsidy_type = None;
                            exit.other_destination = None;
                            exit.exit_reason_id = REASON_OTHER;
                            exit.exit_method = "manual";
                        }
                    }
                }
            }
            Plant::NoIncomeAtEntry => {
                let entry = &mut household.episodes[0].stays[0].stages[0].finances;
                entry.income_from_any_source = Some(99);
                entry.income_cents = [0; super::INCOME_SOURCES];
                entry.other_income_identify = None;
            }
            Plant::EnteredLate => {
                let late = 11 + i64::try_from(index / CYCLE % 30).unwrap_or(0);
                for stay in &mut household.episodes[0].stays {
                    stay.entered_late = late.min(days_between(stay.entry, world.today));
                    if let Some(exit) = &mut stay.exit {
                        exit.entered_late = late.min(days_between(exit.date, world.today));
                    }
                }
            }
            _ => {}
        }
    }
}
