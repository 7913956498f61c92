//! The generator's rules, checked over thousands of households.

use app::domain::codes::{
    ASSESSMENT_LEVEL, ASSESSMENT_TYPE, CURRENT_LIVING_SITUATION, CodeList, DESTINATION, DISABILITY_RESPONSE,
    DISCHARGE_STATUS, DOB_DATA_QUALITY, DestinationGroup, EMPLOYMENT_TYPE, EVENT_TYPE, LAST_GRADE_COMPLETED,
    MILITARY_BRANCH, MONTHS_HOMELESS_PAST_THREE_YEARS, MOVING_ON_ASSISTANCE, NAME_DATA_QUALITY, NO_YES,
    NO_YES_MISSING, NO_YES_REASONS_FOR_MISSING_DATA, NOT_EMPLOYED_REASON, PRIOR_LIVING_SITUATION,
    PRIORITIZATION_STATUS, RACE_NONE, RECORD_TYPE, REFERRAL_RESULT, RELATIONSHIP_TO_HOH, RENTAL_SUBSIDY_TYPE,
    RESIDENCE_PRIOR_LENGTH_OF_STAY, SCHOOL_STATUS, SEX, SSN_DATA_QUALITY, TIMES_HOMELESS_PAST_THREE_YEARS,
    VETERAN_STATUS, WHEN_DV_OCCURRED,
};
use proptest::prelude::*;
use std::collections::HashMap;

use super::compose::{CHILD, PARTNER};
use super::records::takes_referral_result;
use super::tables::*;
use super::*;

/// The demo CoC's projects, case managers and CE questions, as `accounts::seed`
/// creates them (IDs made up: `project3`, `org1`, the username as the user ID).
pub fn demo_world(seed: u64, today: NaiveDate) -> World {
    use crate::accounts::{DEMO_ORGANIZATIONS, DEMO_PROJECTS, DEMO_USERS};
    let start = NaiveDate::from_ymd_opt(2019, 7, 1).unwrap();
    let organization = |i: usize| format!("org{i}");
    let projects = DEMO_PROJECTS
        .iter()
        .enumerate()
        .map(|(i, project)| ProjectInfo {
            project_id: format!("project{i}"),
            name: project.1.to_string(),
            kind: project.2,
            organization_id: organization(project.0),
            victim_service: DEMO_ORGANIZATIONS[project.0].2,
            coc_code: "MO-500".into(),
            operating_start: start,
            auto_exit: project.6.map(|days| (days, project.5)),
        })
        .collect();
    let case_managers = DEMO_USERS
        .iter()
        .flat_map(|(username, _, _, access)| {
            access
                .iter()
                .filter(|(_, workgroup)| *workgroup == app::domain::access::Workgroup::CaseManager)
                .map(|(org, _)| CaseManager {
                    user_id: username.to_string(),
                    organization_id: organization(*org),
                })
        })
        .collect();
    World::new(seed, today, projects, case_managers, CeQuestion::demo())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
}

fn code_in(list: &CodeList, code: i32, what: &str) {
    assert!(
        list.contains(code),
        "{what}: {code} is not in {} {}",
        list.element,
        list.name
    );
}

fn opt_in(list: &CodeList, code: Option<i32>, what: &str) {
    if let Some(code) = code {
        code_in(list, code, what);
    }
}

