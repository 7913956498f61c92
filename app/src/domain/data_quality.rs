//! The data-quality report's checks, modelled on HUD's APR data-quality question (Q6)
//! and the Eva tool: completeness of each element for its universe (HUD's "client
//! doesn't know / prefers not to answer" apart from "information missing"), timeliness
//! of data entry, and integrity errors. Codes name every count so a count links to its
//! records; the database side turns each into a condition.

/// HUD's "Client doesn't know" and "Client prefers not to answer".
pub const DONT_KNOW_REFUSED: [i32; 2] = [8, 9];
/// HUD's "Data not collected".
pub const NOT_COLLECTED: i32 = 99;

/// How an answer to a HUD element counts for completeness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    Answered,
    DontKnowRefused,
    /// Data not collected, or nothing recorded.
    Missing,
}

/// A coded answer's completeness (None: nothing recorded).
pub fn completeness(code: Option<i32>) -> Completeness {
    match code {
        None | Some(NOT_COLLECTED) => Completeness::Missing,
        Some(c) if DONT_KNOW_REFUSED.contains(&c) => Completeness::DontKnowRefused,
        Some(_) => Completeness::Answered,
    }
}

/// Whose records an element is asked of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Universe {
    /// Every enrollment in the period.
    Everyone,
    /// Adults (age known, 18 or over at the project start).
    Adults,
    /// Heads of household and adults.
    HeadsAndAdults,
    /// Enrollments that exited within the period.
    Leavers,
    /// Heads of household and adults that exited within the period.
    HeadAndAdultLeavers,
}

impl Universe {
    pub fn label(self) -> &'static str {
        match self {
            Universe::Everyone => "all enrollments",
            Universe::Adults => "adults",
            Universe::HeadsAndAdults => "heads of household and adults",
            Universe::Leavers => "leavers",
            Universe::HeadAndAdultLeavers => "head and adult leavers",
        }
    }
}

/// A HUD element whose completeness the report counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element {
    pub key: &'static str,
    pub label: &'static str,
    pub universe: Universe,
    /// Whether HUD lets the client answer "don't know" or "prefers not to answer".
    pub has_dont_know: bool,
}

/// The elements of the completeness table, in HUD's order (APR Q6a–Q6c).
pub const ELEMENTS: &[Element] = &[
    Element {
        key: "name",
        label: "Name (3.01)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "ssn",
        label: "Social Security Number (3.02)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "dob",
        label: "Date of birth (3.03)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "race",
        label: "Race and ethnicity (3.04)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "sex",
        label: "Sex (3.06)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "veteran",
        label: "Veteran status (3.07)",
        universe: Universe::Adults,
        has_dont_know: true,
    },
    Element {
        key: "disabling",
        label: "Disabling condition (3.08)",
        universe: Universe::Everyone,
        has_dont_know: true,
    },
    Element {
        key: "relationship",
        label: "Relationship to head of household (3.15)",
        universe: Universe::Everyone,
        has_dont_know: false,
    },
    Element {
        key: "living",
        label: "Prior living situation (3.917)",
        universe: Universe::HeadsAndAdults,
        has_dont_know: true,
    },
    Element {
        key: "income_entry",
        label: "Income and sources at start (4.02)",
        universe: Universe::HeadsAndAdults,
        has_dont_know: true,
    },
    Element {
        key: "destination",
        label: "Destination (3.12)",
        universe: Universe::Leavers,
        has_dont_know: true,
    },
    Element {
        key: "income_exit",
        label: "Income and sources at exit (4.02)",
        universe: Universe::HeadAndAdultLeavers,
        has_dont_know: true,
    },
];

/// Which column of the completeness table a count is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Universe,
    DontKnowRefused,
    Missing,
}

impl Column {
    fn suffix(self) -> &'static str {
        match self {
            Column::Universe => "all",
            Column::DontKnowRefused => "dkr",
            Column::Missing => "missing",
        }
    }
}

/// The code of an element's count, e.g. `ssn_missing`.
pub fn element_code(element: &Element, column: Column) -> String {
    format!("{}_{}", element.key, column.suffix())
}

/// Days from a project start or exit to its data entry, grouped as HUD's APR Q6e does:
/// (lowest, highest) days, the last open-ended.
pub const LAG_BUCKETS: &[(i64, Option<i64>)] = &[
    (0, Some(0)),
    (1, Some(3)),
    (4, Some(6)),
    (7, Some(10)),
    (11, None),
];

/// A bucket's label ("0 days", "1–3 days", "11 days or more").
pub fn bucket_label(bucket: (i64, Option<i64>)) -> String {
    match bucket {
        (lo, Some(hi)) if lo == hi => format!("{lo} days"),
        (lo, Some(hi)) => format!("{lo}–{hi} days"),
        (lo, None) => format!("{lo} days or more"),
    }
}

/// Which bucket a lag falls in (a record entered before its date counts as 0 days).
pub fn bucket_of(days: i64) -> usize {
    let days = days.max(0);
    LAG_BUCKETS
        .iter()
        .position(|(lo, hi)| days >= *lo && hi.is_none_or(|hi| days <= hi))
        .unwrap_or(LAG_BUCKETS.len() - 1)
}

/// Whether a lag count is of project starts or of exits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LagOf {
    Start,
    Exit,
}

