//! HUD FY2026 HMIS code lists (the lists of the HMIS CSV specification's appendix) and the
//! rules on their codes.
//!
//! The tables are generated into `generated.rs` by `scripts/gen-hud-codes.py` from the
//! CSV copies in `lists/` (`lists/_index.csv` names every list). Integer-coded lists are
//! [`CodeList`]s; text-coded lists (2.03.1 CoC codes, V6.1 VAMC stations and the
//! column-name lists 2.09, 3.04, 4.02, 4.03, 4.04, W3) are [`TextCodeList`]s. The 8/9/99
//! missing-data convention lives in [`MissingReason`] and [`CodeList::missing_reason`].
//! Typed enums for the lists the workflow rules need are in `enums.rs`; their labels come
//! from the tables, so every label is written once.

use serde::{Deserialize, Serialize};

/// Defines a typed enum mirroring (part of) an integer-coded list: `code`, `from_code`,
/// `label` (read from the table), `ALL` and `list`, plus [`CodedEnum`].
macro_rules! hud_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $list:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $code, )+
        }

        impl $name {
            /// Every value, in the order of the HUD list.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The generated table this enum mirrors.
            pub fn list() -> &'static CodeList {
                &$list
            }

            /// The HUD integer code.
            pub const fn code(self) -> i32 {
                self as i32
            }

            /// The value for a HUD integer code; `None` when the code is not one of these.
            pub const fn from_code(code: i32) -> Option<Self> {
                match code {
                    $( $code => Some(Self::$variant), )+
                    _ => None,
                }
            }

            /// HUD's label for this value, from the generated table.
            pub fn label(self) -> &'static str {
                $list.label(self.code()).unwrap_or_default()
            }
        }

        impl CodedEnum for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn list() -> &'static CodeList {
                $name::list()
            }

            fn code(self) -> i32 {
                $name::code(self)
            }

            fn from_code(code: i32) -> Option<Self> {
                $name::from_code(code)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}

mod enums;
mod generated;

pub use enums::*;
pub use generated::*;

/// One value of an integer-coded HUD list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// The integer written to the HUD CSV export.
    pub code: i32,
    /// HUD's label, exactly as in the list file.
    pub label: &'static str,
    /// The `group` column: the living-situation group in 3.12, 3.917 and 4.12 (e.g.
    /// "Permanent housing situations"); the TypeProvided list number in the RecordType
    /// map (element "1.4x"). `None` for other lists.
    pub group: Option<&'static str>,
}

/// An integer-coded HUD list, e.g. [`PROJECT_TYPE`] (2.02.6).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CodeList {
    /// The list number in the HUD CSV specification, e.g. "2.02.6".
    pub element: &'static str,
    /// The list name from `lists/_index.csv`, e.g. "ProjectType".
    pub name: &'static str,
    /// The values in the list file's order.
    pub values: &'static [Code],
}

impl CodeList {
    /// The entry for `code`.
    pub fn get(&self, code: i32) -> Option<&'static Code> {
        let values: &'static [Code] = self.values;
        values.iter().find(|value| value.code == code)
    }

    /// HUD's label for `code`.
    pub fn label(&self, code: i32) -> Option<&'static str> {
        self.get(code).map(|value| value.label)
    }

    /// Whether `code` is in the list.
    pub fn contains(&self, code: i32) -> bool {
        self.get(code).is_some()
    }

    /// The codes, in the list file's order.
    pub fn codes(&self) -> impl ExactSizeIterator<Item = i32> + use<> {
        let values: &'static [Code] = self.values;
        values.iter().map(|value| value.code)
    }

    /// The `group` column for `code` (see [`Code::group`]).
    pub fn group(&self, code: i32) -> Option<&'static str> {
        self.get(code).and_then(|value| value.group)
    }

    /// Whether the list takes all three missing-data responses 8, 9 and 99 (as 1.8 does;
    /// 1.7 takes only 99 and 1.10 none).
    pub fn allows_missing_reasons(&self) -> bool {
        MissingReason::ALL
            .iter()
            .all(|reason| self.contains(reason.code()))
    }

    /// The missing-data response `code` stands for in this list, if any.
    ///
    /// The code must be in the list, and 8 and 9 only count when the list gives them the
    /// missing-data label: in 2.02.6 ProjectType 8 is Safe Haven, in 1.3 DisabilityType 8
    /// is HIV/AIDS. 99 means "data not collected" in every list that has it.
    pub fn missing_reason(&self, code: i32) -> Option<MissingReason> {
        let reason = MissingReason::from_code(code)?;
        let label = self.label(code)?;
        (reason == MissingReason::DataNotCollected || label == reason.label()).then_some(reason)
    }

    /// Whether `code` is a missing-data response (8/9/99) in this list.
    pub fn is_missing(&self, code: i32) -> bool {
        self.missing_reason(code).is_some()
    }

    /// `Ok` when `code` is in the list, otherwise an error naming the list.
    pub fn check(&self, code: i32) -> Result<(), CodeError> {
        if self.contains(code) {
            Ok(())
        } else {
            Err(CodeError::NotInList {
                element: self.element,
                list: self.name,
                code,
            })
        }
    }
}

