//! Who is in a household and where it goes: its members (ages, sexes, races, SSNs,
//! military service) and its timeline of projects.

use app::domain::codes::{ProjectType, RelationshipToHoH};
use chrono::{Datelike, NaiveDate};

use super::tables::{Flow, RACES};
use super::{
    HouseholdKind, Member, MilitaryService, Race, World, add_days, add_years, age_on, birth_for_age,
    days_between,
};
use crate::data::dice::Dice;
use crate::data::names;

/// A member before dates: role, sex and age.
pub(super) struct Draft {
    pub(super) relationship: i32,
    /// 4.21 code 0 or 1 (the recorded value may be a missing-data code).
    pub(super) sex: i32,
    pub(super) age: Age,
}

pub(super) enum Age {
    /// An adult: age on the household's first entry.
    FirstEntry(i64),
    /// A child: age on the latest day any entry may fall on (stays under 18).
    LastEntry(i64),
}

pub(super) const HEAD: i32 = RelationshipToHoH::HeadOfHousehold.code();
pub(super) const CHILD: i32 = RelationshipToHoH::Child.code();
pub(super) const PARTNER: i32 = RelationshipToHoH::SpouseOrPartner.code();
pub(super) const RELATIVE: i32 = RelationshipToHoH::OtherRelative.code();
pub(super) const UNRELATED: i32 = RelationshipToHoH::UnrelatedHouseholdMember.code();

pub(super) fn adult_age(dice: &mut Dice) -> i64 {
    match dice.weighted(&[(0, 25), (1, 22), (2, 23), (3, 22), (4, 8)]) {
        0 => dice.range(25, 34),
        1 => dice.range(35, 44),
        2 => dice.range(45, 54),
        3 => dice.range(55, 64),
        _ => dice.range(65, 79),
    }
}

pub(super) fn other_sex(sex: i32) -> i32 {
    1 - sex
}

pub(super) fn compose(dice: &mut Dice, kind: HouseholdKind) -> Vec<Draft> {
    let mut people = Vec::new();
    let partner = |dice: &mut Dice, head_age: i64, head_sex: i32| Draft {
        relationship: PARTNER,
        sex: if dice.chance(0.9) {
            other_sex(head_sex)
        } else {
            head_sex
        },
        age: Age::FirstEntry((head_age + dice.range(-6, 6)).max(18)),
    };
    match kind {
        HouseholdKind::SingleAdult => {
            let sex = i32::from(dice.chance(0.68));
            people.push(Draft {
                relationship: HEAD,
                sex,
                age: Age::FirstEntry(adult_age(dice)),
            });
        }
        HouseholdKind::Youth => people.push(Draft {
            relationship: HEAD,
            sex: i32::from(dice.chance(0.55)),
            age: Age::FirstEntry(dice.range(18, 24)),
        }),
        HouseholdKind::Couple => {
            let sex = i32::from(dice.chance(0.5));
            let age = dice.range(22, 70);
            people.push(Draft {
                relationship: HEAD,
                sex,
                age: Age::FirstEntry(age),
            });
            people.push(partner(dice, age, sex));
        }
        HouseholdKind::Adults => {
            people.push(Draft {
                relationship: HEAD,
                sex: i32::from(dice.chance(0.6)),
                age: Age::FirstEntry(dice.range(25, 65)),
            });
            for _ in 0..dice.range(1, 2) {
                people.push(Draft {
                    relationship: if dice.chance(0.6) { RELATIVE } else { UNRELATED },
                    sex: i32::from(dice.chance(0.5)),
                    age: Age::FirstEntry(dice.range(18, 80)),
                });
            }
        }
        HouseholdKind::Family => {
            let sex = i32::from(dice.chance(0.2));
            let age = dice.range(20, 52);
            people.push(Draft {
                relationship: HEAD,
                sex,
                age: Age::FirstEntry(age),
            });
            if dice.chance(0.4) {
                people.push(partner(dice, age, sex));
            }
            let children = dice.weighted(&[(1, 35), (2, 30), (3, 20), (4, 15)]);
            for _ in 0..children {
                people.push(Draft {
                    relationship: CHILD,
                    sex: i32::from(dice.chance(0.5)),
                    age: Age::LastEntry(dice.range(0, 17)),
                });
            }
            if dice.chance(0.08) {
                // A grandparent, or a niece or nephew.
                people.push(if dice.chance(0.5) {
                    Draft {
                        relationship: RELATIVE,
                        sex: i32::from(dice.chance(0.3)),
                        age: Age::FirstEntry(dice.range(45, 78)),
                    }
                } else {
                    Draft {
                        relationship: RELATIVE,
                        sex: i32::from(dice.chance(0.5)),
                        age: Age::LastEntry(dice.range(0, 17)),
                    }
                });
            }
        }
        HouseholdKind::ParentingYouth => {
            let sex = i32::from(dice.chance(0.15));
            let age = dice.range(18, 24);
            people.push(Draft {
                relationship: HEAD,
                sex,
                age: Age::FirstEntry(age),
            });
            if dice.chance(0.3) {
                people.push(Draft {
                    relationship: PARTNER,
                    sex: other_sex(sex),
                    age: Age::FirstEntry(dice.range(18, 26)),
                });
            }
            for _ in 0..dice.weighted(&[(1, 75), (2, 25)]) {
                people.push(Draft {
                    relationship: CHILD,
                    sex: i32::from(dice.chance(0.5)),
                    age: Age::LastEntry(dice.range(0, 3)),
                });
            }
        }
    }
    people.truncate(6);
    people
}

