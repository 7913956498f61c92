//! The annual assessment window: HUD asks for an annual assessment of every household
//! member within 30 days before or after each anniversary of the head of household's
//! project start date.

use chrono::{Datelike, Months, NaiveDate};

/// Days on each side of the anniversary.
pub const WINDOW_DAYS: i64 = 30;

/// One anniversary's window (both ends included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Which anniversary (1 = one year after the start).
    pub year: u32,
    pub anniversary: NaiveDate,
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

impl Window {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.opens <= date && date <= self.closes
    }
}

/// The window of the `year`th anniversary of `start` (a Feb 29 start has its
/// anniversary on Feb 28 in common years).
pub fn window(start: NaiveDate, year: u32) -> Option<Window> {
    let anniversary = start.checked_add_months(Months::new(year.checked_mul(12)?))?;
    Some(Window {
        year,
        anniversary,
        opens: anniversary - chrono::Duration::days(WINDOW_DAYS),
        closes: anniversary + chrono::Duration::days(WINDOW_DAYS),
    })
}

/// The latest window that has opened by `today`, if any (the one an annual
/// assessment is due in now, or was due in).
pub fn latest_opened(start: NaiveDate, today: NaiveDate) -> Option<Window> {
    let mut latest = None;
    for year in 1..=200 {
        match window(start, year) {
            Some(w) if w.opens <= today => latest = Some(w),
            _ => break,
        }
    }
    latest
}

/// The window an annual assessment dated `information_date` falls in, if any: an
/// annual is offered only then. `start` is the head of household's project start date
/// — every member's annual follows the head's anniversary, whenever the member joined.
pub fn window_containing(start: NaiveDate, information_date: NaiveDate) -> Option<Window> {
    let w = latest_opened(start, information_date)?;
    w.contains(information_date).then_some(w)
}

/// The first window that has not closed by `date` (the one `date` is in, or the next).
pub fn current_or_next(start: NaiveDate, date: NaiveDate) -> Option<Window> {
    (1..=200)
        .filter_map(|year| window(start, year))
        .find(|w| date <= w.closes)
}

/// The project start dates, newest first, whose anniversary falls on `day` in one of
/// the `years_back` years before it — `window(start, year).anniversary == day` for
/// some `1 <= year <= years_back`. A Feb 29 start has its anniversary on Feb 28 in
/// common years, so a common year's Feb 28 is also the anniversary of the Feb 29s.
pub fn starts_with_anniversary_on(day: NaiveDate, years_back: u32) -> Vec<NaiveDate> {
    let leap_day_too = day.month() == 2 && day.day() == 28 && !day.leap_year();
    let mut starts = Vec::new();
    for back in 1..=years_back {
        let Some(year) = i32::try_from(back).ok().and_then(|b| day.year().checked_sub(b)) else {
            break;
        };
        starts.extend(NaiveDate::from_ymd_opt(year, day.month(), day.day()));
        if leap_day_too {
            starts.extend(NaiveDate::from_ymd_opt(year, 2, 29));
        }
    }
    starts
}

/// How many anniversaries of a start date the Annual Assessment Tool looks at (an
/// enrollment open longer is taken as a data error, not as due).
pub const ANNIVERSARIES: u32 = 60;

/// For how many days after the day it is worked out for (`as_of`) an owed anniversary
/// (`owed_anniversary`) answers the tool: windows are a year apart, so until then no
/// earlier window can still be open at `as_of` and unsettled.
pub const OWED_ANSWERS_DAYS: i64 = 304;

/// The anniversary of the first of the first `ANNIVERSARIES` windows of `start` that
/// has not closed before `as_of` and holds none of the member's annual assessments
/// (`annuals`). For any due date from `as_of` to `as_of + OWED_ANSWERS_DAYS` the member
/// is due exactly when this anniversary is within 30 days of it — what the Annual
/// Assessment Tool keeps per member (`annual_due`) and reads as an index range.
pub fn owed_anniversary(start: NaiveDate, as_of: NaiveDate, annuals: &[NaiveDate]) -> Option<NaiveDate> {
    (1..=ANNIVERSARIES)
        .map_while(|year| window(start, year))
        .find(|w| as_of <= w.closes && !annuals.iter().any(|d| w.contains(*d)))
        .map(|w| w.anniversary)
}

fn us(d: NaiveDate) -> String {
    d.format("%-m/%-d/%Y").to_string()
}