/// One value of a text-coded HUD list: a CoC code ("MO-500"), a VAMC station ("528A7")
/// or a CSV column name ("Earned").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextCode {
    /// The text written to the HUD CSV export (or the column name).
    pub code: &'static str,
    /// HUD's label, exactly as in the list file.
    pub label: &'static str,
    /// The list file's third column (see [`TextCodeList::column_kind`]): the amount column
    /// in 4.02 ("EarnedAmount"), the reason column in 4.04 and W3 ("NoMedicaidReason"),
    /// the value list in 3.04. `None` when the file has no such column or it is empty.
    pub column: Option<&'static str>,
}

/// A text-coded HUD list, e.g. [`COC_CODES`] (2.03.1) or [`INCOME_SOURCES`] (4.02).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct TextCodeList {
    /// The list number in the HUD CSV specification, e.g. "2.03.1".
    pub element: &'static str,
    /// The list name from `lists/_index.csv`, e.g. "CoCCodes".
    pub name: &'static str,
    /// The header of the list file's third column, which [`TextCode::column`] holds:
    /// "amount_column", "reason_column" or "values".
    pub column_kind: Option<&'static str>,
    /// The values in the list file's order.
    pub values: &'static [TextCode],
}

impl TextCodeList {
    /// The entry for `code` (exact, case-sensitive).
    pub fn get(&self, code: &str) -> Option<&'static TextCode> {
        let values: &'static [TextCode] = self.values;
        values.iter().find(|value| value.code == code)
    }

    /// HUD's label for `code`.
    pub fn label(&self, code: &str) -> Option<&'static str> {
        self.get(code).map(|value| value.label)
    }

    /// Whether `code` is in the list.
    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }

    /// The codes, in the list file's order.
    pub fn codes(&self) -> impl ExactSizeIterator<Item = &'static str> + use<> {
        let values: &'static [TextCode] = self.values;
        values.iter().map(|value| value.code)
    }

    /// The third column for `code` (see [`TextCode::column`]).
    pub fn column(&self, code: &str) -> Option<&'static str> {
        self.get(code).and_then(|value| value.column)
    }

    /// `Ok` when `code` is in the list, otherwise an error naming the list.
    pub fn check(&self, code: &str) -> Result<(), CodeError> {
        if self.contains(code) {
            Ok(())
        } else {
            Err(CodeError::NotInTextList {
                element: self.element,
                list: self.name,
                code: code.to_owned(),
            })
        }
    }
}

/// A code that is not in the HUD list it was checked against.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// An integer code outside an integer-coded list.
    #[error("{code} is not {} {list} code", a_or_an(.list))]
    NotInList {
        /// The list number, e.g. "2.02.6".
        element: &'static str,
        /// The list name, e.g. "ProjectType".
        list: &'static str,
        /// The rejected code.
        code: i32,
    },
    /// A text code outside a text-coded list.
    #[error("{code:?} is not {} {list} code", a_or_an(.list))]
    NotInTextList {
        /// The list number, e.g. "2.03.1".
        element: &'static str,
        /// The list name, e.g. "CoCCodes".
        list: &'static str,
        /// The rejected code.
        code: String,
    },
}

fn a_or_an(word: &str) -> &'static str {
    match word.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U' | 'a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// A typed enum over an integer-coded HUD list (implemented by every enum in this module),