/// Every invariant the issue asks for, on one household.
pub fn check_household(world: &World, household: &Household) {
    let today = world.today;
    let members = &household.members;
    assert!((1..=6).contains(&members.len()), "1-6 members");
    assert_eq!(members[0].relationship, 1, "members[0] is the head");
    assert_eq!(
        members.iter().filter(|m| m.relationship == 1).count(),
        1,
        "one head"
    );
    for member in members {
        code_in(&RELATIONSHIP_TO_HOH, member.relationship, "3.15");
        assert_ne!(member.relationship, 99);
        code_in(&NAME_DATA_QUALITY, member.name_data_quality, "3.01.5");
        code_in(&SSN_DATA_QUALITY, member.ssn_data_quality, "3.02.2");
        code_in(&DOB_DATA_QUALITY, member.dob_data_quality, "3.03.2");
        code_in(&SEX, member.sex, "4.21");
        code_in(&VETERAN_STATUS, member.veteran_status, "3.07");
        opt_in(&RACE_NONE, member.race.race_none, "3.04 RaceNone");
        let race = &member.race;
        let columns = [
            race.am_ind_ak_native,
            race.asian,
            race.black_af_american,
            race.hispanic_latinao,
            race.mid_east_n_african,
            race.native_hi_pacific,
            race.white,
        ];
        for c in columns {
            code_in(&NO_YES, c, "3.04 column");
        }
        assert_eq!(
            columns.iter().all(|c| *c == 0),
            race.race_none.is_some(),
            "RaceNone iff no race"
        );
        if let Some(ssn) = &member.ssn {
            assert_eq!(ssn.len(), 9);
        }
        assert_eq!(member.ssn.is_some(), matches!(member.ssn_data_quality, 1 | 2));
        assert_eq!(member.dob.is_some(), matches!(member.dob_data_quality, 1 | 2));
        if let Some(dob) = member.dob {
            assert!(dob <= member.birth_date, "an approximate DOB is never later");
        }
        if let Some(service) = &member.service {
            assert_eq!(member.veteran_status, 1);
            assert!(service.year_entered <= service.year_separated);
            opt_in(&MILITARY_BRANCH, Some(service.branch), "V1.11");
            opt_in(&DISCHARGE_STATUS, Some(service.discharge), "V1.12");
            for t in service.theaters {
                code_in(&NO_YES_REASONS_FOR_MISSING_DATA, t, "V1 theater");
            }
        }
    }
    assert!(!household.episodes.is_empty());
    let mut previous_end: Option<NaiveDate> = None;
    for episode in &household.episodes {
        let head = &episode.stays[0];
        assert_eq!(head.member, 0, "the head's stay comes first");
        if let Some(end) = previous_end {
            assert!(head.entry >= end, "episodes follow one another");
        }
        previous_end = Some(head.exit_date().unwrap_or(today));
        if let Some(cm) = episode.case_manager {
            assert!(head.exit.is_none(), "open episodes are assigned");
            assert_eq!(
                world.case_managers[cm].organization_id, world.projects[episode.project].organization_id,
                "to a case manager of the project's organization"
            );
        }
        let head_birth = members[0].birth_date;
        assert!(
            age_on(head_birth, head.entry) >= 18,
            "the head is an adult at entry"
        );
        for stay in &episode.stays {
            let member = &members[stay.member];
            let age = age_on(member.birth_date, stay.entry);
            assert!(age >= 0, "born by entry");
            if member.relationship == CHILD {
                assert!(age < 18, "children are under 18 at entry: {age}");
                assert!(age_on(head_birth, stay.entry) >= 18);
            }
            if member.relationship == PARTNER {
                assert!(age >= 18, "partners are adults");
            }
            assert!(stay.entry >= head.entry, "nobody enters before the head");
            assert!(stay.entry <= today);
            assert!(stay.entered_late >= 0 && add_days(stay.entry, stay.entered_late) <= today);
            if let Some(exit) = &stay.exit {
                assert!(exit.entered_late >= 0 && add_days(exit.date, exit.entered_late) <= today);
            }
            if let Some(exit) = &stay.exit {
                assert!(exit.date >= stay.entry, "exit on or after entry");
                assert!(exit.date <= today, "no exit in the future");
                if let Some(head_exit) = head.exit_date() {
                    assert!(exit.date <= head_exit, "nobody leaves after the head");
                }
                code_in(&DESTINATION, exit.destination, "3.12");
                opt_in(&RENTAL_SUBSIDY_TYPE, exit.subsidy_type, "3.12.A");
                assert_eq!(exit.subsidy_type.is_some(), exit.destination == 435);
                assert!(["manual", "auto", "admin"].contains(&exit.exit_method));
            } else {
                assert!(head.exit.is_none(), "an open member stay needs an open head stay");
            }
            let end = stay.exit_date().unwrap_or(today);
            if let Some(move_in) = stay.move_in {
                assert!(move_in >= stay.entry && move_in <= end);
            }
            if let Some(engaged) = stay.engagement {
                assert!(engaged >= stay.entry && engaged <= end);
            }
            code_in(&NO_YES_REASONS_FOR_MISSING_DATA, stay.disabling_condition, "3.08");
            if let Some(prior) = &stay.prior {
                code_in(&PRIOR_LIVING_SITUATION, prior.living_situation, "3.917");
                opt_in(&RENTAL_SUBSIDY_TYPE, prior.rental_subsidy_type, "3.917 subsidy");
                opt_in(&RESIDENCE_PRIOR_LENGTH_OF_STAY, prior.length_of_stay, "3.917.2");
                opt_in(&NO_YES_MISSING, prior.los_under_threshold, "3.917.2A");
                opt_in(&NO_YES_MISSING, prior.previous_street_essh, "3.917.2B");
                opt_in(&TIMES_HOMELESS_PAST_THREE_YEARS, prior.times_homeless, "3.917.4");
                opt_in(
                    &MONTHS_HOMELESS_PAST_THREE_YEARS,
                    prior.months_homeless,
                    "3.917.5",
                );
                if let Some(date) = prior.date_to_street_essh {
                    assert!(date <= stay.entry);
                }
            } else {
                assert!(age < 18 && stay.member != 0, "3.917 for heads and adults");
            }
            // Stage records: entry first, exit last, all inside the stay.
            assert_eq!(stay.stages[0].stage, 1);
            assert_eq!(stay.stages[0].date, stay.entry);
            assert!(stay.stages[0].disabilities.is_some());
            if let Some(exit) = &stay.exit {
                let last = &stay.stages[stay.stages.len() - 1];
                assert_eq!((last.stage, last.date), (3, exit.date));
                assert!(last.disabilities.is_some());
            }
            for stage in &stay.stages {
                assert!(stage.date >= stay.entry && stage.date <= end);
                assert!([1, 2, 3, 5].contains(&stage.stage));
                let f = &stage.finances;
                opt_in(&NO_YES_REASONS_FOR_MISSING_DATA, f.income_from_any_source, "4.02");
                opt_in(
                    &NO_YES_REASONS_FOR_MISSING_DATA,
                    f.benefits_from_any_source,
                    "4.03",
                );
                code_in(
                    &NO_YES_REASONS_FOR_MISSING_DATA,
                    f.insurance_from_any_source,
                    "4.04",
                );
                if f.income_from_any_source == Some(1) {
                    assert!(f.income_cents.iter().any(|c| *c > 0));
                }
                if let Some(d) = &stage.disabilities {
                    for (i, r) in d.responses.iter().enumerate() {
                        let list = if DISABILITY_TYPES[i] == 10 {
                            &DISABILITY_RESPONSE
                        } else {
                            &NO_YES_REASONS_FOR_MISSING_DATA
                        };
                        code_in(list, *r, "4.05-4.10");
                        opt_in(&NO_YES_REASONS_FOR_MISSING_DATA, d.indefinite[i], "indefinite");
                    }
                }
                if let Some(dv) = &stage.domestic_violence {
                    code_in(&NO_YES_REASONS_FOR_MISSING_DATA, dv.survivor, "4.11");
                    opt_in(&WHEN_DV_OCCURRED, dv.when_occurred, "4.11.A");
                    opt_in(&NO_YES_REASONS_FOR_MISSING_DATA, dv.currently_fleeing, "4.11.B");
                }
                if let Some(e) = &stage.employment {
                    code_in(&LAST_GRADE_COMPLETED, e.last_grade_completed, "R4");
                    code_in(&SCHOOL_STATUS, e.school_status, "R5");
                    code_in(&NO_YES_REASONS_FOR_MISSING_DATA, e.employed, "R6");
                    opt_in(&EMPLOYMENT_TYPE, e.employment_type, "R6.A");
                    opt_in(&NOT_EMPLOYED_REASON, e.not_employed_reason, "R6.B");
                }
            }
            for service in &stay.services {
                code_in(&RECORD_TYPE, service.record_type, "1.4");
                match service.record_type {
                    200 => assert_eq!(episode.kind, ProjectType::EsNightByNight),
                    300 => code_in(&MOVING_ON_ASSISTANCE, service.type_provided, "C2.2"),
                    other => panic!("unexpected record type {other}"),
                }
                assert!(service.date >= stay.entry && service.date <= end);
                if let Some(exit) = stay.exit_date().filter(|_| service.record_type == 200) {
                    assert!(
                        service.date < exit.max(add_days(stay.entry, 1)),
                        "bed nights end the night before exit"
                    );
                }
            }
            for contact in &stay.contacts {
                code_in(&CURRENT_LIVING_SITUATION, contact.situation, "4.12");
                assert_eq!(contact.subsidy_type.is_some(), contact.situation == 435);
                opt_in(&RENTAL_SUBSIDY_TYPE, contact.subsidy_type, "4.12.A");
                opt_in(
                    &NO_YES_REASONS_FOR_MISSING_DATA,
                    contact.leave_within_14_days,
                    "4.12 leave",
                );
                assert!(contact.date >= stay.entry && contact.date <= end);
            }
            for a in &stay.assessments {
                code_in(&ASSESSMENT_TYPE, a.assessment_type, "4.19.3");
                code_in(&ASSESSMENT_LEVEL, a.level, "4.19.4");
                code_in(&PRIORITIZATION_STATUS, a.prioritization, "4.19.7");
                assert!(a.date >= stay.entry && a.date <= end);
                // Every question answered with one of its choices; the score is theirs.
                assert_eq!(a.answers.len(), world.ce_questions.len());
                let chosen = world
                    .ce_questions
                    .iter()
                    .zip(&a.answers)
                    .map(|(q, &i)| q.choices.get(i).expect("one of the question's choices"));
                assert_eq!(a.score, app::domain::ce::score(chosen));
                if let Some(sought) = a.sought {
                    assert!(
                        app::features::coordinated_entry::service::SOUGHT_PROJECT_TYPES.contains(&sought),
                        "{sought}"
                    );
                }
            }
            for e in &stay.events {
                code_in(&EVENT_TYPE, e.event, "4.20.2");
                opt_in(&REFERRAL_RESULT, e.referral_result, "4.20.D");
                opt_in(&NO_YES_MISSING, e.problem_solving_result, "4.20.A");
                if e.referral_result.is_some() {
                    assert!(takes_referral_result(e.event));
                    let result = e.result_date.expect("a result has a date");
                    assert!(result >= e.date && result <= today);
                }
                assert!(e.date >= stay.entry && e.date <= today);
            }
        }
    }
}

