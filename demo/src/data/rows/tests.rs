//! Row IDs and the rows of generated households.

use super::*;
use crate::data::household::{generate, tests::demo_world};
use chrono::NaiveDate;

#[test]
fn ids_are_32_lowercase_hex_digits_and_distinct_per_kind() {
    let mut ids = Ids::default();
    let a = ids.next(IdKind::Client);
    let b = ids.next(IdKind::Client);
    let c = ids.next(IdKind::Enrollment);
    assert_eq!(a, "de010000000000000000000000000001");
    assert_eq!(b, "de010000000000000000000000000002");
    assert_eq!(c, "de030000000000000000000000000001");
    for id in [a, b, c] {
        assert_eq!(id.len(), 32);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}

#[test]
fn rows_link_up() {
    let world = demo_world(2, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    let mut ids = Ids::default();
    let mut rows = Rows::default();
    let key = DataKey::generate();
    let mut members = 0;
    for index in 0..200 {
        let household = generate(&world, index, 6);
        members += household.members.len();
        rows.add(&household, &world, &mut ids, Some(&key));
    }
    assert_eq!(rows.clients.len(), members);
    assert_eq!(rows.households, 200);
    let clients: std::collections::HashSet<_> = rows.clients.iter().map(|c| &c.personal_id).collect();
    let enrollments: std::collections::HashSet<_> =
        rows.enrollments.iter().map(|e| &e.enrollment_id).collect();
    let events: std::collections::HashSet<_> = rows
        .assessment_events
        .iter()
        .map(|e| &e.assessment_event_id)
        .collect();
    assert!(rows.enrollments.iter().all(|e| clients.contains(&e.personal_id)));
    assert!(rows.exits.iter().all(|e| enrollments.contains(&e.enrollment_id)));
    assert!(
        rows.income_benefits
            .iter()
            .all(|r| events.contains(&r.assessment_event_id))
    );
    assert!(
        rows.disabilities
            .iter()
            .all(|r| events.contains(&r.assessment_event_id))
    );
    assert_eq!(rows.disabilities.len() % 6, 0);
    assert_eq!(rows.income_benefits.len(), rows.assessment_events.len());
    // SSNs are sealed to their client and open with the key.
    for client in rows.clients.iter().filter(|c| c.ssn_encrypted.is_some()) {
        let sealed = client.ssn_encrypted.as_deref().unwrap();
        let ssn = key
            .open(sealed, &app::crypto::ssn_context(&client.personal_id))
            .unwrap();
        let ssn = String::from_utf8(ssn).unwrap();
        assert_eq!(Some(&ssn[5..]), client.ssn_last4.as_deref());
    }
    for client in &rows.clients {
        if let Some(first) = &client.first_name {
            assert_eq!(client.first_name_key.as_deref(), Some(search_key(first).as_str()));
        }
    }
}

#[test]
fn case_assignments_are_open_stays_of_full_but_bounded_caseloads() {
    let world = demo_world(4, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    let mut ids = Ids::default();
    let mut rows = Rows::default();
    for index in 0..3000 {
        rows.add(&generate(&world, index, 6), &world, &mut ids, None);
    }
    let exited: std::collections::HashSet<&str> =
        rows.exits.iter().map(|x| x.enrollment_id.as_str()).collect();
    let enrollments: std::collections::HashMap<&str, &app::db::entities::enrollment::Model> = rows
        .enrollments
        .iter()
        .map(|e| (e.enrollment_id.as_str(), e))
        .collect();
    let mut households = std::collections::HashMap::<(&str, &str), std::collections::HashSet<&str>>::new();
    for a in &rows.case_assignments {
        let enrollment = enrollments[a.enrollment_id.as_deref().unwrap()];
        assert!(
            !exited.contains(enrollment.enrollment_id.as_str()),
            "open stays only"
        );
        assert_eq!(enrollment.personal_id, a.personal_id);
        assert_eq!(a.start_date, enrollment.entry_date);
        assert_eq!(a.end_date, None);
        let project = world
            .projects
            .iter()
            .find(|p| p.project_id == enrollment.project_id)
            .unwrap();
        assert_eq!(a.organization_id, project.organization_id);
        assert!(
            world
                .case_managers
                .iter()
                .any(|cm| cm.user_id == a.user_id && cm.organization_id == a.organization_id)
        );
        households
            .entry((a.user_id.as_str(), a.organization_id.as_str()))
            .or_default()
            .insert(enrollment.household_id.as_str());
    }
    assert_eq!(
        households.len(),
        world.case_managers.len(),
        "every case manager has cases"
    );
    let full = ids::CASELOAD_HOUSEHOLDS as usize;
    assert!(
        households.values().all(|load| load.len() <= full),
        "no more than a caseload"
    );
    assert!(
        households.values().any(|load| load.len() == full),
        "{households:?}"
    );
}

#[test]
fn ce_assessments_carry_their_answers_and_score() {
    use app::features::coordinated_entry::service::{QUESTION_GROUP, SCORE_RESULT, SOUGHT_RESULT};
    let world = demo_world(6, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    let mut ids = Ids::default();
    let mut rows = Rows::default();
    for index in 0..400 {
        rows.add(&generate(&world, index, 6), &world, &mut ids, None);
    }
    assert!(rows.assessments.len() > 20);
    assert_eq!(
        rows.assessment_questions.len(),
        rows.assessments.len() * world.ce_questions.len()
    );
    let mut scores = std::collections::HashSet::new();
    for a in &rows.assessments {
        let answers: Vec<_> = rows
            .assessment_questions
            .iter()
            .filter(|q| q.assessment_id == a.assessment_id)
            .collect();
        let points: i32 = answers
            .iter()
            .map(|q| {
                assert_eq!(q.assessment_question_group.as_deref(), Some(QUESTION_GROUP));
                let question =
                    &world.ce_questions[usize::try_from(q.assessment_question_order.unwrap() - 1).unwrap()];
                assert_eq!(q.assessment_question.as_deref(), Some(question.question.as_str()));
                let label = q.assessment_answer.as_deref().unwrap();
                question.choices.iter().find(|c| c.label == label).unwrap().points
            })
            .sum();
        let result = |kind: &str| {
            rows.assessment_results
                .iter()
                .find(|r| {
                    r.assessment_id == a.assessment_id && r.assessment_result_type.as_deref() == Some(kind)
                })
                .and_then(|r| r.assessment_result.clone())
        };
        assert_eq!(result(SCORE_RESULT), Some(points.to_string()));
        assert_eq!(result(SOUGHT_RESULT).is_some(), a.assessment_level == 2);
        scores.insert(points);
    }
    assert!(scores.len() >= 6, "{scores:?}");
}

#[test]
fn some_records_are_entered_late() {
    let world = demo_world(8, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    let mut ids = Ids::default();
    let mut rows = Rows::default();
    for index in 0..400 {
        rows.add(&generate(&world, index, 6), &world, &mut ids, None);
    }
    let lag = |date: NaiveDate, at: chrono::DateTime<chrono::Utc>| (at.date_naive() - date).num_days();
    let starts: Vec<i64> = rows
        .enrollments
        .iter()
        .map(|e| lag(e.entry_date, e.created_at))
        .collect();
    let exits: Vec<i64> = rows
        .exits
        .iter()
        .map(|x| lag(x.exit_date, x.created_at))
        .collect();
    for lags in [&starts, &exits] {
        assert!(lags.iter().all(|d| *d >= 0));
        assert!(
            lags.iter().filter(|d| **d == 0).count() * 10 > lags.len() * 7,
            "mostly on the day"
        );
        assert!(lags.iter().any(|d| *d >= 11), "some 11 days or more late");
    }
}
