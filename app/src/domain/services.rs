//! Services (HUD 4.14 bed nights, P1/P2 PATH, R14 RHY, W1/W2 HOPWA, V2/V3 SSVF, V8 VASH,
//! C2 moving on) and current living situation contacts (4.12).

use chrono::NaiveDate;

use super::codes::{ALL, CodeList, ProjectType, RECORD_TYPE_TO_TYPE_PROVIDED_LIST};

/// The TypeProvided list of a RecordType.
pub fn type_provided_list(record_type: i32) -> Option<&'static CodeList> {
    let element = RECORD_TYPE_TO_TYPE_PROVIDED_LIST.get(record_type)?.group?;
    ALL.iter().copied().find(|list| list.element == element)
}

/// Whether `type_provided` belongs to `record_type`'s list.
pub fn valid_service(record_type: i32, type_provided: i32) -> bool {
    type_provided_list(record_type).is_some_and(|list| list.contains(type_provided))
}

/// Why a service or contact date cannot be used for an enrollment, if it cannot: it lies
/// within the enrollment (start to exit) and not in the future.
pub fn check_date_in_enrollment(
    date: NaiveDate,
    entry: NaiveDate,
    exit: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), String> {
    if date > today {
        return Err("The date cannot be in the future.".into());
    }
    if date < entry {
        return Err("The date is before the project start date.".into());
    }
    if exit.is_some_and(|exit| date > exit) {
        return Err("The date is after the project exit date.".into());
    }
    Ok(())
}

/// 4.12 Current living situation contacts are recorded by street outreach,
/// night-by-night shelter, services-only and coordinated entry projects.
pub fn records_contacts(project_type: ProjectType) -> bool {
    matches!(
        project_type,
        ProjectType::StreetOutreach
            | ProjectType::EsNightByNight
            | ProjectType::ServicesOnly
            | ProjectType::CoordinatedEntry
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::RECORD_TYPE;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_record_type_has_its_list() {
        for code in RECORD_TYPE.values {
            assert!(type_provided_list(code.code).is_some(), "{}", code.label);
        }
        assert!(valid_service(200, 200));
        assert!(!valid_service(200, 1));
        assert!(!valid_service(999, 1));
    }

    #[test]
    fn dates_inside_the_enrollment() {
        let today = d(2026, 11, 30);
        assert!(check_date_in_enrollment(d(2026, 11, 1), d(2026, 10, 1), None, today).is_ok());
        assert!(check_date_in_enrollment(d(2026, 9, 1), d(2026, 10, 1), None, today).is_err());
        assert!(check_date_in_enrollment(d(2026, 12, 1), d(2026, 10, 1), None, today).is_err());
        assert!(
            check_date_in_enrollment(d(2026, 11, 2), d(2026, 10, 1), Some(d(2026, 11, 1)), today).is_err()
        );
    }

    proptest! {
        #[test]
        fn accepted_dates_lie_between_entry_and_exit_or_today(
            entry in 0i64..1000, len in proptest::option::of(0i64..400), at in 0i64..1500,
        ) {
            let base = d(2023, 1, 1);
            let today = d(2026, 11, 30);
            let entry = base + chrono::Duration::days(entry);
            let exit = len.map(|n| entry + chrono::Duration::days(n));
            let date = base + chrono::Duration::days(at);
            let ok = check_date_in_enrollment(date, entry, exit, today).is_ok();
            prop_assert_eq!(ok, entry <= date && date <= today && exit.is_none_or(|x| date <= x));
        }
    }
}
