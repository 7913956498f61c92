//! One episode of service, member by member: entries, prior living situations, the
//! stage-dated records (entry, update, annual, exit), exits with destinations
//! ([`exits`]) and the case manager of the open stays.

mod activity;
mod ce_answers;
mod exits;

use app::domain::codes::{DestinationGroup, PRIOR_LIVING_SITUATION, ProjectType};
use chrono::NaiveDate;

use super::compose::{HEAD, Plan};
use super::records::{disabilities, domestic_violence, education, finances};
use super::tables::{
    PRIOR_FAMILY, PRIOR_HOUSING, PRIOR_PREVENTION, PRIOR_SHELTER, PRIOR_STREET, PRIOR_YOUTH, SUBSIDIES,
    length_code,
};
use super::{
    Disabilities, DomesticViolence, Episode, Exit, Finances, Member, Plant, PriorLiving, Stage, Stay, World,
    add_days, add_years, age_on, days_between,
};
use crate::data::dice::Dice;

/// What the household's situation is between episodes (3.917 codes).
#[derive(Clone, Copy)]
pub(super) struct Situation {
    code: i32,
    subsidy: Option<i32>,
    since: NaiveDate,
}

/// The evolving state of one member across the household's episodes.
pub(super) struct Profile {
    adult: bool,
    finances: Finances,
    disabilities: Disabilities,
    domestic_violence: Option<DomesticViolence>,
    /// R4.1 and R5.1, for adults.
    education: (i32, i32),
}

