//! Row IDs and the rows of generated households.

use super::*;
use crate::data::household::{generate, tests::demo_world};

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
