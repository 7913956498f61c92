//! `hearth demo-data` on both databases: the exact client count, one head per household,
//! members enrolled with their head, plausible ages and dates, HUD codes from their
//! lists, stage records at entry and exit, the same rows for the same seed, and a
//! refusal to fill a database that already has clients; and every screen has something
//! to show ([`screens`]).

#[path = "../common/mod.rs"]
mod common;

mod determinism;
mod screens;

use std::collections::{HashMap, HashSet};

use app::crypto::DataKey;
use app::db::entities::{
    assessment, assessment_event, assessment_question, assessment_result, case_assignment, client,
    current_living_situation, disability, employment_education, enrollment, event, exit, health_and_dv,
    income_benefit, organization, project, service, user,
};
use app::domain::codes::{
    ASSESSMENT_LEVEL, ASSESSMENT_TYPE, CURRENT_LIVING_SITUATION, CodeList, DATA_COLLECTION_STAGE,
    DESTINATION, DISABILITY_RESPONSE, DISABILITY_TYPE, DOB_DATA_QUALITY, EVENT_TYPE, NAME_DATA_QUALITY,
    NO_YES, NO_YES_REASONS_FOR_MISSING_DATA, PRIOR_LIVING_SITUATION, PRIORITIZATION_STATUS, PROJECT_TYPE,
    ProjectType, RECORD_TYPE, REFERRAL_RESULT, RELATIONSHIP_TO_HOH, RENTAL_SUBSIDY_TYPE,
    RESIDENCE_PRIOR_LENGTH_OF_STAY, SEX, SSN_DATA_QUALITY, VETERAN_STATUS,
};
use chrono::NaiveDate;
use hearth_demo::data::{self as demo_data, DemoDataError, Options, Summary};
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};

const CLIENTS: u64 = 300;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 20).unwrap()
}

fn options(clients: u64, seed: u64) -> Options {
    Options {
        clients,
        seed,
        today: today(),
        progress: false,
    }
}

async fn generate(db: &DatabaseConnection, clients: u64, seed: u64) -> Summary {
    demo_data::run(db, &options(clients, seed), &DataKey::generate())
        .await
        .expect("demo data is written")
}

/// Age in whole years on `date`.
fn age(dob: NaiveDate, date: NaiveDate) -> i64 {
    date.years_since(dob).map_or(-1, i64::from)
}

fn assert_code(list: &CodeList, code: i32, what: &str) {
    assert!(
        list.contains(code),
        "{what}: {code} is not in {} {}",
        list.element,
        list.name
    );
}

fn assert_opt(list: &CodeList, code: Option<i32>, what: &str) {
    if let Some(code) = code {
        assert_code(list, code, what);
    }
}

/// Everything the generator wrote, read back.
struct Population {
    projects: HashMap<String, project::Model>,
    clients: HashMap<String, client::Model>,
    enrollments: Vec<enrollment::Model>,
    exits: Vec<exit::Model>,
    events: Vec<assessment_event::Model>,
    incomes: Vec<income_benefit::Model>,
    disabilities: Vec<disability::Model>,
    services: Vec<service::Model>,
    contacts: Vec<current_living_situation::Model>,
    assessments: Vec<assessment::Model>,
    ce_events: Vec<event::Model>,
}

async fn read(db: &DatabaseConnection) -> Population {
    Population {
        projects: project::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.project_id.clone(), p))
            .collect(),
        clients: client::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.personal_id.clone(), c))
            .collect(),
        enrollments: enrollment::Entity::find().all(db).await.unwrap(),
        exits: exit::Entity::find().all(db).await.unwrap(),
        events: assessment_event::Entity::find().all(db).await.unwrap(),
        incomes: income_benefit::Entity::find().all(db).await.unwrap(),
        disabilities: disability::Entity::find().all(db).await.unwrap(),
        services: service::Entity::find().all(db).await.unwrap(),
        contacts: current_living_situation::Entity::find().all(db).await.unwrap(),
        assessments: assessment::Entity::find().all(db).await.unwrap(),
        ce_events: event::Entity::find().all(db).await.unwrap(),
    }
}