#[test]
fn thousands_of_households_keep_the_rules() {
    let world = demo_world(1, today());
    let mut sizes = [0usize; 7];
    let mut kinds = HashMap::new();
    let mut exits = 0;
    let mut open = 0;
    for index in 0..3000 {
        let household = generate(&world, index, 6);
        check_household(&world, &household);
        sizes[household.members.len()] += 1;
        for episode in &household.episodes {
            *kinds.entry(episode.kind.code()).or_insert(0) += 1;
            if episode.stays[0].exit.is_some() {
                exits += 1;
            } else {
                open += 1;
            }
        }
    }
    for size in 1..=6 {
        assert!(sizes[size] > 0, "households of {size}: {sizes:?}");
    }
    for project in crate::accounts::DEMO_PROJECTS {
        assert!(kinds.contains_key(&project.2.code()), "{} used", project.1);
    }
    assert!(exits > open, "most enrollments have ended: {exits} / {open}");
    assert!(open > 100, "some are open: {open}");
}

#[test]
fn permanent_destinations_are_likelier_from_permanent_housing() {
    let world = demo_world(5, today());
    let mut permanent = HashMap::<bool, (u32, u32)>::new();
    for index in 0..4000 {
        // The household's last exit (earlier ones lead on to the next project).
        let household = generate(&world, index, 6);
        if let Some(episode) = household.episodes.last()
            && let Some(exit) = &episode.stays[0].exit
        {
            let entry = permanent.entry(episode.kind.is_permanent_housing()).or_default();
            entry.1 += 1;
            if app::domain::codes::destination_group(exit.destination) == Some(DestinationGroup::Permanent) {
                entry.0 += 1;
            }
        }
    }
    let share = |ph: bool| {
        let (p, n) = permanent[&ph];
        f64::from(p) / f64::from(n)
    };
    assert!(
        share(true) > share(false) + 0.2,
        "{} vs {}",
        share(true),
        share(false)
    );
}