pub(super) struct Builder<'a> {
    world: &'a World,
    dice: Dice,
    members: &'a [Member],
    profiles: Vec<Profile>,
    situation: Situation,
    /// Moves into the next permanent housing project at once (came from a residential one).
    moving_in_next: bool,
    plant: Option<Plant>,
    /// Which cycle of planted stories the household is in (its number / `plant::CYCLE`).
    cycle: u64,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        world: &'a World,
        mut dice: Dice,
        members: &'a [Member],
        fleeing_dv: bool,
        first_entry: NaiveDate,
        (plant, cycle): (Option<Plant>, u64),
    ) -> Self {
        let has_young_child = members
            .iter()
            .any(|m| m.relationship != HEAD && age_on(m.birth_date, first_entry) < 5);
        let has_children = members.iter().any(|m| age_on(m.birth_date, first_entry) < 18);
        let profiles = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let age = age_on(member.birth_date, first_entry);
                let adult = age >= 18;
                let disabilities = disabilities(&mut dice, adult);
                let veteran = member.veteran_status == 1;
                let finances = finances(
                    &mut dice,
                    adult,
                    age,
                    veteran,
                    &disabilities,
                    i == 0 && has_children,
                    i == 0 && has_young_child,
                    member.race.am_ind_ak_native == 1,
                );
                let domestic_violence = adult.then(|| domestic_violence(&mut dice, i == 0 && fleeing_dv));
                let education = education(&mut dice, age);
                Profile {
                    adult,
                    finances,
                    disabilities,
                    domestic_violence,
                    education,
                }
            })
            .collect();
        Builder {
            world,
            dice,
            members,
            profiles,
            situation: Situation {
                code: 99,
                subsidy: None,
                since: first_entry,
            },
            moving_in_next: false,
            plant,
            cycle,
        }
    }

    pub(super) fn episode(
        &mut self,
        plan: &Plan,
        previous: Option<ProjectType>,
        next: Option<&Plan>,
    ) -> Episode {
        let today = self.world.today;
        let kind = plan.kind;
        if previous.is_none() {
            self.situation = self.first_situation(kind, plan.entry);
        }
        if kind == ProjectType::PhPermanentSupportiveHousing
            && self.profiles[0].disabilities.disabling_condition() != 1
        {
            // PSH requires a disabling condition of the head of household.
            let profile = &mut self.profiles[0];
            profile.disabilities.responses[4] = 1;
            profile.disabilities.indefinite[4] = Some(1);
        }
        let head_end = plan.exit.unwrap_or(today);
        let length = days_between(plan.entry, head_end);
        let last_episode = next.is_none();
        let nbn = kind == ProjectType::EsNightByNight;
        // An open services-only household was last seen on this day (it comes and goes;
        // street outreach and shelters keep their own rhythm).
        let last_seen =
            (plan.exit.is_none() && kind == ProjectType::ServicesOnly).then(|| self.last_seen(plan));

        // 3.10 and 3.11 per member: joining later, leaving earlier.
        let mut dates: Vec<(usize, NaiveDate, Option<NaiveDate>)> = Vec::new();
        for (m, profile) in self.profiles.iter().enumerate() {
            if m == 0 {
                dates.push((0, plan.entry, plan.exit));
                continue;
            }
            let mut entry = plan.entry;
            if !nbn && length >= 7 && self.dice.chance(0.06) {
                entry = add_days(plan.entry, self.dice.range(1, length.min(14)));
            }
            let mut exit = plan.exit;
            let leave_chance = if profile.adult { 0.06 } else { 0.02 };
            if !nbn && last_episode && self.dice.chance(leave_chance) {
                exit = Some(add_days(entry, self.dice.range(0, days_between(entry, head_end))));
            }
            dates.push((m, entry, exit));
        }

        // 3.20 Housing move-in date (permanent housing).
        let head_move_in = match kind {
            ProjectType::PhRapidReHousing | ProjectType::PhPermanentSupportiveHousing => {
                let date = if self.moving_in_next {
                    Some(add_days(plan.entry, self.dice.range(0, 3)))
                } else if kind == ProjectType::PhPermanentSupportiveHousing {
                    self.dice
                        .chance(0.88)
                        .then(|| add_days(plan.entry, self.dice.exponential(25.0)))
                } else {
                    self.dice
                        .chance(0.78)
                        .then(|| add_days(plan.entry, 10 + self.dice.exponential(45.0)))
                };
                date.filter(|d| *d <= head_end)
            }
            _ => None,
        };
        self.moving_in_next = false;

        // Household-level data collection dates: an update, annual assessments.
        let mut extra_stages: Vec<(i32, NaiveDate)> = Vec::new();
        if length >= 60 && self.dice.chance(0.15) {
            extra_stages.push((2, add_days(plan.entry, self.dice.range(30, length - 1))));
        }
        for year in 1.. {
            let anniversary = add_years(plan.entry, year);
            if add_days(anniversary, -30) > head_end {
                break;
            }
            let date = add_days(anniversary, self.dice.range(-30, 30));
            let in_stay = match plan.exit {
                Some(exit) => date < exit,
                None => date <= today,
            };
            if !in_stay {
                break;
            }
            let holds_today = add_days(anniversary, -30) <= today && today <= add_days(anniversary, 30);
            if self.plant.is_some_and(|p| p.skips_annual(year, holds_today)) {
                continue;
            }
            extra_stages.push((5, date));
        }
        if let Some(last) = last_seen {
            // Nobody saw a household that stopped coming.
            extra_stages.retain(|(_, date)| *date <= last);
        }
        extra_stages.sort_by_key(|(_, date)| *date);

        // The household's destination (the head's; members leaving early draw their own).
        let (destination, subsidy) = match next {
            Some(next) => self.transition(next.kind),
            None => self.final_destination(kind, head_move_in.is_some()),
        };
        let head_exit = plan
            .exit
            .map(|date| self.exit_record(kind, date, destination, subsidy, next.is_some()));

        // The household's enrollments are entered together.
        let entered_late = self.entered_late(plan.entry);
        let mut stays = Vec::with_capacity(dates.len());
        for (m, entry, exit_date) in dates {
            let adult = self.profiles[m].adult;
            let end = exit_date.unwrap_or(today);
            let prior = (m == 0 || adult).then(|| self.prior_living(entry));
            let disabling_condition = self.profiles[m].disabilities.disabling_condition();
            let move_in = head_move_in.map(|d| d.max(entry)).filter(|d| *d <= end);
            let engagement = match kind {
                ProjectType::StreetOutreach | ProjectType::EsNightByNight if m == 0 || adult => self
                    .dice
                    .chance(0.65)
                    .then(|| add_days(entry, self.dice.exponential(10.0)))
                    .filter(|d| *d <= end),
                _ => None,
            };
            let exit = match exit_date {
                None => None,
                Some(date) if Some(date) == plan.exit => head_exit.clone().map(|mut e| {
                    e.date = date;
                    e
                }),
                Some(date) => {
                    let (destination, subsidy) = self.final_destination(kind, move_in.is_some());
                    Some(self.exit_record(kind, date, destination, subsidy, false))
                }
            };
            let stages = self.stages(m, kind, entry, exit_date, &extra_stages, exit.as_ref());
            let services = self.services(kind, m, entry, exit_date, move_in);
            let contacts = if kind == ProjectType::ServicesOnly {
                // The case manager meets the head of household.
                match m {
                    0 => self.check_ins(entry, last_seen.unwrap_or(end)),
                    _ => Vec::new(),
                }
            } else if m == 0 || adult {
                self.contacts(kind, entry, end, exit_date.is_none(), prior.as_ref())
            } else {
                Vec::new()
            };
            let (assessments, events) = if m == 0 && kind == ProjectType::CoordinatedEntry {
                self.ce_activity(entry, exit_date, next, exit.as_ref(), prior.as_ref())
            } else {
                (Vec::new(), Vec::new())
            };
            stays.push(Stay {
                member: m,
                entry,
                exit,
                move_in,
                engagement,
                prior,
                disabling_condition,
                stages,
                services,
                contacts,
                assessments,
                events,
                entered_late: entered_late.min(days_between(entry, today)),
            });
        }

        // Where the household is now.
        match kind {
            ProjectType::EsEntryExit | ProjectType::EsNightByNight => {
                self.situation = Situation {
                    code: 101,
                    subsidy: None,
                    since: plan.entry,
                }
            }
            ProjectType::TransitionalHousing => {
                self.situation = Situation {
                    code: 302,
                    subsidy: None,
                    since: plan.entry,
                }
            }
            ProjectType::PhRapidReHousing | ProjectType::PhPermanentSupportiveHousing => {
                if let Some(date) = head_move_in {
                    self.situation = Situation {
                        code: 435,
                        subsidy: Some(if kind == ProjectType::PhRapidReHousing {
                            431
                        } else {
                            439
                        }),
                        since: date,
                    }
                }
            }
            _ => {}
        }
        if let Some(next) = next {
            let residential = matches!(
                kind,
                ProjectType::EsEntryExit | ProjectType::EsNightByNight | ProjectType::TransitionalHousing
            );
            self.moving_in_next = residential
                && matches!(
                    next.kind,
                    ProjectType::PhRapidReHousing | ProjectType::PhPermanentSupportiveHousing
                );
        }
        let case_manager = if plan.exit.is_none() {
            self.case_manager(plan.project)
        } else {
            None
        };
        Episode {
            project: plan.project,
            kind,
            stays,
            case_manager,
        }
    }

    pub(super) fn first_situation(&mut self, kind: ProjectType, entry: NaiveDate) -> Situation {
        let table = match kind {
            ProjectType::StreetOutreach => PRIOR_STREET,
            ProjectType::EsNightByNight | ProjectType::CoordinatedEntry | ProjectType::ServicesOnly => {
                PRIOR_SHELTER
            }
            ProjectType::EsEntryExit => PRIOR_FAMILY,
            ProjectType::TransitionalHousing => PRIOR_YOUTH,
            ProjectType::HomelessnessPrevention => PRIOR_PREVENTION,
            _ => PRIOR_HOUSING,
        };
        let code = self.dice.weighted(table);
        let mean = match DestinationGroup::of(&PRIOR_LIVING_SITUATION, code) {
            Some(DestinationGroup::Homeless) => 120.0,
            Some(DestinationGroup::Institutional) => 60.0,
            Some(DestinationGroup::Temporary) => 90.0,
            Some(DestinationGroup::Permanent) => 700.0,
            _ => 30.0,
        };
        Situation {
            code,
            subsidy: (code == 435).then(|| self.dice.weighted(SUBSIDIES)),
            since: add_days(entry, -self.dice.exponential(mean)),
        }
    }

    /// 3.917 at an entry on `entry`, from the household's situation.
    pub(super) fn prior_living(&mut self, entry: NaiveDate) -> PriorLiving {
        let situation = self.situation;
        let code = situation.code;
        let mut prior = PriorLiving {
            living_situation: code,
            rental_subsidy_type: (code == 435)
                .then(|| situation.subsidy.unwrap_or_else(|| self.dice.weighted(SUBSIDIES))),
            length_of_stay: None,
            los_under_threshold: None,
            previous_street_essh: None,
            date_to_street_essh: None,
            times_homeless: None,
            months_homeless: None,
        };
        let group = DestinationGroup::of(&PRIOR_LIVING_SITUATION, code);
        if matches!(group, Some(DestinationGroup::Missing) | None) {
            return prior;
        }
        let days = days_between(situation.since, entry).max(0);
        let length = if self.dice.chance(0.015) {
            self.dice.pick(&[8, 9, 99])
        } else {
            length_code(days)
        };
        prior.length_of_stay = Some(length);
        let homeless = group == Some(DestinationGroup::Homeless);
        let street = if homeless {
            true
        } else {
            let under = if group == Some(DestinationGroup::Institutional) {
                matches!(length, 10 | 11 | 2 | 3)
            } else {
                matches!(length, 10 | 11)
            };
            if matches!(length, 8 | 9 | 99) {
                return prior;
            }
            prior.los_under_threshold = Some(i32::from(under));
            if !under {
                return prior;
            }
            let previous = if self.dice.chance(0.01) {
                99
            } else {
                i32::from(self.dice.chance(0.6))
            };
            prior.previous_street_essh = Some(previous);
            previous == 1
        };
        if street {
            let start = if homeless && self.dice.chance(0.5) {
                situation.since
            } else {
                add_days(situation.since, -1 - self.dice.exponential(90.0))
            };
            let start = start.min(entry);
            prior.date_to_street_essh = Some(start);
            let times = self
                .dice
                .weighted(&[(1, 50), (2, 20), (3, 10), (4, 15), (8, 2), (9, 1), (99, 2)]);
            prior.times_homeless = Some(times);
            prior.months_homeless = Some(if self.dice.chance(0.02) {
                self.dice.pick(&[8, 9, 99])
            } else {
                let mut months = days_between(start, entry) / 30 + 1;
                if (2..=4).contains(&times) {
                    months += self.dice.range(1, 6);
                }
                if months > 12 { 113 } else { 100 + months as i32 }
            });
        }
        prior
    }

    /// Entry, update, annual and exit data collections of member `m`'s stay.
    pub(super) fn stages(
        &mut self,
        m: usize,
        kind: ProjectType,
        entry: NaiveDate,
        exit_date: Option<NaiveDate>,
        extra: &[(i32, NaiveDate)],
        exit: Option<&Exit>,
    ) -> Vec<Stage> {
        let employment_collected = matches!(
            kind,
            ProjectType::EsEntryExit
                | ProjectType::TransitionalHousing
                | ProjectType::PhRapidReHousing
                | ProjectType::PhPermanentSupportiveHousing
                | ProjectType::HomelessnessPrevention
        );
        let adult = self.profiles[m].adult;
        let mut stages = Vec::with_capacity(2 + extra.len());
        let employment = (adult && employment_collected).then(|| self.employment(m));
        let profile = &self.profiles[m];
        stages.push(Stage {
            stage: 1,
            date: entry,
            finances: profile.finances.clone(),
            disabilities: Some(profile.disabilities.clone()),
            domestic_violence: profile.domestic_violence.clone(),
            employment,
        });
        for &(stage, date) in extra {
            let inside = date > entry && exit_date.is_none_or(|exit| date < exit);
            if !inside {
                continue;
            }
            self.drift(m, 0.05);
            let profile = &self.profiles[m];
            let domestic_violence = if stage == 2 {
                profile
                    .domestic_violence
                    .clone()
                    .filter(|dv| dv.survivor == 1)
                    .map(|mut dv| {
                        dv.currently_fleeing = Some(0);
                        dv
                    })
            } else {
                None
            };
            stages.push(Stage {
                stage,
                date,
                finances: profile.finances.clone(),
                disabilities: None,
                domestic_violence,
                employment: None,
            });
        }
        if let Some(exit) = exit {
            let housed =
                app::domain::codes::destination_group(exit.destination) == Some(DestinationGroup::Permanent);
            self.drift(m, if housed { 0.2 } else { 0.03 });
            let employment = (adult && employment_collected).then(|| self.employment(m));
            let profile = &self.profiles[m];
            stages.push(Stage {
                stage: 3,
                date: exit.date,
                finances: profile.finances.clone(),
                disabilities: Some(profile.disabilities.clone()),
                domestic_violence: None,
                employment,
            });
        }
        stages
    }
}
