//! One cell of an HMIS CSV file read exactly as the specification writes it. Dates are
//! `YYYY-MM-DD` with four-digit years and date-times `YYYY-MM-DD hh:mm:ss`, nothing
//! looser: a two-digit year is a finding, never the year 0021. A few other ways of
//! writing a date and time whose meaning is still clear (a date alone, a `T` between
//! date and time, no seconds, fractions of a second) are kept and noted.
//!
//! Date-times are local times in the CoC's time zone. A local time that does not exist
//! (the hour the clocks skip in spring) is read with the offset in force just before
//! the change: 02:30 on the spring-forward night in Chicago is 08:30 UTC, which the
//! clocks there call 03:30. A local time that exists twice (the hour repeated in
//! autumn) is the first of the two, still in daylight time.

use app::features::hmis_import::api::FindingKind;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::hmis_csv::spec::{self, Kind};

/// One value read.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cell {
    Null,
    Text(String),
    Integer(i32),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Money(f64),
}

impl Cell {
    /// The text of a text cell.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// What is wrong with a value (or, for a kept value, what is odd about it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Flaw {
    pub kind: FindingKind,
    pub message: String,
}

impl Flaw {
    fn new(kind: FindingKind, message: impl Into<String>) -> Self {
        Flaw {
            kind,
            message: message.into(),
        }
    }
}

/// A value read: the cell, and a note when it was written another way than the spec's.
pub(super) type Read = Result<(Cell, Option<Flaw>), Flaw>;