#[test]
fn every_code_in_the_tables_is_in_its_hud_list() {
    for table in [
        PRIOR_STREET,
        PRIOR_SHELTER,
        PRIOR_FAMILY,
        PRIOR_YOUTH,
        PRIOR_HOUSING,
        PRIOR_PREVENTION,
    ] {
        for (code, _) in table {
            code_in(&PRIOR_LIVING_SITUATION, *code, "3.917 table");
        }
    }
    for table in [
        DEST_HOUSED,
        DEST_NOT_MOVED_IN,
        DEST_TH,
        DEST_ES,
        DEST_NBN,
        DEST_SO,
        DEST_HP,
        DEST_CE,
        DEST_DIVERTED,
    ] {
        for (code, _) in table {
            code_in(&DESTINATION, *code, "3.12 table");
        }
    }
    for (code, _) in SUBSIDIES {
        code_in(&RENTAL_SUBSIDY_TYPE, *code, "3.12.A table");
    }
    for (code, _) in STREET_CONTACTS {
        code_in(&CURRENT_LIVING_SITUATION, *code, "4.12 table");
    }
    // A prior living situation always maps to a destination (transitions use it).
    for code in PRIOR_LIVING_SITUATION.codes() {
        code_in(&DESTINATION, as_destination(code), "3.917 as 3.12");
        code_in(&CURRENT_LIVING_SITUATION, code, "3.917 as 4.12");
    }
    for event in 1..=18 {
        code_in(&EVENT_TYPE, event, "4.20.2");
    }
}

