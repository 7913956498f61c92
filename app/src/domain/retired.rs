//! What FY2024 collected and FY2026 retired, as a person reads it. An FY2024 export
//! holds the client's gender (3.06, one 0/1 column per identity, `GenderNone` for a
//! reason it is missing, `DifferentIdentityText`) and, per enrollment, sexual
//! orientation (R3) and translation assistance (C4). FY2026 has no columns for them
//! and defines no mapping to its own elements (4.21 Sex is asked anew), so an import
//! keeps them as written (HUD's column names to values) and the record shows them
//! under "Recorded before FY2026".

use std::collections::BTreeMap;

use super::codes::{GENDER_FY2024, NO_YES_REASONS_FOR_MISSING_DATA, SEXUAL_ORIENTATION_FY2024};

/// Client.csv columns FY2026 retired, in FY2024's order.
pub const CLIENT_COLUMNS: [&str; 9] = [
    "Woman",
    "Man",
    "NonBinary",
    "CulturallySpecific",
    "Transgender",
    "Questioning",
    "DifferentIdentity",
    "GenderNone",
    "DifferentIdentityText",
];

/// Enrollment.csv columns FY2026 retired, in FY2024's order.
pub const ENROLLMENT_COLUMNS: [&str; 5] = [
    "SexualOrientation",
    "SexualOrientationOther",
    "TranslationNeeded",
    "PreferredLanguage",
    "PreferredLanguageDifferent",
];

/// The retired columns of an HMIS CSV file (none for a file FY2026 left as it was).
pub fn columns(file: &str) -> &'static [&'static str] {
    match file {
        "Client.csv" => &CLIENT_COLUMNS,
        "Enrollment.csv" => &ENROLLMENT_COLUMNS,
        _ => &[],
    }
}

/// Each gender column's code in list 3.6.1.
const GENDER_CODES: [(&str, i32); 7] = [
    ("Woman", 0),
    ("Man", 1),
    ("CulturallySpecific", 2),
    ("DifferentIdentity", 3),
    ("NonBinary", 4),
    ("Transgender", 5),
    ("Questioning", 6),
];

/// A record's retired elements as (label, value) lines, in a fixed order; empty values
/// and unreadable codes are shown as written, never guessed at.
pub fn describe(elements: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let value = |column: &str| elements.get(column).map(|v| v.trim()).filter(|v| !v.is_empty());
    let coded = |column: &str, list: &crate::domain::codes::CodeList| {
        value(column).map(|v| {
            v.parse::<i32>()
                .ok()
                .and_then(|code| list.label(code))
                .map_or_else(|| format!("code {v}"), str::to_string)
        })
    };
    let mut lines = Vec::new();
    let genders: Vec<&str> = GENDER_CODES
        .iter()
        .filter(|(column, _)| value(column) == Some("1"))
        .filter_map(|(_, code)| GENDER_FY2024.label(*code))
        .collect();
    let gender = if genders.is_empty() {
        coded("GenderNone", &GENDER_FY2024)
    } else {
        Some(genders.join("; "))
    };
    let lines_of = [
        ("Gender", gender),
        (
            "Gender, different identity",
            value("DifferentIdentityText").map(str::to_string),
        ),
        (
            "Sexual orientation",
            coded("SexualOrientation", &SEXUAL_ORIENTATION_FY2024),
        ),
        (
            "Sexual orientation, other",
            value("SexualOrientationOther").map(str::to_string),
        ),
        (
            "Translation assistance needed",
            coded("TranslationNeeded", &NO_YES_REASONS_FOR_MISSING_DATA),
        ),
        (
            "Preferred language (FY2024 list C4.B)",
            value("PreferredLanguage").map(|v| format!("code {v}")),
        ),
        (
            "Preferred language, different",
            value("PreferredLanguageDifferent").map(str::to_string),
        ),
    ];
    for (label, shown) in lines_of {
        if let Some(shown) = shown {
            lines.push((label.to_string(), shown));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn genders_marked_yes_are_listed_and_none_gives_its_reason() {
        let lines = describe(&elements(&[
            ("Woman", "1"),
            ("Man", "0"),
            ("Transgender", "1"),
            ("GenderNone", ""),
            ("DifferentIdentityText", " "),
        ]));
        assert_eq!(
            lines,
            vec![(
                "Gender".to_string(),
                "Woman (Girl, if child); Transgender".to_string()
            )]
        );
        let lines = describe(&elements(&[("Woman", "0"), ("GenderNone", "9")]));
        assert_eq!(lines[0].1, "Client prefers not to answer");
    }

    #[test]
    fn enrollment_elements_read_their_lists_and_keep_unknown_codes_as_written() {
        let lines = describe(&elements(&[
            ("SexualOrientation", "6"),
            ("SexualOrientationOther", "Pansexual"),
            ("TranslationNeeded", "1"),
            ("PreferredLanguage", "367"),
        ]));
        let labels: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Sexual orientation",
                "Sexual orientation, other",
                "Translation assistance needed",
                "Preferred language (FY2024 list C4.B)"
            ]
        );
        assert_eq!(lines[0].1, "Other");
        assert_eq!(lines[2].1, "Yes");
        assert_eq!(
            describe(&elements(&[("SexualOrientation", "42")]))[0].1,
            "code 42"
        );
        assert!(describe(&BTreeMap::new()).is_empty());
    }
}