/// One planned episode: the head of household's dates.
pub(super) struct Plan {
    pub(super) project: usize,
    pub(super) kind: ProjectType,
    pub(super) entry: NaiveDate,
    pub(super) exit: Option<NaiveDate>,
}

/// Length of stay in days (night-by-night: nights) by project type.
pub(super) fn length_of_stay(dice: &mut Dice, kind: ProjectType) -> i64 {
    let (minimum, mean, cap) = match kind {
        ProjectType::StreetOutreach => (1, 75.0, 540),
        ProjectType::EsNightByNight => (1, 10.0, 120),
        ProjectType::EsEntryExit => (3, 50.0, 365),
        ProjectType::TransitionalHousing => (30, 220.0, 730),
        ProjectType::PhRapidReHousing => (45, 240.0, 730),
        ProjectType::PhPermanentSupportiveHousing => (90, 1100.0, 4000),
        ProjectType::HomelessnessPrevention => (14, 75.0, 365),
        ProjectType::CoordinatedEntry => (7, 100.0, 450),
        ProjectType::ServicesOnly => (14, 160.0, 900),
        _ => (30, 100.0, 720),
    };
    (minimum + dice.exponential(mean)).min(cap)
}

/// The household's path along `flow`, starting on a day from `from` (the first day
/// entries may fall on, or later) to today.
pub(super) fn plan_timeline(
    world: &World,
    dice: &mut Dice,
    flow: Flow,
    dv: bool,
    from: NaiveDate,
) -> Vec<Plan> {
    let today = world.today;
    let window = days_between(from, today);
    let mut date = add_days(from, dice.range(0, window));
    let mut plans: Vec<Plan> = Vec::new();
    for (i, &kind) in flow.iter().enumerate() {
        let Some(project) = world.pick_project(dice, kind, dv) else {
            continue;
        };
        let entry = date.max(world.projects[project].operating_start);
        if entry > today {
            break;
        }
        let planned_exit = add_days(entry, length_of_stay(dice, kind));
        if planned_exit > today {
            plans.push(Plan {
                project,
                kind,
                entry,
                exit: None,
            });
            break;
        }
        plans.push(Plan {
            project,
            kind,
            entry,
            exit: Some(planned_exit),
        });
        let next = flow.get(i + 1).copied();
        let gap = match (kind, next) {
            (_, Some(ProjectType::CoordinatedEntry)) => dice.range(0, 7),
            (ProjectType::CoordinatedEntry, Some(_)) => dice.range(0, 3),
            _ => dice.range(1, 30),
        };
        date = add_days(planned_exit, gap);
        if date > today {
            break;
        }
    }
    if plans.is_empty() {
        // None of the path's project types exists here: any project will do.
        let project = dice.below(world.projects.len() as u64) as usize;
        let kind = world.projects[project].kind;
        let entry = date.max(world.projects[project].operating_start).min(today);
        let planned_exit = add_days(entry, length_of_stay(dice, kind));
        plans.push(Plan {
            project,
            kind,
            entry,
            exit: (planned_exit <= today).then_some(planned_exit),
        });
    }
    plans
}

