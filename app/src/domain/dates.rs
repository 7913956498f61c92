//! Calendar rules on HUD dates (`NaiveDate` in the CoC's time zone).

use chrono::{Datelike, NaiveDate};

/// A person's age in whole years on `on`; `None` when `on` is before the birth date.
///
/// Someone born on Feb 29 turns a year older on Mar 1 in common years (the usual
/// legal convention).
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth_date {
        return None;
    }
    let mut years = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// An adult for HUD purposes: 18 or older on the given date.
pub fn is_adult_on(birth_date: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth_date, on).is_some_and(|age| age >= 18)
}

/// The day someone turns 18 (for a Feb 29 birth in a common year, Mar 1, as
/// [`age_on`] counts).
pub fn adult_on(birth_date: NaiveDate) -> Option<NaiveDate> {
    let year = birth_date.year() + 18;
    birth_date
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

/// The 18th birthday, when it falls after `entry` and no later than `until`: a child at
/// project start who is (or will be) an adult, whose adult data elements are now due.
pub fn turns_adult_between(birth_date: NaiveDate, entry: NaiveDate, until: NaiveDate) -> Option<NaiveDate> {
    adult_on(birth_date).filter(|b| entry < *b && *b <= until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn eighteenth_birthdays() {
        assert_eq!(adult_on(d(2008, 11, 24)), Some(d(2026, 11, 24)));
        assert_eq!(adult_on(d(2008, 2, 29)), Some(d(2026, 3, 1)));
        assert_eq!(adult_on(d(2004, 2, 29)), Some(d(2022, 3, 1)));
        let entry = d(2026, 1, 10);
        assert_eq!(
            turns_adult_between(d(2008, 6, 1), entry, d(2026, 11, 30)),
            Some(d(2026, 6, 1))
        );
        assert_eq!(
            turns_adult_between(d(2008, 1, 10), entry, d(2026, 11, 30)),
            None,
            "an adult at entry"
        );
        assert_eq!(
            turns_adult_between(d(2008, 12, 20), entry, d(2026, 11, 30)),
            None,
            "not yet"
        );
        assert_eq!(
            turns_adult_between(d(2008, 12, 20), entry, d(2026, 12, 30)),
            Some(d(2026, 12, 20))
        );
    }

    #[test]
    fn birthdays_count_on_the_day() {
        assert_eq!(age_on(d(2008, 11, 24), d(2026, 11, 23)), Some(17));
        assert_eq!(age_on(d(2008, 11, 24), d(2026, 11, 24)), Some(18));
        assert!(is_adult_on(d(2008, 11, 24), d(2026, 11, 24)));
        assert!(!is_adult_on(d(2008, 11, 25), d(2026, 11, 24)));
    }

    #[test]
    fn leap_day_birthdays_turn_on_march_first_in_common_years() {
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), Some(17));
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), Some(18));
        assert_eq!(age_on(d(2008, 2, 29), d(2028, 2, 29)), Some(20));
    }

    #[test]
    fn no_age_before_birth() {
        assert_eq!(age_on(d(2026, 1, 2), d(2026, 1, 1)), None);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..2100, 1u32..=366).prop_filter_map("valid ordinal", |(y, o)| NaiveDate::from_yo_opt(y, o))
    }

    proptest! {
        #[test]
        fn adult_on_is_the_first_adult_day(birth in date()) {
            let b = adult_on(birth).unwrap();
            prop_assert!(is_adult_on(birth, b));
            prop_assert!(!is_adult_on(birth, b.pred_opt().unwrap()));
        }

        #[test]
        fn turning_adult_between_means_a_child_at_entry_and_an_adult_by_then(
            birth in date(),
            entry in date(),
            days in 0i64..3000,
        ) {
            prop_assume!(entry >= birth);
            let until = entry + chrono::Duration::days(days);
            let turned = turns_adult_between(birth, entry, until);
            prop_assert_eq!(turned.is_some(), !is_adult_on(birth, entry) && is_adult_on(birth, until));
            if let Some(b) = turned {
                prop_assert!(entry < b && b <= until);
            }
        }

        #[test]
        fn age_never_decreases_as_time_passes(birth in date(), a in date(), b in date()) {
            let (earlier, later) = if a <= b { (a, b) } else { (b, a) };
            if let (Some(x), Some(y)) = (age_on(birth, earlier), age_on(birth, later)) {
                prop_assert!(x <= y);
            }
        }

        #[test]
        fn age_matches_whole_years_added_to_the_birth_date(birth in date(), on in date()) {
            if let Some(age) = age_on(birth, on) {
                // The birthday of `age` years has happened; the next one has not.
                let reached = birth.checked_add_months(chrono::Months::new(age * 12)).unwrap();
                let next = birth.checked_add_months(chrono::Months::new((age + 1) * 12)).unwrap();
                // checked_add_months clamps Feb 29 to Feb 28: HUD's convention is Mar 1.
                let reached = if birth.month() == 2 && birth.day() == 29 && reached.day() == 28 { reached.succ_opt().unwrap() } else { reached };
                let next = if birth.month() == 2 && birth.day() == 29 && next.day() == 28 { next.succ_opt().unwrap() } else { next };
                prop_assert!(reached <= on, "{reached} <= {on}");
                prop_assert!(on < next, "{on} < {next}");
            } else {
                prop_assert!(on < birth);
            }
        }
    }
}
