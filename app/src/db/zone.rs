//! The CoC date of a stored timestamp, in SQL, the same on both databases. Timestamps
//! are stored in UTC; a report that buckets them by day (how many days after the
//! start was the record entered?) needs the date the CoC's clocks showed. PostgreSQL
//! converts with its zone database; SQLite has none, so the offsets in force around the
//! report's period — daylight time and standard time — are written into the query, each
//! with the instant it starts. One offset for every timestamp (today's) would shift the
//! records of the other season by a day.

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::DbBackend;

/// How to write "the CoC date of this timestamp" for one query.
#[derive(Clone, Debug)]
pub struct CocDate {
    backend: DbBackend,
    /// The zone's name, checked to be a plain IANA name (PostgreSQL).
    zone: String,
    /// The offset (minutes) before the first change, then each change: (the instant it
    /// starts as a Julian day, the offset from then on).
    first: i32,
    changes: Vec<(f64, i32)>,
}

/// Seconds from the Unix epoch to Julian day 0.
const UNIX_EPOCH_JULIAN_DAY: f64 = 2_440_587.5;

fn offset_minutes(zone: &Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
        / 60
}

fn julian_day(at: DateTime<Utc>) -> f64 {
    at.timestamp() as f64 / 86_400.0 + UNIX_EPOCH_JULIAN_DAY
}

impl CocDate {
    /// For timestamps from about `from` to `to` (a year either side is covered; beyond
    /// it the nearest offset holds).
    pub fn new(backend: DbBackend, zone: Tz, from: NaiveDate, to: NaiveDate) -> Self {
        let start = (from - Duration::days(366))
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        let end = (to + Duration::days(366))
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        let first = offset_minutes(&zone, start);
        let mut changes = Vec::new();
        let mut current = first;
        // PostgreSQL converts with its own zone database: the offsets are SQLite's.
        let mut at = match backend {
            DbBackend::Postgres => end,
            _ => start,
        };
        // Day by day finds each change (no zone changes twice in a day), hour by hour
        // and then minute by minute place it (zones change on whole or half hours).
        while at < end {
            let next = at + Duration::days(1);
            if offset_minutes(&zone, next) != current {
                let mut hour = at;
                while offset_minutes(&zone, hour + Duration::hours(1)) == current {
                    hour += Duration::hours(1);
                }
                let mut minute = hour;
                while offset_minutes(&zone, minute) == current {
                    minute += Duration::minutes(1);
                }
                current = offset_minutes(&zone, minute);
                changes.push((julian_day(minute), current));
            }
            at = next;
        }
        CocDate {
            backend,
            zone: zone
                .name()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
                .collect(),
            first,
            changes,
        }
    }

    /// SQL for the CoC date of the timestamp column `column` (a DATE on PostgreSQL, a
    /// `YYYY-MM-DD` text on SQLite).
    pub fn of(&self, column: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("CAST(({column} AT TIME ZONE '{}') AS DATE)", self.zone),
            _ => {
                if self.changes.is_empty() {
                    return format!("date({column}, '{} minutes')", self.first);
                }
                // The latest change first: most timestamps are recent.
                let mut case = String::from("CASE");
                for (starts, offset) in self.changes.iter().rev() {
                    case.push_str(&format!(
                        " WHEN julianday({column}) >= {starts:.6} THEN '{offset} minutes'"
                    ));
                }
                case.push_str(&format!(" ELSE '{} minutes' END", self.first));
                format!("date({column}, {case})")
            }
        }
    }

    /// SQL for the whole days from the date column `date` to the CoC date of the
    /// timestamp column `at`.
    pub fn days_from(&self, date: &str, at: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("({} - {date})", self.of(at)),
            _ => format!("CAST(julianday({}) - julianday({date}) AS INTEGER)", self.of(at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daylight_and_standard_time_around_the_period() {
        let chicago = CocDate::new(
            DbBackend::Sqlite,
            chrono_tz::America::Chicago,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        );
        // 2025, 2026, 2027: two changes a year.
        assert_eq!(chicago.first, -360);
        assert_eq!(chicago.changes.len(), 6);
        // 2026-03-08 02:00 CST = 08:00 UTC; 2026-11-01 02:00 CDT = 07:00 UTC.
        let at = |y, m, d, h| julian_day(Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap());
        assert_eq!(chicago.changes[2], (at(2026, 3, 8, 8), -300));
        assert_eq!(chicago.changes[3], (at(2026, 11, 1, 7), -360));
        let sql = chicago.of("x.created_at");
        assert!(
            sql.starts_with("date(x.created_at, CASE WHEN julianday(x.created_at) >= "),
            "{sql}"
        );
        assert!(sql.ends_with("ELSE '-360 minutes' END)"), "{sql}");
        // A zone without daylight time needs no CASE.
        let phoenix = CocDate::new(
            DbBackend::Sqlite,
            chrono_tz::America::Phoenix,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        );
        assert_eq!(phoenix.of("t"), "date(t, '-420 minutes')");
        let pg = CocDate::new(
            DbBackend::Postgres,
            chrono_tz::America::Chicago,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        );
        assert_eq!(
            pg.days_from("e.entry_date", "e.created_at"),
            "(CAST((e.created_at AT TIME ZONE 'America/Chicago') AS DATE) - e.entry_date)"
        );
    }
}