/// Whether an annual assessment may be dated `date`: within a window of the head of
/// household's start date `start`, with no other annual of the household recorded in
/// that window (`others`: the information dates of the household's other annuals).
/// Answers the window, or why not in words a case manager understands.
pub fn check_annual(start: NaiveDate, date: NaiveDate, others: &[NaiveDate]) -> Result<Window, String> {
    let Some(w) = window_containing(start, date) else {
        let next = current_or_next(start, date)
            .map(|w| format!(" The next window is {} – {}.", us(w.opens), us(w.closes)))
            .unwrap_or_default();
        return Err(format!(
            "{} is outside the annual window (30 days before to 30 days after the anniversary of the head of \
             household's start date, {}).{next} Record an update, or choose a date within the window.",
            us(date),
            us(start)
        ));
    };
    if let Some(other) = others.iter().find(|d| w.contains(**d)) {
        return Err(format!(
            "An annual assessment is already recorded in this window (on {}): use Edit Existing to change it.",
            us(*other)
        ));
    }
    Ok(w)
}

/// Where an enrollment stands on its annual assessment on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnualStatus {
    /// No window has opened yet, or the latest one has its annual.
    NotDue,
    /// The window is open and no annual is recorded in it.
    Due(Window),
    /// The window closed without an annual.
    Overdue(Window),
}

/// The status given the information dates of the annual assessments on record.
pub fn status(start: NaiveDate, today: NaiveDate, annuals: &[NaiveDate]) -> AnnualStatus {
    match latest_opened(start, today) {
        None => AnnualStatus::NotDue,
        Some(w) if annuals.iter().any(|d| w.contains(*d)) => AnnualStatus::NotDue,
        Some(w) if today <= w.closes => AnnualStatus::Due(w),
        Some(w) => AnnualStatus::Overdue(w),
    }
}

/// The windows that closed by `as_of` without an annual assessment on record, for a
/// member who joined on `member_start` (windows that closed before they joined do not
/// count). `start` is the head of household's project start date.
pub fn missed_windows(
    start: NaiveDate,
    member_start: NaiveDate,
    as_of: NaiveDate,
    annuals: &[NaiveDate],
) -> Vec<Window> {
    (1..=200)
        .map_while(|year| window(start, year).filter(|w| w.closes < as_of))
        .filter(|w| w.closes >= member_start && !annuals.iter().any(|d| w.contains(*d)))
        .collect()
}

