//! Every planted story is told, read back with the app's own rules (auto-exit
//! standing, annual status), and the households keep the generator's rules.

use std::collections::{HashMap, HashSet};

use app::domain::annual::{AnnualStatus, status, window};
use app::domain::auto_exit::{MemberActivity, Setting, Standing, last_activity, standing};
use app::domain::codes::ProjectType;
use chrono::NaiveDate;

use super::{CYCLE, Plant};
use crate::data::household::tests::{check_household, demo_world};
use crate::data::household::{Episode, World, generate};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// What the open members of an episode have on record, as the auto-exit sweep reads
/// it: services, bed nights, and contacts or update and annual assessments.
fn activity(episode: &Episode) -> Vec<MemberActivity> {
    episode
        .stays
        .iter()
        .filter(|s| s.exit.is_none())
        .map(|s| {
            let latest = |bed_nights: bool| {
                s.services
                    .iter()
                    .filter(|x| (x.record_type == 200) == bed_nights)
                    .map(|x| x.date)
                    .max()
            };
            let assessed = s
                .stages
                .iter()
                .filter(|st| matches!(st.stage, 2 | 5))
                .map(|st| st.date);
            MemberActivity {
                entry_date: s.entry,
                last_service: latest(false),
                last_bed_night: latest(true),
                last_contact: s.contacts.iter().map(|c| c.date).chain(assessed).max(),
            }
        })
        .collect()
}

/// Where an open episode stands on the world's today by its project's auto-exit setting.
pub fn standing_of(world: &World, episode: &Episode) -> Option<Standing> {
    let (exit_days, alert_days) = world.projects[episode.project].auto_exit?;
    let last = last_activity(&activity(episode))?;
    Some(standing(
        last,
        world.today,
        Setting {
            exit_days,
            alert_days,
        },
    ))
}

/// The annual status of the head of household's stay on the world's today.
fn annual_status(world: &World, episode: &Episode) -> AnnualStatus {
    let head = &episode.stays[0];
    let annuals: Vec<NaiveDate> = head
        .stages
        .iter()
        .filter(|s| s.stage == 5)
        .map(|s| s.date)
        .collect();
    status(head.entry, world.today, &annuals)
}

#[test]
fn one_of_each_story_in_every_cycle() {
    for cycle in 0..3 {
        let stories: Vec<Plant> = (cycle * CYCLE..(cycle + 1) * CYCLE)
            .filter_map(Plant::of)
            .collect();
        assert_eq!(stories, Plant::ALL);
    }
    assert_eq!(Plant::of(0), None);
    assert_eq!(Plant::of(2), Some(Plant::NearAutoExit));
    assert_eq!(Plant::of(CYCLE + 6), Some(Plant::PastAutoExit));
    assert_eq!(Plant::of(CYCLE + 7), None);
}

#[test]
fn planted_households_tell_their_story_and_keep_the_rules() {
    for (seed, today) in [
        (1, d(2026, 3, 15)),
        (7, d(2025, 2, 28)),
        (42, d(2026, 2, 20)),
        (9, d(2024, 2, 29)),
    ] {
        let world = demo_world(seed, today);
        let mut told: HashMap<Plant, usize> = HashMap::new();
        let mut case_managers = HashSet::new();
        for index in 0..4 * CYCLE {
            let household = generate(&world, index, 6);
            check_household(&world, &household);
            assert_eq!(household.plant, Plant::of(index));
            let Some(plant) = household.plant else {
                continue;
            };
            let first = &household.episodes[0];
            let last = household.episodes.last().unwrap();
            let open = last.stays[0].exit.is_none();
            let head = &household.members[0];
            // The data-quality stories are in the report's default period (the past year).
            let recent = (today - first.stays[0].entry).num_days() <= 330;
            let ok = match plant {
                Plant::NearAutoExit => {
                    last.kind == ProjectType::ServicesOnly
                        && standing_of(&world, last) == Some(Standing::Alert)
                }
                Plant::PastAutoExit => {
                    last.kind == ProjectType::ServicesOnly && standing_of(&world, last) == Some(Standing::Due)
                }
                Plant::AnnualDue => open && matches!(annual_status(&world, last), AnnualStatus::Due(_)),
                Plant::AnnualMissed => {
                    let head_stay = &last.stays[0];
                    let first_window = window(head_stay.entry, 1).unwrap();
                    open && first_window.closes < today
                        && !head_stay
                            .stages
                            .iter()
                            .any(|s| s.stage == 5 && first_window.contains(s.date))
                }
                Plant::OnPriorityList => {
                    let latest = last.stays[0].assessments.iter().max_by_key(|a| a.date);
                    last.kind == ProjectType::CoordinatedEntry
                        && open
                        && latest.is_some_and(|a| a.prioritization == 1 && a.level == 2)
                }
                Plant::TwoOrganizations => {
                    let organizations: HashSet<&str> = household
                        .episodes
                        .iter()
                        .map(|e| &world.projects[e.project])
                        .filter(|p| !p.victim_service)
                        .map(|p| p.organization_id.as_str())
                        .collect();
                    open && organizations.len() >= 2 && last.case_manager.is_some()
                }
                Plant::DobUnknown => recent && head.dob.is_none() && head.dob_data_quality == 8,
                Plant::DobMissing => recent && head.dob.is_none() && head.dob_data_quality == 99,
                Plant::NoDestination => last.stays[0]
                    .exit
                    .as_ref()
                    .is_some_and(|x| x.destination == 99 && (today - x.date).num_days() < 365),
                Plant::NoIncomeAtEntry => {
                    recent && first.stays[0].stages[0].finances.income_from_any_source == Some(99)
                }
                Plant::EnteredLate => {
                    recent
                        && first
                            .stays
                            .iter()
                            .all(|s| s.entered_late >= 11 || (today - s.entry).num_days() < 11)
                }
            };
            assert!(
                ok,
                "{plant:?} in household {index} (seed {seed}, {today}): {household:#?}"
            );
            *told.entry(plant).or_default() += 1;
            if plant.shapes_timeline() {
                case_managers.extend(last.case_manager);
            }
        }
        for plant in Plant::ALL {
            assert_eq!(told.get(&plant), Some(&4), "{plant:?} (seed {seed}, {today})");
        }
        assert_eq!(
            case_managers.len(),
            world.case_managers.len(),
            "each case manager has planted households"
        );
    }
}
