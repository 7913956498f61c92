//! Reading a step's answers (field name → posted text) into typed values, collecting
//! every problem as a field error so the page shows them all at once.

use chrono::NaiveDate;

use crate::domain::codes::{CodeList, NO_YES_REASONS_FOR_MISSING_DATA};
use crate::domain::input::form_date;
use crate::error::{AppError, FieldError};
use crate::ui::fields::{Answers, FieldSpec};

pub fn text(answers: &Answers, key: &str) -> Option<String> {
    answers
        .get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub fn ticked(answers: &Answers, key: &str) -> bool {
    answers.get(key).is_some_and(|v| v == "yes")
}

/// A code answer: absent when empty, an error when not in `list`.
pub fn code(answers: &Answers, key: &str, list: &CodeList, errors: &mut Vec<FieldError>) -> Option<i32> {
    let value = text(answers, key)?;
    match value.parse::<i32>() {
        Ok(code) if list.contains(code) => Some(code),
        _ => {
            errors.push(FieldError::new(key, "Choose a value from the list."));
            None
        }
    }
}

pub fn required_code(
    answers: &Answers,
    key: &str,
    list: &CodeList,
    errors: &mut Vec<FieldError>,
) -> Option<i32> {
    let value = code(answers, key, list, errors);
    if value.is_none() && !errors.iter().any(|e| e.field == key) {
        errors.push(FieldError::new(key, "Required."));
    }
    value
}

pub fn date(answers: &Answers, key: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let value = text(answers, key)?;
    FieldError::date(key, Some(&value)).unwrap_or_else(|error| {
        errors.push(error);
        None
    })
}

/// A date answer read without reporting (for pages deciding what to show).
pub fn date_answer(answers: Option<&Answers>, key: &str) -> Option<NaiveDate> {
    answers
        .and_then(|a| text(a, key))
        .and_then(|d| form_date(&d).ok().flatten())
}

pub fn money(answers: &Answers, key: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let value = text(answers, key)?;
    match value.replace([',', '$'], "").parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..1_000_000.0).contains(&n) => Some((n * 100.0).round() / 100.0),
        _ => {
            errors.push(FieldError::new(
                key,
                "Enter a monthly amount in dollars, 0 or more.",
            ));
            None
        }
    }
}

pub fn validation(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// `fields` showing the values of `answers`.
pub fn with_values(mut fields: Vec<FieldSpec>, answers: &Answers) -> Vec<FieldSpec> {
    for field in &mut fields {
        if let Some(value) = answers.get(&field.name) {
            field.value = value.clone();
        }
    }
    fields
}

/// A HUD "No / Yes / Client doesn't know / prefers not to answer / not collected" field.
pub fn yes_no_reasons(name: &str, label: &str) -> FieldSpec {
    FieldSpec::code(name, label, &NO_YES_REASONS_FOR_MISSING_DATA)
}

/// A date as a form value.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
