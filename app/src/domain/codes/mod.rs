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
        self.get(code).map(|value| plain_label(value.label))
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

/// The database column of a HUD CSV column name: `SSIAmount` → `ssi_amount`,
/// `NoSCHIPReason` → `no_schip_reason`, `VADisabilityService` → `va_disability_service`.
/// A HUD label as people read it, without the specification's notes to programmers:
/// "Other source (specify in OtherIncomeSourceIdentify)" → "Other source",
/// "Bed Night (TypeProvided=200)" → "Bed Night".
pub fn plain_label(label: &'static str) -> &'static str {
    match label.find(" (") {
        Some(at) => {
            let note = &label[at + 2..];
            let for_programmers =
                note.starts_with("specify in ") || note.starts_with("list code per") || note.contains('=');
            if for_programmers { &label[..at] } else { label }
        }
        None => label,
    }
}

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

#[cfg(test)]
mod tests;

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
