//! How values read on screen, the same on every page: dates ("11/30/2026", or
//! "Nov 30, 2026" where a page spells them out) and people's names. Moments in time are
//! shown in the CoC's time zone by `AppState::stamp` on the server, which knows the zone.

use chrono::NaiveDate;

use crate::domain::annual::AnnualStatus;

/// A date as the pages show it: "11/30/2026".
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-m/%-d/%Y").to_string()
}

/// A date spelled out: "Nov 30, 2026".
pub fn format_long_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

/// "First Middle Last Suffix" from the parts on record; "(no name recorded)" when none.
pub fn full_name(parts: [Option<String>; 4]) -> String {
    let name = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        "(no name recorded)".to_string()
    } else {
        name
    }
}

/// The words for an annual assessment that is due or overdue.
pub fn annual_alert(status: AnnualStatus) -> Option<String> {
    match status {
        AnnualStatus::Due(w) => Some(format!("Annual assessment due by {}", format_date(w.closes))),
        AnnualStatus::Overdue(w) => Some(format!(
            "Annual assessment overdue (window closed {})",
            format_date(w.closes)
        )),
        AnnualStatus::NotDue => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_names_read_as_people_write_them() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(format_date(date), "3/7/2026");
        assert_eq!(format_long_date(date), "Mar 7, 2026");
        assert_eq!(
            full_name([Some("Ana".into()), Some(" ".into()), Some("Ruiz".into()), None]),
            "Ana Ruiz"
        );
        assert_eq!(full_name([None, None, None, None]), "(no name recorded)");
    }
}
