//! The code lists against HUD's lists and the rules on their codes.

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
    assert!(!NO_YES_REASONS_FOR_MISSING_DATA.is_missing(0) && !NO_YES_REASONS_FOR_MISSING_DATA.is_missing(1));
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

#[test]
fn labels_people_read_carry_no_notes_to_programmers() {
    assert_eq!(
        plain_label("Other source (specify in OtherIncomeSourceIdentify)"),
        "Other source"
    );
    assert_eq!(plain_label("Bed Night (TypeProvided=200)"), "Bed Night");
    assert_eq!(
        plain_label("Rental by client, with ongoing housing subsidy"),
        "Rental by client, with ongoing housing subsidy"
    );
    assert_eq!(
        plain_label("Client doesn't know (HUD)"),
        "Client doesn't know (HUD)"
    );
    assert_eq!(RECORD_TYPE.label(200), Some("Bed Night"));
    for list in [&INCOME_SOURCES, &NON_CASH_BENEFITS, &HEALTH_INSURANCE] {
        for code in list.values {
            let plain = plain_label(code.label);
            assert!(!plain.contains("Identify") && !plain.contains('='), "{plain}");
        }
    }
}