/// The close of the first window a member who joined on `member_start` has no annual
/// in (windows that closed before they joined do not count) — closed or not: the
/// member has missed a window by `as_of` exactly when it closes before `as_of`
/// (`missed_windows`). Does not change as days pass, only with the member's annuals, so
/// it can be kept with the enrollment. `start` is the head of household's start date.
pub fn first_unsettled_close(
    start: NaiveDate,
    member_start: NaiveDate,
    annuals: &[NaiveDate],
) -> Option<NaiveDate> {
    (1..=200)
        .map_while(|year| window(start, year))
        .find(|w| w.closes >= member_start && !annuals.iter().any(|d| w.contains(*d)))
        .map(|w| w.closes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn thirty_days_each_side_of_the_anniversary() {
        let w = window(d(2025, 3, 15), 1).unwrap();
        assert_eq!(w.anniversary, d(2026, 3, 15));
        assert_eq!((w.opens, w.closes), (d(2026, 2, 13), d(2026, 4, 14)));
    }

    #[test]
    fn leap_day_starts_have_their_anniversary_on_feb_28() {
        assert_eq!(window(d(2024, 2, 29), 1).unwrap().anniversary, d(2025, 2, 28));
        assert_eq!(window(d(2024, 2, 29), 4).unwrap().anniversary, d(2028, 2, 29));
    }

    #[test]
    fn the_starts_of_feb_28_and_feb_29() {
        assert_eq!(
            starts_with_anniversary_on(d(2027, 2, 28), 4),
            vec![
                d(2026, 2, 28),
                d(2025, 2, 28),
                d(2024, 2, 28),
                d(2024, 2, 29),
                d(2023, 2, 28)
            ]
        );
        assert_eq!(
            starts_with_anniversary_on(d(2028, 2, 29), 4),
            vec![d(2024, 2, 29)]
        );
    }

    #[test]
    fn due_then_overdue_then_done() {
        let start = d(2025, 11, 30);
        assert_eq!(status(start, d(2026, 10, 30), &[]), AnnualStatus::NotDue);
        assert!(matches!(
            status(start, d(2026, 10, 31), &[]),
            AnnualStatus::Due(_)
        ));
        assert!(matches!(
            status(start, d(2026, 12, 30), &[]),
            AnnualStatus::Due(_)
        ));
        assert!(matches!(
            status(start, d(2026, 12, 31), &[]),
            AnnualStatus::Overdue(_)
        ));
        assert_eq!(
            status(start, d(2026, 12, 31), &[d(2026, 11, 2)]),
            AnnualStatus::NotDue
        );
        // An annual outside the window does not count.
        assert!(matches!(
            status(start, d(2026, 12, 31), &[d(2026, 6, 1)]),
            AnnualStatus::Overdue(_)
        ));
    }

    #[test]
    fn the_window_of_a_date() {
        let start = d(2024, 2, 29);
        // Feb 29 start: the 2025 anniversary is Feb 28; its window Jan 29 – Mar 30.
        let w = window_containing(start, d(2025, 1, 29)).unwrap();
        assert_eq!((w.year, w.anniversary), (1, d(2025, 2, 28)));
        assert_eq!(window_containing(start, d(2025, 1, 28)), None);
        assert_eq!(window_containing(start, d(2025, 3, 30)).unwrap().year, 1);
        assert_eq!(window_containing(start, d(2025, 3, 31)), None);
        // A start near the year end: the window spans the new year.
        let w = window_containing(d(2025, 12, 20), d(2027, 1, 10)).unwrap();
        assert_eq!((w.year, w.opens, w.closes), (1, d(2026, 11, 20), d(2027, 1, 19)));
        // Before the first window: none.
        assert_eq!(window_containing(d(2025, 12, 20), d(2026, 6, 1)), None);
    }

    #[test]
    fn annuals_only_inside_the_window_and_once() {
        let start = d(2025, 12, 1);
        let w = check_annual(start, d(2026, 11, 30), &[]).unwrap();
        assert_eq!(w.anniversary, d(2026, 12, 1));
        let outside = check_annual(start, d(2026, 6, 1), &[]).unwrap_err();
        assert!(outside.contains("outside the annual window"), "{outside}");
        assert!(outside.contains("11/1/2026 – 12/31/2026"), "{outside}");
        let twice = check_annual(start, d(2026, 12, 5), &[d(2026, 11, 20)]).unwrap_err();
        assert!(twice.contains("already recorded"), "{twice}");
        // An annual of an earlier year does not count.
        assert!(check_annual(start, d(2027, 12, 5), &[d(2026, 11, 20)]).is_ok());
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..4000).prop_map(|n| d(2016, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_starts_of_an_anniversary_are_exactly_those_it_is_the_anniversary_of(
            start in date(),
            ahead in 0i64..4000,
        ) {
            let day = start + chrono::Duration::days(ahead);
            let is_anniversary = (1..=12).any(|y| window(start, y).is_some_and(|w| w.anniversary == day));
            prop_assert_eq!(starts_with_anniversary_on(day, 12).contains(&start), is_anniversary);
        }

        fn windows_are_61_days_around_each_anniversary(start in date(), year in 1u32..10) {
            let w = window(start, year).unwrap();
            prop_assert_eq!((w.closes - w.opens).num_days(), 2 * WINDOW_DAYS);
            prop_assert!(w.contains(w.anniversary));
            use chrono::Datelike;
            prop_assert_eq!(w.anniversary.year() - start.year(), year as i32);
            prop_assert_eq!(w.anniversary.month(), start.month());
        }

        #[test]
        fn a_date_is_in_a_window_exactly_when_within_30_days_of_an_anniversary(
            start in date(),
            offset in 0i64..4000,
        ) {
            let on = start + chrono::Duration::days(offset);
            let near = (1..=12u32)
                .filter_map(|year| window(start, year))
                .find(|w| (on - w.anniversary).num_days().abs() <= WINDOW_DAYS);
            prop_assert_eq!(window_containing(start, on), near);
        }

        #[test]
        fn members_follow_the_head_of_households_anniversary(
            head_start in date(),
            joined_after in 0i64..700,
            offset in 0i64..2000,
        ) {
            // A member who joined later has the head's windows, not their own.
            let member_start = head_start + chrono::Duration::days(joined_after);
            let on = member_start + chrono::Duration::days(offset);
            let w = window_containing(head_start, on);
            if let Some(w) = w {
                prop_assert!(w.contains(on));
                use chrono::Datelike;
                prop_assert_eq!(w.anniversary.month(), head_start.month());
                prop_assert!(w.anniversary.day() == head_start.day() || (head_start.month() == 2 && head_start.day() == 29));
            }
        }

        #[test]
        fn check_annual_agrees_with_the_window(start in date(), offset in 0i64..4000, other in -400i64..400) {
            let on = start + chrono::Duration::days(offset);
            let other = on + chrono::Duration::days(other);
            match (window_containing(start, on), check_annual(start, on, &[other])) {
                (None, result) => prop_assert!(result.is_err()),
                (Some(w), Ok(got)) => {
                    prop_assert_eq!(got, w);
                    prop_assert!(!w.contains(other));
                }
                (Some(w), Err(_)) => prop_assert!(w.contains(other)),
            }
            // The next window never closes before the date and opens after the previous one.
            let next = current_or_next(start, on).unwrap();
            prop_assert!(on <= next.closes);
            if next.year > 1 {
                prop_assert!(window(start, next.year - 1).unwrap().closes < on);
            }
        }

        #[test]
        fn an_annual_inside_the_window_settles_it(start in date(), offset in 0i64..3000, inside in -30i64..=30) {
            let today = start + chrono::Duration::days(offset);
            if let Some(w) = latest_opened(start, today) {
                let annual = w.anniversary + chrono::Duration::days(inside);
                prop_assert_eq!(status(start, today, &[annual]), AnnualStatus::NotDue);
                prop_assert!(w.opens <= today);
            } else {
                prop_assert_eq!(status(start, today, &[]), AnnualStatus::NotDue);
            }
        }

        /// The owed anniversary worked out on `as_of` says who is due on any date of the
        /// following 304 days exactly as the window of that date does.
        #[test]
        fn the_owed_anniversary_answers_the_due_dates_that_follow(
            start_days in 0i64..4000,
            as_of_after in -400i64..3000,
            due_after in 0i64..=OWED_ANSWERS_DAYS,
            annual_offsets in proptest::collection::vec(0i64..3000, 0..5),
        ) {
            let start = d(2012, 1, 1) + chrono::Duration::days(start_days);
            let as_of = start + chrono::Duration::days(as_of_after);
            let due = as_of + chrono::Duration::days(due_after);
            let annuals: Vec<NaiveDate> = annual_offsets.iter().map(|o| start + chrono::Duration::days(*o)).collect();
            let by_window = window_containing(start, due).is_some_and(|w| !annuals.iter().any(|a| w.contains(*a)));
            let owed = owed_anniversary(start, as_of, &annuals);
            let by_owed = owed.is_some_and(|a| (a - due).num_days().abs() <= WINDOW_DAYS);
            prop_assert_eq!(by_window, by_owed, "start {} as of {} due {} owed {:?}", start, as_of, due, owed);
        }

        /// The first unsettled window says whether any window was missed by any date.
        #[test]
        fn the_first_unsettled_window_answers_whether_one_was_missed(
            start_days in 0i64..3000,
            joined_after in 0i64..900,
            as_of_after in 0i64..4000,
            annual_offsets in proptest::collection::vec(0i64..3000, 0..5),
        ) {
            let start = d(2012, 1, 1) + chrono::Duration::days(start_days);
            let member_start = start + chrono::Duration::days(joined_after);
            let as_of = start + chrono::Duration::days(as_of_after);
            let annuals: Vec<NaiveDate> = annual_offsets.iter().map(|o| start + chrono::Duration::days(*o)).collect();
            let missed = missed_windows(start, member_start, as_of, &annuals);
            let first = first_unsettled_close(start, member_start, &annuals);
            prop_assert_eq!(!missed.is_empty(), first.is_some_and(|c| c < as_of));
            if let (Some(w), Some(c)) = (missed.first(), first) {
                prop_assert_eq!(w.closes, c);
            }
        }

        /// A missed window closed by the date asked, after the member joined, with no
        /// annual in it; recording an annual in each missed window leaves none.
        #[test]
        fn missed_windows_are_closed_and_empty(
            start_days in 0i64..3000,
            joined_after in 0i64..900,
            as_of_after in 0i64..2500,
            annual_offsets in proptest::collection::vec(0i64..2500, 0..4),
        ) {
            let start = d(2015, 1, 1) + chrono::Duration::days(start_days);
            let member_start = start + chrono::Duration::days(joined_after);
            let as_of = start + chrono::Duration::days(as_of_after);
            let annuals: Vec<NaiveDate> = annual_offsets.iter().map(|o| start + chrono::Duration::days(*o)).collect();
            let missed = missed_windows(start, member_start, as_of, &annuals);
            for w in &missed {
                prop_assert!(w.closes < as_of);
                prop_assert!(w.closes >= member_start);
                prop_assert!(!annuals.iter().any(|a| w.contains(*a)));
            }
            let mut done = annuals.clone();
            done.extend(missed.iter().map(|w| w.anniversary));
            prop_assert!(missed_windows(start, member_start, as_of, &done).is_empty());
        }
    }
}