on_both_databases!(the_population_keeps_the_hmis_rules, |app| {
    let summary = generate(&app.db, CLIENTS, 42).await;
    assert_eq!(summary.clients, CLIENTS);
    assert_eq!(client::Entity::find().count(&app.db).await.unwrap(), CLIENTS);
    assert_eq!(
        summary.demo_users.len(),
        8,
        "the demo organizations and users came first"
    );
    let p = read(&app.db).await;
    let today = today();
    let window_start = NaiveDate::from_ymd_opt(2023, 2, 20).unwrap();

    // Projects: several types, all from the demo CoC.
    let kind_of = |project_id: &str| {
        let code = p.projects[project_id].project_type.expect("typed project");
        assert_code(&PROJECT_TYPE, code, "2.02.6");
        ProjectType::from_code(code).unwrap()
    };
    let used: HashSet<i32> = p
        .enrollments
        .iter()
        .map(|e| kind_of(&e.project_id).code())
        .collect();
    assert!(used.len() >= 6, "enrollments in many project types: {used:?}");

    // Clients: exact count, each enrolled somewhere, codes from their lists.
    let enrolled: HashSet<&str> = p.enrollments.iter().map(|e| e.personal_id.as_str()).collect();
    assert_eq!(enrolled.len(), p.clients.len(), "every client has an enrollment");
    let mut missing_names = 0;
    for c in p.clients.values() {
        assert_code(&NAME_DATA_QUALITY, c.name_data_quality, "3.01.5");
        assert_code(&SSN_DATA_QUALITY, c.ssn_data_quality, "3.02.2");
        assert_code(&DOB_DATA_QUALITY, c.dob_data_quality, "3.03.2");
        assert_opt(&SEX, c.sex, "4.21");
        assert_code(&VETERAN_STATUS, c.veteran_status, "3.07");
        for column in [
            c.am_ind_ak_native,
            c.asian,
            c.black_af_american,
            c.hispanic_latinao,
            c.mid_east_n_african,
            c.native_hi_pacific,
            c.white,
        ] {
            assert_code(&NO_YES, column, "3.04");
        }
        assert_eq!(
            c.ssn_encrypted.is_some(),
            matches!(c.ssn_data_quality, 1 | 2),
            "{c:?}"
        );
        assert_eq!(c.dob.is_some(), matches!(c.dob_data_quality, 1 | 2));
        if matches!(c.name_data_quality, 8 | 9 | 99) {
            missing_names += 1;
        }
        assert!(c.personal_id.len() == 32 && c.personal_id.starts_with("de"));
    }
    assert!(
        missing_names * 100 <= p.clients.len() * 3,
        "missing-data codes are rare: {missing_names}"
    );

    // Households: one head, one project, nobody before the head or after the head's exit.
    let exits: HashMap<&str, &exit::Model> = p.exits.iter().map(|x| (x.enrollment_id.as_str(), x)).collect();
    assert_eq!(exits.len(), p.exits.len(), "one exit per enrollment");
    let mut households: HashMap<&str, Vec<&enrollment::Model>> = HashMap::new();
    for e in &p.enrollments {
        households.entry(e.household_id.as_str()).or_default().push(e);
    }
    let mut sizes = HashSet::new();
    let mut children = 0;
    for (household_id, members) in &households {
        sizes.insert(members.len());
        assert!((1..=6).contains(&members.len()), "household of {}", members.len());
        let heads: Vec<_> = members
            .iter()
            .filter(|e| e.relationship_to_hoh == Some(1))
            .collect();
        assert_eq!(heads.len(), 1, "exactly one head in {household_id}");
        let head = heads[0];
        let head_exit = exits.get(head.enrollment_id.as_str()).map(|x| x.exit_date);
        let head_dob = p.clients[&head.personal_id].dob;
        if let Some(dob) = head_dob {
            assert!(age(dob, head.entry_date) >= 18, "heads are adults");
        }
        assert!(head.enrollment_coc.is_some(), "3.16 for the head");
        for member in members {
            assert_eq!(member.project_id, head.project_id, "one project per household");
            assert!(
                member.entry_date >= head.entry_date,
                "nobody enters before the head"
            );
            let relationship = member.relationship_to_hoh.expect("3.15 recorded");
            assert_code(&RELATIONSHIP_TO_HOH, relationship, "3.15");
            let member_exit = exits.get(member.enrollment_id.as_str()).map(|x| x.exit_date);
            match (member_exit, head_exit) {
                (Some(m), Some(h)) => assert!(m <= h, "nobody leaves after the head"),
                (None, Some(_)) => panic!("an open member of an exited household"),
                _ => {}
            }
            if let Some(dob) = p.clients[&member.personal_id].dob {
                let years = age(dob, member.entry_date);
                assert!(years >= 0, "born by entry");
                if relationship == 2 {
                    assert!(years < 18, "children are under 18 at entry");
                }
                if relationship == 3 {
                    assert!(years >= 18, "partners are adults");
                }
                if years < 18 {
                    children += 1;
                    assert!(member.living_situation.is_none(), "3.917 is for heads and adults");
                    if let Some(head_dob) = head_dob {
                        assert!(
                            age(head_dob, head.entry_date) >= 18,
                            "children only with an adult head"
                        );
                    }
                }
            }
        }
    }
    assert!(sizes.len() >= 4, "households of several sizes: {sizes:?}");
    assert!(children > 20, "children in families: {children}");

    // Dates and codes of enrollments and exits.
    for e in &p.enrollments {
        let operating_start = p.projects[&e.project_id].operating_start_date;
        assert!(e.entry_date >= window_start && e.entry_date >= operating_start && e.entry_date <= today);
        assert_opt(&PRIOR_LIVING_SITUATION, e.living_situation, "3.917");
        assert_opt(&RESIDENCE_PRIOR_LENGTH_OF_STAY, e.length_of_stay, "3.917.2");
        assert_opt(&RENTAL_SUBSIDY_TYPE, e.rental_subsidy_type, "3.917 subsidy");
        assert_opt(&NO_YES_REASONS_FOR_MISSING_DATA, e.disabling_condition, "3.08");
        if let Some(move_in) = e.move_in_date {
            assert!(kind_of(&e.project_id).is_permanent_housing(), "3.20 only in PH");
            assert!(move_in >= e.entry_date);
        }
    }
    let entries: HashMap<&str, &enrollment::Model> = p
        .enrollments
        .iter()
        .map(|e| (e.enrollment_id.as_str(), e))
        .collect();
    let mut permanent = 0;
    for x in &p.exits {
        let entry = entries[x.enrollment_id.as_str()];
        assert!(
            x.exit_date >= entry.entry_date && x.exit_date <= today,
            "exit inside [entry, today]"
        );
        assert_code(&DESTINATION, x.destination, "3.12");
        assert_eq!(x.destination_subsidy_type.is_some(), x.destination == 435);
        if x.destination / 100 == 4 {
            permanent += 1;
        }
    }
    assert!(
        p.exits.len() * 2 > p.enrollments.len(),
        "most enrollments have ended"
    );
    assert!(p.exits.len() < p.enrollments.len(), "some are open");
    assert!(permanent > 0);

    // Stage records: at entry for every enrollment, at exit for every exited head or adult,
    // annual assessments for stays over a year.
    let mut stages: HashMap<(&str, i32), Vec<&assessment_event::Model>> = HashMap::new();
    for ev in &p.events {
        assert_code(&DATA_COLLECTION_STAGE, ev.data_collection_stage, "5.03");
        stages
            .entry((ev.enrollment_id.as_str(), ev.data_collection_stage))
            .or_default()
            .push(ev);
    }
    let incomes: HashMap<&str, &income_benefit::Model> = p
        .incomes
        .iter()
        .map(|i| (i.assessment_event_id.as_str(), i))
        .collect();
    let mut disabilities: HashMap<&str, usize> = HashMap::new();
    for d in &p.disabilities {
        assert_code(&DISABILITY_TYPE, d.disability_type, "1.3");
        let list = if d.disability_type == 10 {
            &DISABILITY_RESPONSE
        } else {
            &NO_YES_REASONS_FOR_MISSING_DATA
        };
        assert_code(list, d.disability_response, "4.05-4.10");
        *disabilities.entry(d.assessment_event_id.as_str()).or_default() += 1;
    }
    // Stays over a year with and without an annual assessment (planted missed annuals,
    // households that stopped coming).
    let (mut annual, mut long_stays, mut missed) = (0, 0, 0);
    for e in &p.enrollments {
        let at_entry = &stages[&(e.enrollment_id.as_str(), 1)];
        assert_eq!(at_entry.len(), 1);
        assert_eq!(at_entry[0].information_date, e.entry_date);
        let income = incomes[at_entry[0].assessment_event_id.as_str()];
        assert_eq!(income.information_date, e.entry_date);
        assert_eq!(income.data_collection_stage, Some(1));
        assert_opt(
            &NO_YES_REASONS_FOR_MISSING_DATA,
            income.income_from_any_source,
            "4.02",
        );
        assert_eq!(disabilities[at_entry[0].assessment_event_id.as_str()], 6);
        let dob = p.clients[&e.personal_id].dob;
        let adult = e.relationship_to_hoh == Some(1) || dob.is_none_or(|d| age(d, e.entry_date) >= 18);
        let exit = exits.get(e.enrollment_id.as_str());
        if let Some(x) = exit
            && adult
        {
            let at_exit = &stages[&(e.enrollment_id.as_str(), 3)];
            assert_eq!(at_exit[0].information_date, x.exit_date);
            assert!(incomes.contains_key(at_exit[0].assessment_event_id.as_str()));
            assert_eq!(disabilities[at_exit[0].assessment_event_id.as_str()], 6);
        }
        let end = exit.map_or(today, |x| x.exit_date);
        if (end - e.entry_date).num_days() > 410 {
            let annuals = stages.get(&(e.enrollment_id.as_str(), 5)).map_or(0, Vec::len);
            long_stays += 1;
            missed += usize::from(annuals == 0);
            annual += annuals;
        }
    }
    assert!(annual > 0, "some stays last over a year");
    assert!(
        missed > 0 && missed * 3 < long_stays,
        "annual assessments of most stays over a year: {missed} of {long_stays} missed"
    );

    // Services: bed nights in the night-by-night shelter only, inside the stay.
    assert!(p.services.iter().any(|s| s.record_type == 200), "bed nights");
    for s in &p.services {
        assert_code(&RECORD_TYPE, s.record_type, "1.4");
        let e = entries[s.enrollment_id.as_str()];
        if s.record_type == 200 {
            assert_eq!(kind_of(&e.project_id), ProjectType::EsNightByNight);
            assert_eq!(s.type_provided, 200);
        }
        assert!(s.date_provided >= e.entry_date && s.date_provided <= today);
    }

    // Current living situations for every outreach head of household.
    let contacted: HashSet<&str> = p.contacts.iter().map(|c| c.enrollment_id.as_str()).collect();
    for c in &p.contacts {
        assert_code(&CURRENT_LIVING_SITUATION, c.current_living_situation, "4.12");
    }
    for e in &p.enrollments {
        if kind_of(&e.project_id) == ProjectType::StreetOutreach && e.relationship_to_hoh == Some(1) {
            assert!(
                contacted.contains(e.enrollment_id.as_str()),
                "4.12 at outreach contacts"
            );
        }
    }

    // Coordinated entry: assessments and events on CE enrollments, referrals with results.
    assert!(!p.assessments.is_empty() && !p.ce_events.is_empty());
    for a in &p.assessments {
        assert_eq!(
            kind_of(&entries[a.enrollment_id.as_str()].project_id),
            ProjectType::CoordinatedEntry
        );
        assert_code(&ASSESSMENT_TYPE, a.assessment_type, "4.19.3");
        assert_code(&ASSESSMENT_LEVEL, a.assessment_level, "4.19.4");
        assert_code(&PRIORITIZATION_STATUS, a.prioritization_status, "4.19.7");
        assert!(!a.assessment_location.is_empty());
    }
    let mut results = 0;
    for ev in &p.ce_events {
        assert_eq!(
            kind_of(&entries[ev.enrollment_id.as_str()].project_id),
            ProjectType::CoordinatedEntry
        );
        assert_code(&EVENT_TYPE, ev.event, "4.20.2");
        if let Some(result) = ev.referral_result {
            assert_code(&REFERRAL_RESULT, result, "4.20.D");
            assert!(
                matches!(ev.event, 10..=15 | 17 | 18),
                "results only for referrals to openings"
            );
            assert!(ev.result_date.is_some_and(|d| d >= ev.event_date && d <= today));
            results += 1;
        }
    }
    assert!(results > 0, "some referrals have results");
});