/// The code of a timeliness count, e.g. `start_lag_2` (the third bucket).
pub fn lag_code(of: LagOf, bucket: usize) -> String {
    let of = match of {
        LagOf::Start => "start",
        LagOf::Exit => "exit",
    };
    format!("{of}_lag_{bucket}")
}

/// An integrity check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Integrity {
    pub code: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

pub const EXIT_BEFORE_ENTRY: &str = "exit_before_entry";
pub const OVERLAPPING: &str = "overlapping";
pub const HEADS_NOT_ONE: &str = "heads_not_one";
pub const HEAD_EXITED_FIRST: &str = "head_exited_first";
pub const MISSING_ANNUAL: &str = "missing_annual";
pub const PAST_AUTO_EXIT: &str = "past_auto_exit";
pub const CHILD_HEAD: &str = "child_head";

/// The integrity checks, most serious first.
pub const INTEGRITY: &[Integrity] = &[
    Integrity {
        code: EXIT_BEFORE_ENTRY,
        title: "Exit before project start",
        description: "The exit date is earlier than the project start date.",
    },
    Integrity {
        code: OVERLAPPING,
        title: "Overlapping enrollments",
        description: "The client has another enrollment in the same project whose dates overlap this one.",
    },
    Integrity {
        code: HEADS_NOT_ONE,
        title: "Household without exactly one head",
        description: "The household has no head of household, or more than one.",
    },
    Integrity {
        code: HEAD_EXITED_FIRST,
        title: "Head exited before members",
        description: "The head of household exited while this member stayed, or exited later.",
    },
    Integrity {
        code: MISSING_ANNUAL,
        title: "Missing annual assessment",
        description: "An annual assessment window closed without an annual assessment.",
    },
    Integrity {
        code: PAST_AUTO_EXIT,
        title: "Open longer than the auto-exit setting",
        description: "No service or contact for longer than the project's auto-exit days, and still open.",
    },
    Integrity {
        code: CHILD_HEAD,
        title: "Child as head of household",
        description: "The head of household was under 18 at the project start.",
    },
];

/// The title of any count's code: an integrity check, a completeness column or a
/// timeliness bucket. None for an unknown code.
pub fn title_of(code: &str) -> Option<String> {
    if let Some(check) = INTEGRITY.iter().find(|c| c.code == code) {
        return Some(check.title.to_string());
    }
    for element in ELEMENTS {
        for (column, words) in [
            (Column::Universe, "all"),
            (
                Column::DontKnowRefused,
                "client doesn't know or prefers not to answer",
            ),
            (Column::Missing, "information missing"),
        ] {
            if element_code(element, column) == code {
                return Some(format!("{}: {words}", element.label));
            }
        }
    }
    for (of, words) in [
        (LagOf::Start, "Project starts entered"),
        (LagOf::Exit, "Exits entered"),
    ] {
        for (i, bucket) in LAG_BUCKETS.iter().enumerate() {
            if lag_code(of, i) == code {
                return Some(format!("{words} after {}", bucket_label(*bucket)));
            }
        }
    }
    None
}

/// A rate for people: "12.5%" (none of none: "—").
pub fn percent(count: usize, of: usize) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.1}%", count as f64 * 100.0 / of as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn answers_count_as_hud_counts_them() {
        assert_eq!(completeness(Some(1)), Completeness::Answered);
        assert_eq!(completeness(Some(0)), Completeness::Answered);
        assert_eq!(completeness(Some(8)), Completeness::DontKnowRefused);
        assert_eq!(completeness(Some(9)), Completeness::DontKnowRefused);
        assert_eq!(completeness(Some(99)), Completeness::Missing);
        assert_eq!(completeness(None), Completeness::Missing);
    }

    #[test]
    fn buckets_follow_the_apr() {
        let labels: Vec<String> = LAG_BUCKETS.iter().map(|b| bucket_label(*b)).collect();
        assert_eq!(
            labels,
            ["0 days", "1–3 days", "4–6 days", "7–10 days", "11 days or more"]
        );
        assert_eq!(
            [-2, 0, 1, 3, 4, 6, 7, 10, 11, 400].map(bucket_of),
            [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
        );
    }

    #[test]
    fn every_code_has_a_title() {
        for element in ELEMENTS {
            for column in [Column::Universe, Column::DontKnowRefused, Column::Missing] {
                assert!(title_of(&element_code(element, column)).is_some());
            }
        }
        for check in INTEGRITY {
            assert_eq!(title_of(check.code).as_deref(), Some(check.title));
        }
        assert_eq!(
            title_of(&lag_code(LagOf::Exit, 4)).as_deref(),
            Some("Exits entered after 11 days or more")
        );
        assert_eq!(title_of("nonsense"), None);
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(1, 8), "12.5%");
        assert_eq!(percent(0, 0), "—");
    }

    proptest! {
        /// Every lag falls in exactly one bucket, and later entry never falls in an
        /// earlier bucket.
        #[test]
        fn lags_fall_in_one_bucket_in_order(a in -30i64..2000, b in -30i64..2000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(bucket_of(lo) <= bucket_of(hi));
            let d = lo.max(0);
            let fits = LAG_BUCKETS.iter().filter(|(l, h)| d >= *l && h.is_none_or(|h| d <= h)).count();
            prop_assert_eq!(fits, 1);
        }

    }
}