#[test]
fn truncated_households_keep_their_head() {
    let world = demo_world(3, today());
    for index in 0..500 {
        let household = generate(&world, index, 1);
        assert_eq!(household.members.len(), 1);
        check_household(&world, &household);
    }
}

#[test]
fn ce_answers_follow_the_record_and_spread_the_scores() {
    let world = demo_world(13, today());
    let topics: Vec<Topic> = world.ce_questions.iter().map(|q| q.topic).collect();
    assert_eq!(
        topics,
        [
            Topic::SleptLastNight,
            Topic::TimesHomeless,
            Topic::Disability,
            Topic::EmergencyRoom
        ],
        "the demo questions are recognized"
    );
    let mut scores = HashMap::<i32, usize>::new();
    let mut sought = HashMap::<i32, usize>::new();
    for index in 0..3000 {
        for episode in generate(&world, index, 6).episodes {
            let head = &episode.stays[0];
            for a in &head.assessments {
                *scores.entry(a.score).or_default() += 1;
                if a.level == 2 {
                    *sought
                        .entry(a.sought.expect("a housing assessment seeks a project type"))
                        .or_default() += 1;
                } else {
                    assert_eq!(a.sought, None);
                }
                // Slept outside: the first choice; disabling condition: "Yes".
                if head.prior.as_ref().is_some_and(|p| p.living_situation == 116) {
                    assert_eq!(a.answers[0], 0);
                }
                assert_eq!(a.answers[2] == 0, head.disabling_condition == 1);
            }
        }
    }
    let nonzero = scores.keys().filter(|s| **s > 0).count();
    assert!(nonzero >= 7, "a spread of scores: {scores:?}");
    assert!(sought.len() >= 3, "{sought:?}");
    // A question of the CoC's own is answered too, most points for the neediest.
    let mut own = demo_world(13, today());
    own.ce_questions.push(CeQuestion::new(
        5,
        "How urgent is the household's need?".into(),
        app::domain::ce::parse_choices("Not urgent = 0\nUrgent = 4\nVery urgent = 8").unwrap(),
    ));
    assert_eq!(own.ce_questions[4].topic, Topic::Other);
    let chosen: Vec<usize> = (0..1500)
        .flat_map(|index| generate(&own, index, 6).episodes)
        .flat_map(|e| e.stays.into_iter().flat_map(|s| s.assessments))
        .map(|a| a.answers[4])
        .collect();
    assert!((0..3).all(|i| chosen.contains(&i)), "every choice is given");
}