/// The characters of a hashed value (HashStatus 2–4): hexadecimal, of a digest's length.
pub(super) fn is_hash(text: &str) -> bool {
    matches!(text.len(), 32 | 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a column may hold a hash (a name or SSN of Client.csv), and whether the
/// export says its names and SSNs are hashed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Hashing {
    /// Not a column that is ever hashed.
    #[default]
    Never,
    /// HashStatus 2–4: a digest is what the column holds.
    Declared,
    /// HashStatus 1, yet a digest is found: kept, and noted.
    Undeclared,
}

/// Reads a cell of `column`. An empty cell is `Cell::Null` (whether it may be empty is
/// the row's question); a hashed name or SSN may be longer than its column.
pub(super) fn read(column: &spec::Column, raw: &str, time_zone: &Tz, hashing: Hashing) -> Read {
    let text = raw.trim();
    if text.is_empty() {
        return Ok((Cell::Null, None));
    }
    if let Err(app::domain::input::Refusal::ControlCharacter) = app::domain::input::check(text) {
        return Err(Flaw::new(
            FindingKind::ControlCharacter,
            "contains a control character (such as NUL) that cannot be stored",
        ));
    }
    match column.kind {
        Kind::Text if hashing != Hashing::Never && is_hash(text) => {
            let note = (hashing == Hashing::Undeclared).then(|| {
                Flaw::new(
                    FindingKind::UndeclaredHash,
                    "a hash, though Export.csv's HashStatus says the export is not hashed; kept as it is",
                )
            });
            Ok((Cell::Text(text.to_string()), note))
        }
        Kind::Text => read_text(column, text).map(|c| (c, None)),
        Kind::Integer => read_integer(column, text).map(|c| (c, None)),
        Kind::Date => {
            let date = parse_date(text).ok_or_else(|| {
                Flaw::new(
                    FindingKind::NotADate,
                    format!("\"{text}\" is not a date written YYYY-MM-DD"),
                )
            })?;
            in_range(date).map(|d| (Cell::Date(d), None))
        }
        Kind::Timestamp => {
            let (local, exact) = parse_timestamp(text).ok_or_else(|| {
                Flaw::new(
                    FindingKind::NotATimestamp,
                    format!("\"{text}\" is not a date and time written YYYY-MM-DD hh:mm:ss"),
                )
            })?;
            in_range(local.date())?;
            let note = (!exact).then(|| {
                Flaw::new(
                    FindingKind::InexactTimestamp,
                    format!(
                        "\"{text}\" is not written YYYY-MM-DD hh:mm:ss; read as {}",
                        local.format("%Y-%m-%d %H:%M:%S")
                    ),
                )
            });
            Ok((Cell::Timestamp(local_to_utc(local, time_zone)), note))
        }
        Kind::Money => parse_money(text).map(|m| (Cell::Money(m), None)).ok_or_else(|| {
            Flaw::new(
                FindingKind::NotAnAmount,
                format!("\"{text}\" is not an amount (digits, a point and cents: 1250.50)"),
            )
        }),
    }
}

fn read_text(column: &spec::Column, text: &str) -> Result<Cell, Flaw> {
    if let Some(max) = column.length
        && text.chars().count() > max
    {
        return Err(Flaw::new(
            FindingKind::TooLong,
            format!("longer than {max} characters"),
        ));
    }
    if let Some(list) = column
        .list
        .as_deref()
        .and_then(app::domain::codes::text_by_element)
        && !list.contains(text)
        && !(list.element == "2.03.1" && is_test_coc(text))
    {
        return Err(Flaw::new(
            FindingKind::NotACode,
            format!(
                "\"{text}\" is not a code of list {} ({})",
                list.element, list.name
            ),
        ));
    }
    Ok(Cell::Text(text.to_string()))
}

/// HUD's test CoC codes (`XX-500`, `XX-501`, …), used by all of HUD's sample data.
fn is_test_coc(text: &str) -> bool {
    text.len() == 6 && text.starts_with("XX-") && text[3..].bytes().all(|b| b.is_ascii_digit())
}

fn read_integer(column: &spec::Column, text: &str) -> Result<Cell, Flaw> {
    let n: i32 = text.parse().map_err(|_| {
        Flaw::new(
            FindingKind::NotANumber,
            format!("\"{text}\" is not a whole number"),
        )
    })?;
    let Some(list) = column.list.as_deref().and_then(app::domain::codes::by_element) else {
        return Ok(Cell::Integer(n));
    };
    // Codes HUD retired stay on the records they were given to (a 2021 grant's ESG-CV).
    let retired = format!("{}-retired", list.element);
    let was_a_code = app::domain::codes::DEPRECATED_FY2024
        .iter()
        .any(|old| old.element == retired && old.contains(n));
    if list.contains(n) || was_a_code {
        Ok(Cell::Integer(n))
    } else {
        Err(Flaw::new(
            FindingKind::NotACode,
            format!("{n} is not a code of list {} ({})", list.element, list.name),
        ))
    }
}

/// A date both databases can hold and a record can have.
fn in_range(date: NaiveDate) -> Result<NaiveDate, Flaw> {
    if app::domain::input::date_in_range(date) {
        Ok(date)
    } else {
        Err(Flaw::new(
            FindingKind::OutOfRange,
            format!(
                "{date} is outside the years {}–{}",
                app::domain::input::EARLIEST_YEAR,
                app::domain::input::LATEST_YEAR
            ),
        ))
    }
}

/// The number written by these ASCII digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD`, exactly: four-digit year, two-digit month and day, a real day.
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DD hh:mm:ss` (exact: `true`), or one of the clear variants: a `T` for the
/// space, no seconds, fractions of a second (dropped), a date alone (midnight).
pub(super) fn parse_timestamp(text: &str) -> Option<(NaiveDateTime, bool)> {
    let date = parse_date(text.get(..10)?)?;
    let rest = &text.as_bytes()[10..];
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), false));
    }
    if !matches!(rest[0], b' ' | b'T') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
    let (second, tail) = match rest.get(6) {
        None => (0, &rest[6..]),
        Some(b':') if rest.len() >= 9 => (digits(&rest[7..9])?, &rest[9..]),
        _ => return None,
    };
    let fraction_only = match tail.split_first() {
        None => true,
        Some((b'.', more)) => !more.is_empty() && more.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !fraction_only {
        return None;
    }
    let exact = rest[0] == b' ' && rest.len() == 9;
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    Some((date.and_time(time), exact))
}

/// The instant of a local time in the CoC's zone (see the module's note on the hours
/// the clocks skip and repeat).
pub(super) fn local_to_utc(local: NaiveDateTime, time_zone: &Tz) -> DateTime<Utc> {
    match time_zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.to_utc(),
        LocalResult::Ambiguous(first, _) => first.to_utc(),
        LocalResult::None => {
            // No zone skips more than a few hours: the offset three hours earlier is
            // the one in force before the change.
            let offset = time_zone
                .offset_from_utc_datetime(&(local - Duration::hours(3)))
                .fix()
                .local_minus_utc();
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset))))
        }
    }
}

/// Money as HUD writes it: digits, optionally a point and decimals, optionally a minus.
fn parse_money(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, cents) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !cents.is_empty()
        && cents.bytes().all(|b| b.is_ascii_digit());
    well_formed
        .then(|| text.parse::<f64>().ok())
        .flatten()
        .filter(|m| m.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};
    use proptest::prelude::*;

    fn column(kind: Kind, list: Option<&str>, length: Option<usize>) -> spec::Column {
        spec::Column {
            name: "X".into(),
            kind,
            length,
            required: false,
            list: list.map(str::to_string),
            db_column: Some("x".into()),
        }
    }

    const CHICAGO: Tz = chrono_tz::America::Chicago;
    const NONE: Hashing = Hashing::Never;

    fn flaw(read: Read) -> FindingKind {
        read.expect_err("a flaw").kind
    }

    #[test]
    fn codes_lists_and_hud_test_data() {
        let relationship = column(Kind::Integer, Some("3.15.1"), None);
        assert_eq!(
            read(&relationship, "1", &CHICAGO, NONE),
            Ok((Cell::Integer(1), None))
        );
        assert_eq!(
            flaw(read(&relationship, "7", &CHICAGO, NONE)),
            FindingKind::NotACode
        );
        assert_eq!(
            flaw(read(&relationship, "x", &CHICAGO, NONE)),
            FindingKind::NotANumber
        );
        assert_eq!(read(&relationship, " ", &CHICAGO, NONE), Ok((Cell::Null, None)));
        // HUD's test CoCs and retired funders import as they are.
        let coc = column(Kind::Text, Some("2.03.1"), Some(6));
        for code in ["MO-500", "XX-500", "XX-501"] {
            assert!(read(&coc, code, &CHICAGO, NONE).is_ok(), "{code}");
        }
        assert_eq!(flaw(read(&coc, "XY-123", &CHICAGO, NONE)), FindingKind::NotACode);
        let funder = column(Kind::Integer, Some("2.06.1"), None);
        for code in ["2", "47", "48"] {
            assert!(read(&funder, code, &CHICAGO, NONE).is_ok(), "{code}");
        }
        assert_eq!(flaw(read(&funder, "999", &CHICAGO, NONE)), FindingKind::NotACode);
    }

    #[test]
    fn hashed_values_are_as_long_as_their_digest() {
        let name = column(Kind::Text, None, Some(50));
        let sha256 = "a".repeat(64);
        assert_eq!(flaw(read(&name, &sha256, &CHICAGO, NONE)), FindingKind::TooLong);
        assert_eq!(
            read(&name, &sha256, &CHICAGO, Hashing::Declared),
            Ok((Cell::Text(sha256.clone()), None))
        );
        let ssn = column(Kind::Text, None, Some(9));
        assert!(
            read(&ssn, &"0f".repeat(16), &CHICAGO, Hashing::Declared).is_ok(),
            "MD5"
        );
        // A digest where the export says nothing is hashed: kept, and noted.
        let (cell, note) = read(&ssn, &"0f".repeat(16), &CHICAGO, Hashing::Undeclared).unwrap();
        assert_eq!(cell, Cell::Text("0f".repeat(16)));
        assert_eq!(note.map(|n| n.kind), Some(FindingKind::UndeclaredHash));
        assert_eq!(
            read(&ssn, "123456789", &CHICAGO, Hashing::Undeclared),
            Ok((Cell::Text("123456789".into()), None))
        );
        // Only hexadecimal digests pass the length.
        assert_eq!(
            flaw(read(&name, &"z".repeat(64), &CHICAGO, Hashing::Declared)),
            FindingKind::TooLong
        );
    }

    #[test]
    fn dates_have_four_digit_years() {
        let date = column(Kind::Date, None, None);
        for text in [
            "03-11-21",
            "11-05-09",
            "21-03-11",
            "2021-3-11",
            "2026-02-30",
            "20210311",
            "2021/03/11",
        ] {
            assert_eq!(
                flaw(read(&date, text, &CHICAGO, NONE)),
                FindingKind::NotADate,
                "{text}"
            );
        }
        assert_eq!(
            read(&date, "2026-02-28", &CHICAGO, NONE),
            Ok((Cell::Date(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()), None))
        );
        assert_eq!(
            flaw(read(&date, "0021-03-11", &CHICAGO, NONE)),
            FindingKind::OutOfRange
        );
    }

    #[test]
    fn timestamps_exact_and_clear_variants() {
        let at = column(Kind::Timestamp, None, None);
        // 9 am in Chicago in winter is 3 pm UTC.
        assert_eq!(
            read(&at, "2026-01-15 09:00:00", &CHICAGO, NONE),
            Ok((
                Cell::Timestamp(Utc.with_ymd_and_hms(2026, 1, 15, 15, 0, 0).unwrap()),
                None
            ))
        );
        for text in [
            "2026-01-15T09:00:00",
            "2026-01-15 09:00",
            "2026-01-15 09:00:00.000",
        ] {
            let (cell, note) = read(&at, text, &CHICAGO, NONE).expect(text);
            assert_eq!(
                cell,
                Cell::Timestamp(Utc.with_ymd_and_hms(2026, 1, 15, 15, 0, 0).unwrap())
            );
            assert_eq!(
                note.map(|n| n.kind),
                Some(FindingKind::InexactTimestamp),
                "{text}"
            );
        }
        let (_, note) = read(&at, "2026-01-15", &CHICAGO, NONE).unwrap();
        assert!(note.unwrap().message.contains("read as 2026-01-15 00:00:00"));
        for text in [
            "01-15-26 09:00:00",
            "2026-01-15 9:00:00",
            "2026-01-15 09:00:00 PM",
            "2026-01-15 25:00:00",
        ] {
            assert_eq!(
                flaw(read(&at, text, &CHICAGO, NONE)),
                FindingKind::NotATimestamp,
                "{text}"
            );
        }
    }

    #[test]
    fn the_hours_the_clocks_skip_and_repeat() {
        let at = |text: &str| match read(&column(Kind::Timestamp, None, None), text, &CHICAGO, NONE) {
            Ok((Cell::Timestamp(t), None)) => t,
            other => panic!("{text}: {other:?}"),
        };
        // Spring forward, 2023-03-12: 02:00–02:59 do not exist; read with CST (−6).
        assert_eq!(
            at("2023-03-12 02:00:00"),
            Utc.with_ymd_and_hms(2023, 3, 12, 8, 0, 0).unwrap()
        );
        assert_eq!(
            at("2023-03-12 02:30:00"),
            Utc.with_ymd_and_hms(2023, 3, 12, 8, 30, 0).unwrap()
        );
        assert_eq!(
            at("2023-03-12 03:00:00"),
            Utc.with_ymd_and_hms(2023, 3, 12, 8, 0, 0).unwrap()
        );
        // Fall back, 2023-11-05: 01:30 happens twice; the first is CDT (−5).
        assert_eq!(
            at("2023-11-05 01:30:00"),
            Utc.with_ymd_and_hms(2023, 11, 5, 6, 30, 0).unwrap()
        );
    }

    #[test]
    fn money_as_the_spec_writes_it() {
        let money = column(Kind::Money, None, None);
        assert_eq!(
            read(&money, "12.50", &CHICAGO, NONE),
            Ok((Cell::Money(12.5), None))
        );
        assert_eq!(
            read(&money, "800", &CHICAGO, NONE),
            Ok((Cell::Money(800.0), None))
        );
        for text in ["NaN", "inf", "$12.50", "1,200", "1e3", "12.", ".5"] {
            assert_eq!(
                flaw(read(&money, text, &CHICAGO, NONE)),
                FindingKind::NotAnAmount,
                "{text}"
            );
        }
    }

    proptest! {
        /// Every real day reads back as itself; any other arrangement of its digits
        /// with a two-digit year never reads as a date.
        #[test]
        fn every_day_reads_exactly(days in 0i64..(200 * 366), two in 0u32..100) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(parse_date(&day.format("%Y-%m-%d").to_string()), Some(day));
            let short = format!("{:02}-{:02}-{:02}", day.month(), day.day(), two);
            prop_assert_eq!(parse_date(&short), None);
            let short = format!("{two:02}-{:02}-{:02}", day.month(), day.day());
            prop_assert_eq!(parse_date(&short), None);
        }

        /// Every local time of the year maps to an instant that the zone shows as that
        /// time, or (in the skipped hour) an hour later; and instants never go back
        /// more than the repeated hour as local time goes forward.
        #[test]
        fn local_times_map_to_instants(minutes in 0i64..(366 * 24 * 60)) {
            let local = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap().and_time(NaiveTime::MIN)
                + Duration::minutes(minutes);
            let instant = local_to_utc(local, &CHICAGO);
            let shown = instant.with_timezone(&CHICAGO).naive_local();
            prop_assert!(shown == local || shown == local + Duration::hours(1), "{local} -> {shown}");
            let next = local_to_utc(local + Duration::minutes(1), &CHICAGO);
            prop_assert!(next - instant >= Duration::minutes(-59), "{local}");
            prop_assert_eq!(instant.second(), 0);
        }
    }
}