pub(super) fn race(dice: &mut Dice) -> Race {
    let missing = dice.weighted(&[(0, 985), (8, 5), (9, 5), (99, 5)]);
    let bits = if missing == 0 { dice.weighted(RACES) } else { 0 };
    race_from_bits(dice, bits, (missing != 0).then_some(missing))
}

pub(super) fn race_from_bits(dice: &mut Dice, bits: u8, race_none: Option<i32>) -> Race {
    let has = |bit: u8| i32::from(bits & bit != 0);
    let additional = if bits & 8 != 0 && dice.chance(0.12) {
        Some(dice.pick(&["Mexican", "Puerto Rican", "Salvadoran", "Guatemalan", "Cuban"]))
    } else if bits & 2 != 0 && dice.chance(0.3) {
        Some(dice.pick(&["Vietnamese", "Hmong", "Filipino", "Chinese"]))
    } else if bits & 16 != 0 && dice.chance(0.4) {
        Some(dice.pick(&["Syrian", "Iraqi", "Lebanese", "Afghan"]))
    } else if bits & 1 != 0 && dice.chance(0.3) {
        Some(dice.pick(&["Cherokee", "Navajo", "Osage", "Lakota"]))
    } else if bits & 32 != 0 && dice.chance(0.3) {
        Some(dice.pick(&["Samoan", "Marshallese", "Native Hawaiian"]))
    } else {
        None
    };
    Race {
        am_ind_ak_native: has(1),
        asian: has(2),
        black_af_american: has(4),
        hispanic_latinao: has(8),
        mid_east_n_african: has(16),
        native_hi_pacific: has(32),
        white: has(64),
        race_none,
        additional,
    }
}

pub(super) fn race_bits(race: &Race) -> u8 {
    [
        race.am_ind_ak_native,
        race.asian,
        race.black_af_american,
        race.hispanic_latinao,
        race.mid_east_n_african,
        race.native_hi_pacific,
        race.white,
    ]
    .iter()
    .enumerate()
    .fold(0u8, |bits, (i, &v)| if v == 1 { bits | (1 << i) } else { bits })
}

pub(super) fn ssn(dice: &mut Dice, adult: bool) -> (Option<String>, i32) {
    let quality = if adult {
        dice.weighted(&[(1, 182), (2, 8), (8, 4), (9, 3), (99, 3)])
    } else {
        dice.weighted(&[(1, 95), (8, 2), (99, 3)])
    };
    let digits = format!(
        "{:03}{:02}{:04}",
        dice.range(900, 999),
        dice.range(1, 99),
        dice.range(1, 9999)
    );
    match quality {
        1 => (Some(digits), 1),
        2 => (Some(format!("xxxxx{}", &digits[5..])), 2),
        other => (None, other),
    }
}

pub(super) fn military_service(dice: &mut Dice, birth: NaiveDate, today: NaiveDate) -> MilitaryService {
    let year_entered = (birth.year() + dice.range(18, 24) as i32).min(today.year());
    let year_separated = (year_entered + dice.range(2, 20) as i32).min(today.year());
    let served = |from: i32, to: i32| year_entered <= to && year_separated >= from;
    let periods = [
        (1941, 1945),
        (1950, 1953),
        (1961, 1975),
        (1990, 1991),
        (2001, 2021),
        (2003, 2010),
        (2010, 2011),
    ];
    let mut theaters = [0; 8];
    for (i, (from, to)) in periods.into_iter().enumerate() {
        theaters[i] = i32::from(served(from, to) && dice.chance(0.45));
    }
    theaters[7] = i32::from(dice.chance(0.08));
    if dice.chance(0.01) {
        theaters = [99; 8];
    }
    let mut branches = vec![(1, 45), (3, 17), (2, 14), (4, 15), (6, 3), (8, 1), (99, 1)];
    if year_separated >= 2020 {
        branches.push((7, 1));
    }
    MilitaryService {
        year_entered,
        year_separated,
        theaters,
        branch: dice.weighted(&branches),
        discharge: dice.weighted(&[
            (1, 72),
            (2, 12),
            (6, 6),
            (4, 2),
            (5, 1),
            (7, 2),
            (8, 2),
            (9, 1),
            (99, 2),
        ]),
    }
}