/// for code that works on any of them, such as a select box.
pub trait CodedEnum: Copy + Sized + 'static {
    /// Every value, in the order of the HUD list.
    const ALL: &'static [Self];
    /// The generated table the enum mirrors.
    fn list() -> &'static CodeList;
    /// The HUD integer code.
    fn code(self) -> i32;
    /// The value for a HUD integer code.
    fn from_code(code: i32) -> Option<Self>;
    /// HUD's label, from the generated table.
    fn label(self) -> &'static str;
}

hud_enum! {
    /// The HUD missing-data responses ("8/9/99"), with the labels of list 1.8
    /// NoYesReasonsForMissingData. Never valid together with a real answer. Lists 1.7
    /// NoYesMissing (0/1/99) and 1.10 NoYes (0/1) do not take 8 and 9; see
    /// [`CodeList::missing_reason`] for whether a list uses them.
    pub enum MissingReason in NO_YES_REASONS_FOR_MISSING_DATA {
        /// 8 "Client doesn't know".
        ClientDoesntKnow = 8,
        /// 9 "Client prefers not to answer" ("Client refused" before FY2024).
        ClientPrefersNotToAnswer = 9,
        /// 99 "Data not collected".
        DataNotCollected = 99,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A minimal RFC 4180 reader for the list files (quoted fields, doubled quotes, CRLF).
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match (quoted, ch) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (true, _) => field.push(ch),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, _) => field.push(ch),
            }
        }
        if !field.is_empty() || !row.is_empty() {
            row.push(field);
            rows.push(row);
        }
        rows
    }

    /// The data rows of a list file, as (code, label, third column).
    fn csv_rows(text: &str) -> Vec<(String, String, Option<String>)> {
        parse_csv(text)
            .into_iter()
            .skip(1)
            .map(|r| {
                (
                    r[0].clone(),
                    r[1].clone(),
                    r.get(2).filter(|s| !s.is_empty()).cloned(),
                )
            })
            .collect()
    }

    const INDEX: &str = include_str!("lists/_index.csv");

    #[test]
    fn every_indexed_list_is_generated_with_its_value_count() {
        let rows = parse_csv(INDEX);
        assert_eq!(rows[0][..4], ["list", "name", "file", "values"]);
        let rows = &rows[1..];
        assert_eq!(rows.len(), 108);
        for row in rows {
            let (element, name, file) = (row[0].as_str(), row[1].as_str(), row[2].as_str());
            let count: usize = row[3].parse().unwrap();
            let ints: Vec<usize> = if file.contains("fy2024_deprecated/") {
                DEPRECATED_FY2024
                    .iter()
                    .filter(|l| l.element == element && l.name == name)
                    .map(|l| l.values.len())
                    .collect()
            } else {
                ALL.iter()
                    .filter(|l| l.element == element && l.name == name)
                    .map(|l| l.values.len())
                    .collect()
            };
            let texts: Vec<usize> = ALL_TEXT
                .iter()
                .filter(|l| l.element == element && l.name == name)
                .map(|l| l.values.len())
                .collect();
            let found: Vec<usize> = ints.into_iter().chain(texts).collect();
            assert_eq!(found, [count], "{element} {name} ({file})");
        }
        assert_eq!(ALL.len() + ALL_TEXT.len() + DEPRECATED_FY2024.len(), rows.len());
        assert_eq!((ALL.len(), ALL_TEXT.len(), DEPRECATED_FY2024.len()), (96, 8, 4));
    }

    #[test]
    fn generated_tables_match_list_files_exactly() {
        let int_files: [(&CodeList, &str); 6] = [
            (&PROJECT_TYPE, include_str!("lists/2.02.6_project_type.csv")),
            (&DESTINATION, include_str!("lists/3.12_destination.csv")),
            (
                &PRIOR_LIVING_SITUATION,
                include_str!("lists/3.917_prior_living_situation.csv"),
            ),
            (
                &PREFERRED_LANGUAGE,
                include_str!("lists/C4.A_preferred_language.csv"),
            ),
            (
                &RECORD_TYPE_TO_TYPE_PROVIDED_LIST,
                include_str!("lists/4.14_record_type_to_type_provided_list.csv"),
            ),
            (
                &GENDER_FY2024,
                include_str!("lists/fy2024_deprecated/3.6.1_gender.csv"),
            ),
        ];
        for (list, text) in int_files {
            let expected = csv_rows(text);
            let actual: Vec<_> = list
                .values
                .iter()
                .map(|c| (c.code.to_string(), c.label.to_owned(), c.group.map(str::to_owned)))
                .collect();
            assert_eq!(actual, expected, "{}", list.name);
        }
        let text_files: [(&TextCodeList, &str); 5] = [
            (&COC_CODES, include_str!("lists/2.03.1_coc_codes.csv")),
            (
                &VAMC_STATION_NUMBER,
                include_str!("lists/V6.1_vamc_station_number.csv"),
            ),
            (&INCOME_SOURCES, include_str!("lists/4.02_income_sources.csv")),
            (&HEALTH_INSURANCE, include_str!("lists/4.04_health_insurance.csv")),
            (
                &RACE_ETHNICITY_COLUMNS,
                include_str!("lists/3.04_race_ethnicity_columns.csv"),
            ),
        ];
        for (list, text) in text_files {
            let expected = csv_rows(text);
            let actual: Vec<_> = list
                .values
                .iter()
                .map(|c| (c.code.to_owned(), c.label.to_owned(), c.column.map(str::to_owned)))
                .collect();
            assert_eq!(actual, expected, "{}", list.name);
        }
        // Non-ASCII punctuation survives as is.
        assert_eq!(
            PRIOR_LIVING_SITUATION.label(335),
            Some("Staying or living in a family member\u{2019}s room, apartment, or house")
        );
        assert_eq!(
            COC_CODES
                .label("MO-604")
                .map(|l| l.contains("Lee\u{2019}s Summit")),
            Some(true)
        );
    }

    #[test]
    fn codes_are_unique_and_labels_present_in_every_list() {
        for list in ALL.iter().chain(DEPRECATED_FY2024) {
            let mut codes: Vec<i32> = list.codes().collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.values.len(), "{}", list.name);
            assert!(
                list.values.iter().all(|c| !c.label.trim().is_empty()),
                "{}",
                list.name
            );
        }
        for list in ALL_TEXT {
            let mut codes: Vec<&str> = list.codes().collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.values.len(), "{}", list.name);
            assert!(
                list.values.iter().all(|c| !c.label.trim().is_empty()),
                "{}",
                list.name
            );
        }
    }

    #[test]
    fn lookups_by_element_and_name() {
        assert!(std::ptr::eq(by_element("2.02.6").unwrap(), &PROJECT_TYPE));
        assert!(std::ptr::eq(by_name("ProjectType").unwrap(), &PROJECT_TYPE));
        assert!(std::ptr::eq(by_name("Destination").unwrap(), &DESTINATION));
        assert!(std::ptr::eq(
            by_name("NoYesReasonsForMissingData").unwrap(),
            &NO_YES_REASONS_FOR_MISSING_DATA
        ));
        assert!(std::ptr::eq(by_element("1.7").unwrap(), &NO_YES_MISSING));
        assert!(std::ptr::eq(by_element("1.10").unwrap(), &NO_YES));
        // W3 is both an integer list (reasons) and a column-name list.
        assert!(std::ptr::eq(by_element("W3").unwrap(), &NO_ASSISTANCE_REASON));
        assert!(std::ptr::eq(text_by_element("W3").unwrap(), &MEDICAL_ASSISTANCE));
        assert!(std::ptr::eq(text_by_element("2.03.1").unwrap(), &COC_CODES));
        assert!(std::ptr::eq(text_by_name("CoCCodes").unwrap(), &COC_CODES));
        // FY2024-only lists are not found among the current ones.
        assert!(by_element("3.6.1").is_none());
        assert!(by_name("Gender").is_none());
        assert!(by_element("").is_none() && by_name("projecttype").is_none());
        for list in ALL {
            assert!(std::ptr::eq(by_element(list.element).unwrap(), *list));
            assert!(std::ptr::eq(by_name(list.name).unwrap(), *list));
        }
        for list in ALL_TEXT {
            assert!(std::ptr::eq(text_by_element(list.element).unwrap(), *list));
            assert!(std::ptr::eq(text_by_name(list.name).unwrap(), *list));
        }
    }

    #[test]
    fn list_methods() {
        assert_eq!(PROJECT_TYPE.label(0), Some("Emergency Shelter - Entry Exit"));
        assert_eq!(PROJECT_TYPE.label(5), None);
        assert!(PROJECT_TYPE.contains(14) && !PROJECT_TYPE.contains(5));
        assert_eq!(
            PROJECT_TYPE.codes().collect::<Vec<_>>(),
            [0, 1, 2, 3, 4, 6, 8, 9, 7, 10, 11, 12, 13, 14]
        );
        assert_eq!(DESTINATION.group(435), Some("Permanent housing situations"));
        assert_eq!(PROJECT_TYPE.group(1), None);
        assert_eq!(RECORD_TYPE_TO_TYPE_PROVIDED_LIST.group(200), Some("4.14"));
        assert_eq!(INCOME_SOURCES.column("Earned"), Some("EarnedAmount"));
        assert_eq!(INCOME_SOURCES.column_kind, Some("amount_column"));
        assert_eq!(HEALTH_INSURANCE.column("Medicaid"), Some("NoMedicaidReason"));
        assert_eq!(HEALTH_INSURANCE.column("OtherInsurance"), None);
        assert_eq!(COC_CODES.label("MO-500"), Some("St. Louis County CoC"));
        assert!(COC_CODES.contains("MO-500") && !COC_CODES.contains("mo-500"));
        assert_eq!(COC_CODES.codes().len(), 388);
    }

    #[test]
    fn check_accepts_listed_codes_and_names_the_list_otherwise() {
        for list in ALL.iter().chain(DEPRECATED_FY2024) {
            for code in list.codes() {
                assert_eq!(list.check(code), Ok(()), "{code} in {}", list.name);
            }
        }
        for list in ALL_TEXT {
            for code in list.codes() {
                assert_eq!(list.check(code), Ok(()), "{code} in {}", list.name);
            }
        }
        let err = PROJECT_TYPE.check(99).unwrap_err();
        assert_eq!(err.to_string(), "99 is not a ProjectType code");
        assert_eq!(
            err,
            CodeError::NotInList {
                element: "2.02.6",
                list: "ProjectType",
                code: 99
            }
        );
        assert_eq!(
            EXPORT_PERIOD_TYPE.check(2).unwrap_err().to_string(),
            "2 is not an ExportPeriodType code"
        );
        assert_eq!(
            COC_CODES.check("MO-999").unwrap_err().to_string(),
            "\"MO-999\" is not a CoCCodes code"
        );
    }

    #[test]
    fn missing_reasons_follow_the_lists() {
        // 1.8 takes all three.
        assert!(NO_YES_REASONS_FOR_MISSING_DATA.allows_missing_reasons());
        for reason in MissingReason::ALL {
            assert_eq!(NO_YES_REASONS_FOR_MISSING_DATA.check(reason.code()), Ok(()));
            assert_eq!(
                NO_YES_REASONS_FOR_MISSING_DATA.missing_reason(reason.code()),
                Some(*reason)
            );
        }
        assert!(
            !NO_YES_REASONS_FOR_MISSING_DATA.is_missing(0) && !NO_YES_REASONS_FOR_MISSING_DATA.is_missing(1)
        );
        // 1.7 takes 99 only.
        assert!(!NO_YES_MISSING.allows_missing_reasons());
        assert_eq!(NO_YES_MISSING.codes().collect::<Vec<_>>(), [0, 1, 99]);
        assert_eq!(
            NO_YES_MISSING.check(8).unwrap_err().to_string(),
            "8 is not a NoYesMissing code"
        );
        assert!(NO_YES_MISSING.check(9).is_err());
        assert_eq!(
            NO_YES_MISSING.missing_reason(99),
            Some(MissingReason::DataNotCollected)
        );
        assert!(!NO_YES_MISSING.is_missing(8));
        // 1.10 takes none.
        assert!(!NO_YES.allows_missing_reasons());
        assert_eq!(NO_YES.codes().collect::<Vec<_>>(), [0, 1]);
        for reason in MissingReason::ALL {
            assert!(NO_YES.check(reason.code()).is_err());
            assert!(!NO_YES.is_missing(reason.code()));
        }
        // 8 and 9 are real answers in some lists.
        assert!(PROJECT_TYPE.contains(8) && !PROJECT_TYPE.is_missing(8) && !PROJECT_TYPE.is_missing(9));
        assert!(!DISABILITY_TYPE.is_missing(8));
        assert!(!PROJECT_TYPE.allows_missing_reasons());
        // 3.07.1 and 4.11.B use the values of 1.8.
        assert_eq!(VETERAN_STATUS.values, NO_YES_REASONS_FOR_MISSING_DATA.values);
        assert_eq!(CURRENTLY_FLEEING.values, NO_YES_REASONS_FOR_MISSING_DATA.values);
        assert_eq!(MissingReason::from_code(8), Some(MissingReason::ClientDoesntKnow));
        assert_eq!(MissingReason::from_code(0), None);
        assert_eq!(
            MissingReason::ClientPrefersNotToAnswer.label(),
            "Client prefers not to answer"
        );
    }

    #[test]
    fn missing_labels_are_uniform_across_lists() {
        for list in ALL.iter().chain(DEPRECATED_FY2024) {
            if list.allows_missing_reasons() {
                for reason in MissingReason::ALL {
                    assert_eq!(list.label(reason.code()), Some(reason.label()), "{}", list.name);
                }
            }
            // 99 is never a real answer.
            if let Some(label) = list.label(99) {
                assert!(
                    label.to_lowercase().contains("not collected"),
                    "{}: {label}",
                    list.name
                );
                assert!(list.is_missing(99));
            }
        }
    }

    fn any_code() -> impl Strategy<Value = i32> {
        prop_oneof![any::<i32>(), -2i32..1000]
    }

    proptest! {
        #[test]
        fn contains_agrees_with_check(code in any_code()) {
            for list in ALL.iter().chain(DEPRECATED_FY2024) {
                prop_assert_eq!(list.contains(code), list.check(code).is_ok(), "{} {}", list.name, code);
                prop_assert_eq!(list.label(code).is_some(), list.contains(code));
                if list.is_missing(code) {
                    prop_assert!(list.contains(code) && MissingReason::from_code(code).is_some());
                }
            }
        }

        #[test]
        fn text_contains_agrees_with_check(code in "[A-Z]{2}-[0-9]{3}|[0-9]{3}[A-Z0-9]{0,2}|[A-Za-z]{0,20}|\\PC{0,8}") {
            for list in ALL_TEXT {
                prop_assert_eq!(list.contains(&code), list.check(&code).is_ok(), "{} {}", list.name, code);
            }
        }
    }
}

