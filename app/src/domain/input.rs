//! The bounds every value sent to Hearth keeps, whatever it is for. Checked once, at
//! the boundary (every server function's arguments and every page's query), before any
//! feature sees the value, so that both databases see only what both can store: no
//! control characters (PostgreSQL refuses NUL; SQLite would keep it and cut what it
//! reports), no text longer than any field Hearth has, no date outside the years a
//! person or a record can have (PostgreSQL has no year 0).

use chrono::{Datelike, NaiveDate};

/// The longest value any field takes (case notes are the longest).
pub const MAX_VALUE_CHARS: usize = 10_000;
/// The earliest and latest year a date sent to Hearth may have.
pub const EARLIEST_YEAR: i32 = 1900;
pub const LATEST_YEAR: i32 = 2100;

/// Why a value is refused, as the user reads it (after the field's name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    ControlCharacter,
    /// Longer than this many characters.
    TooLong(usize),
    DateOutOfRange,
}

impl Refusal {
    pub fn message(self) -> String {
        match self {
            Refusal::ControlCharacter => {
                "contains a character that cannot be stored (a control character such as NUL). Retype it."
                    .into()
            }
            Refusal::TooLong(max) => format!("is longer than {max} characters."),
            Refusal::DateOutOfRange => {
                format!("must be a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")
            }
        }
    }
}

/// Checks one value. Line breaks and tabs are text; every other control character is
/// refused. A value that is a date (`YYYY-MM-DD`, alone or starting a date and time)
/// must fall between `EARLIEST_YEAR` and `LATEST_YEAR`.
pub fn check(value: &str) -> Result<(), Refusal> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Refusal::ControlCharacter);
    }
    check_length(value, MAX_VALUE_CHARS)?;
    if let Some(year) = date_year(value)
        && !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year)
    {
        return Err(Refusal::DateOutOfRange);
    }
    Ok(())
}

/// Checks that `value` has at most `max` characters.
pub fn check_length(value: &str, max: usize) -> Result<(), Refusal> {
    if value.chars().count() > max {
        Err(Refusal::TooLong(max))
    } else {
        Ok(())
    }
}

/// The year of a value shaped as a date (`0000-01-01`, `2026-12-05T10:00`), whether or
/// not the rest of it is a valid date (that is the field's own check).
fn date_year(value: &str) -> Option<i32> {
    let bytes = value.as_bytes();
    let shaped = bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit())
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b' '));
    if !shaped {
        return None;
    }
    value[..4].parse().ok()
}

/// A text box: trimmed, and `None` when empty.
pub fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A filter's text box as sent: trimmed, `None` when empty.
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// What every form says of a date box whose text is not a date.
pub const NOT_A_DATE: &str = "Enter a date (YYYY-MM-DD).";

/// A date box's text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotADate;

/// Reads a date box as browsers send it (`YYYY-MM-DD`, blanks around it ignored):
/// `None` when it is empty. The one reader of form dates, so every form accepts and
/// refuses the same text with the same message ([`NOT_A_DATE`]).
pub fn form_date(text: &str) -> Result<Option<NaiveDate>, NotADate> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| NotADate)
}

/// Whether `date` is within the years any date in Hearth may have.
pub fn date_in_range(date: NaiveDate) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn form_dates_are_year_month_day_or_empty() {
        assert_eq!(
            form_date(" 2026-12-05 "),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 5))
        );
        assert_eq!(form_date("  "), Ok(None));
        assert_eq!(form_date("12/05/2026"), Err(NotADate));
        assert_eq!(form_date("2026-02-30"), Err(NotADate));
        assert_eq!(form_date("last week"), Err(NotADate));
    }

    #[test]
    fn hostile_values_are_refused_and_ordinary_ones_pass() {
        assert_eq!(check("Ana María O'Neil"), Ok(()));
        assert_eq!(check("line one\nline two\ttab"), Ok(()));
        assert_eq!(check("2026-12-05"), Ok(()));
        assert_eq!(check("2026-12-05T10:30"), Ok(()));
        assert_eq!(check("12345678901234"), Ok(()), "a long number is no date");
        assert_eq!(check("Ana\0"), Err(Refusal::ControlCharacter));
        assert_eq!(check("\u{1b}[31m"), Err(Refusal::ControlCharacter));
        assert_eq!(check("0000-01-01"), Err(Refusal::DateOutOfRange));
        assert_eq!(check("9999-12-31"), Err(Refusal::DateOutOfRange));
        assert_eq!(check("1899-12-31 00:00"), Err(Refusal::DateOutOfRange));
        assert_eq!(check(&"x".repeat(MAX_VALUE_CHARS)), Ok(()));
        assert_eq!(
            check(&"x".repeat(MAX_VALUE_CHARS + 1)),
            Err(Refusal::TooLong(MAX_VALUE_CHARS))
        );
        assert_eq!(check_length("ééé", 3), Ok(()));
        assert_eq!(check_length("éééé", 3), Err(Refusal::TooLong(3)));
        assert!(Refusal::DateOutOfRange.message().contains("1900"));
    }

    proptest! {
        #[test]
        fn any_value_with_a_nul_is_refused(before in ".{0,40}", after in ".{0,40}") {
            let value = format!("{before}\0{after}");
            prop_assert_eq!(check(&value), Err(Refusal::ControlCharacter));
        }

        #[test]
        fn dates_are_refused_exactly_outside_the_years(y in 0i32..10000, m in 1u32..=12, d in 1u32..=28) {
            let value = format!("{y:04}-{m:02}-{d:02}");
            let expected = (EARLIEST_YEAR..=LATEST_YEAR).contains(&y);
            prop_assert_eq!(check(&value).is_ok(), expected);
        }
    }
}