pub(super) fn make_members(
    world: &World,
    dice: &mut Dice,
    drafts: &[Draft],
    first_entry: NaiveDate,
    latest_entry: NaiveDate,
) -> Vec<Member> {
    let mut members: Vec<Member> = Vec::with_capacity(drafts.len());
    let mut head_birth = first_entry;
    for (i, draft) in drafts.iter().enumerate() {
        let adult = matches!(draft.age, Age::FirstEntry(_));
        let birth_date = match draft.age {
            Age::FirstEntry(age) => birth_for_age(dice, age, first_entry),
            Age::LastEntry(age) => {
                let mut birth = birth_for_age(dice, age, latest_entry);
                if birth > first_entry {
                    birth = add_days(first_entry, -dice.range(0, 364));
                }
                // At least 15 years younger than the head of household.
                let youngest_parent_age = add_years(head_birth, 15);
                if birth < youngest_parent_age {
                    birth = add_days(youngest_parent_age, dice.range(0, 200)).min(first_entry);
                }
                birth
            }
        };
        if i == 0 {
            head_birth = birth_date;
        }
        let head = members.first();
        // Race: children mostly share a parent's; partners often the head's.
        let race = match head {
            Some(head) if !adult && dice.chance(0.7) => head.race.clone(),
            Some(_)
                if !adult && members.len() > 1 && members[1].relationship == PARTNER && dice.chance(0.6) =>
            {
                members[1].race.clone()
            }
            Some(head) if !adult && head.race.race_none.is_none() => {
                let other = race(dice);
                let bits = race_bits(&head.race) | race_bits(&other);
                race_from_bits(dice, bits, None)
            }
            Some(head) if draft.relationship == PARTNER && dice.chance(0.6) => head.race.clone(),
            _ => race(dice),
        };
        let hispanic = race.hispanic_latinao == 1;
        let last = match head {
            Some(head) if !adult && dice.chance(0.85) => head.last_name,
            Some(head) if draft.relationship == PARTNER && dice.chance(0.55) => head.last_name,
            _ if hispanic && dice.chance(0.7) => Some(dice.pick(names::HISPANIC_LAST)),
            _ => Some(dice.pick(names::LAST)),
        }
        .or_else(|| Some(dice.pick(names::LAST)));
        let first_list = if draft.sex == 0 {
            names::FEMALE_FIRST
        } else {
            names::MALE_FIRST
        };
        let mut first = Some(dice.pick(first_list));
        let mut last = last;
        let middle = dice.chance(0.4).then(|| dice.pick(first_list));
        let suffix = (adult && draft.sex == 1 && dice.chance(0.03)).then(|| dice.pick(names::SUFFIXES));
        let name_data_quality = if adult {
            dice.weighted(&[(1, 965), (2, 25), (8, 3), (9, 4), (99, 3)])
        } else {
            1
        };
        match name_data_quality {
            2 => {
                first = Some(dice.pick(names::STREET_NAMES));
                if dice.chance(0.5) {
                    last = None;
                }
            }
            8 | 9 | 99 => {
                first = None;
                last = None;
            }
            _ => {}
        }
        let (ssn, ssn_data_quality) = ssn(dice, adult);
        // Approximate DOBs round down to 1 January (older, so still 18+); children's
        // are always complete.
        let dob_data_quality = if adult {
            dice.weighted(&[(1, 955), (2, 25), (8, 7), (9, 5), (99, 8)])
        } else {
            1
        };
        let dob = match dob_data_quality {
            1 => Some(birth_date),
            2 => NaiveDate::from_ymd_opt(birth_date.year(), 1, 1),
            _ => None,
        };
        let sex = if dice.chance(0.007) {
            dice.pick(&[8, 9, 99])
        } else {
            draft.sex
        };
        let age = age_on(birth_date, first_entry);
        let veteran_status = if !adult {
            0
        } else if dice.chance(0.012) {
            dice.pick(&[8, 9, 99])
        } else {
            let p = match (draft.sex, age) {
                (1, 25..) => 0.11,
                (0, 25..) => 0.02,
                _ => 0.005,
            };
            i32::from(dice.chance(p))
        };
        let service = (veteran_status == 1).then(|| military_service(dice, birth_date, world.today));
        members.push(Member {
            relationship: draft.relationship,
            birth_date,
            first_name: first,
            middle_name: middle.filter(|_| name_data_quality == 1),
            last_name: last,
            name_suffix: suffix.filter(|_| name_data_quality == 1),
            name_data_quality,
            ssn,
            ssn_data_quality,
            dob,
            dob_data_quality,
            sex,
            race,
            veteran_status,
            service,
        });
    }
    members
}