on_both_databases!(a_database_with_clients_is_refused, |app| {
    generate(&app.db, 20, 1).await;
    let before = enrollment::Entity::find().count(&app.db).await.unwrap();
    let err = demo_data::run(&app.db, &options(20, 2), &DataKey::generate())
        .await
        .expect_err("clients exist");
    assert!(matches!(err, DemoDataError::NotEmpty(20)), "{err:?}");
    assert!(err.to_string().contains("already has 20 clients"), "{err}");
    assert_eq!(client::Entity::find().count(&app.db).await.unwrap(), 20);
    assert_eq!(enrollment::Entity::find().count(&app.db).await.unwrap(), before);
});

/// The subcommand as an operator runs it: progress on stderr, the summary and the demo
/// logins on stdout; a second run refuses with one clear line and a failure status.
#[test]
fn the_command_fills_a_new_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
            .env_remove("DATABASE_URL")
            .env_remove("HEARTH_CONFIG")
            .env("RUST_LOG", "off")
            .current_dir(dir.path())
            .args(["--database-url", &url, "--data-dir"])
            .arg(dir.path().join("data"))
            .args([
                "demo-data",
                "--clients",
                "25",
                "--seed",
                "3",
                "--today",
                "2026-01-10",
            ])
            .output()
            .unwrap()
    };
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("Created 25 demo clients"), "{stdout}");
    assert!(stdout.contains("enrollments"), "rows per table: {stdout}");
    assert!(stdout.contains("Demo logins"), "{stdout}");
    assert!(stderr.contains("25 / 25 clients"), "progress: {stderr}");

    let again = run();
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("already has 25 clients"),
        "{stderr}"
    );
}