/// The database column of a HUD CSV column name: `SSIAmount` → `ssi_amount`,
/// `NoSCHIPReason` → `no_schip_reason`, `VADisabilityService` → `va_disability_service`.
pub fn column_name(hud: &str) -> String {
    let chars: Vec<char> = hud.chars().collect();
    let mut out = String::with_capacity(hud.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod column_name_tests {
    use super::*;

    #[test]
    fn hud_names_become_the_entity_columns() {
        assert_eq!(column_name("SSIAmount"), "ssi_amount");
        assert_eq!(column_name("NoSCHIPReason"), "no_schip_reason");
        assert_eq!(column_name("VADisabilityService"), "va_disability_service");
        assert_eq!(column_name("TANFChildCare"), "tanf_child_care");
        assert_eq!(column_name("OtherTANF"), "other_tanf");
        assert_eq!(column_name("NoVHAReason"), "no_vha_reason");
        assert_eq!(column_name("Earned"), "earned");
    }

    #[test]
    fn every_benefit_and_insurance_column_exists_in_the_model() {
        // The income, benefit and insurance lists name IncomeBenefits.csv columns.
        for list in [&INCOME_SOURCES, &NON_CASH_BENEFITS, &HEALTH_INSURANCE] {
            for code in list.values {
                let name = column_name(code.code);
                assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
            }
        }
    }
}

/// 3.04 race and ethnicity: the Client.csv columns (as database columns) and their labels.
pub const RACES: [(&str, &str); 7] = [
    (
        "am_ind_ak_native",
        "American Indian, Alaska Native, or Indigenous",
    ),
    ("asian", "Asian or Asian American"),
    ("black_af_american", "Black, African American, or African"),
    ("hispanic_latinao", "Hispanic/Latina/e/o"),
    ("mid_east_n_african", "Middle Eastern or North African"),
    ("native_hi_pacific", "Native Hawaiian or Pacific Islander"),
    ("white", "White"),
];