#[test]
fn open_episodes_are_assigned_to_their_organizations_case_managers() {
    let world = demo_world(17, today());
    let (mut open, mut assigned, mut managers) = (0, 0, HashMap::<usize, usize>::new());
    for index in 0..3000 {
        for episode in generate(&world, index, 6).episodes {
            let staffed = !world.case_managers_of(episode.project).is_empty();
            if episode.stays[0].exit.is_some() || !staffed {
                assert_eq!(episode.case_manager, None);
                continue;
            }
            open += 1;
            if let Some(cm) = episode.case_manager {
                assigned += 1;
                *managers.entry(cm).or_default() += 1;
            }
        }
    }
    let share = f64::from(assigned) / f64::from(open);
    assert!(
        (0.7..0.9).contains(&share),
        "a good share of open episodes: {share}"
    );
    assert_eq!(
        managers.len(),
        world.case_managers.len(),
        "every case manager: {managers:?}"
    );
}

#[test]
fn open_services_only_households_come_and_go() {
    let world = demo_world(19, today());
    let mut standings = HashMap::new();
    for index in 0..3000 {
        if Plant::of(index).is_some() {
            continue;
        }
        let household = generate(&world, index, 6);
        let last = household.episodes.last().unwrap();
        if last.kind == ProjectType::ServicesOnly && last.stays[0].exit.is_none() {
            let standing = super::plant::tests::standing_of(&world, last).unwrap();
            *standings.entry(format!("{standing:?}")).or_insert(0) += 1;
        }
    }
    for standing in ["Active", "Alert", "Due"] {
        assert!(standings.contains_key(standing), "{standings:?}");
    }
    assert!(
        standings["Active"] > 4 * (standings["Alert"] + standings["Due"]),
        "{standings:?}"
    );
}

#[test]
fn missing_data_codes_are_rare() {
    let world = demo_world(11, today());
    let (mut missing, mut total) = (0, 0);
    for index in 0..2000 {
        for member in generate(&world, index, 6).members {
            total += 1;
            if matches!(member.name_data_quality, 8 | 9 | 99) {
                missing += 1;
            }
        }
    }
    assert!(missing * 100 < total * 3, "{missing} of {total}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_seed_gives_households_that_keep_the_rules(
        seed in any::<u64>(),
        index in 0u64..1_000_000,
        max in 1usize..=6,
        days_back in 0i64..4000,
    ) {
        let world = demo_world(seed, add_days(today(), -days_back));
        let household = generate(&world, index, max);
        prop_assert!(household.members.len() <= max);
        check_household(&world, &household);
        prop_assert_eq!(&household, &generate(&world, index, max), "deterministic");
    }
}
