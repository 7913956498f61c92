//! The entry assessment page shared by the intake and Edit Project Entry: 3.917 prior
//! living situation and 3.08 disabling condition (enrollment columns), then the stage
//! pages (income, benefits, insurance, disabilities, DV) — its fields, its checks and
//! the enrollment's answers read back.

use chrono::NaiveDate;
use sea_orm::Value;

use super::answers::{code, date, required_code, validation, yes_no_reasons};
use super::assessment;
use crate::db::entities::enrollment;
use crate::domain::codes::{
    MONTHS_HOMELESS_PAST_THREE_YEARS, NO_YES, NO_YES_REASONS_FOR_MISSING_DATA, PRIOR_LIVING_SITUATION,
    ProjectType, RESIDENCE_PRIOR_LENGTH_OF_STAY, TIMES_HOMELESS_PAST_THREE_YEARS,
};
use crate::domain::household::Collected;
use crate::error::{AppError, FieldError};
use crate::ui::fields::{Answers, FieldKind, FieldSpec};

/// The entry page's fields for a member who answers what `collected` says, in a
/// project of `project_type`.
pub fn fields(collected: Collected, project_type: Option<ProjectType>) -> Vec<FieldSpec> {
    let mut fields = Vec::new();
    if collected.prior_living_situation {
        let breaks = project_type.is_none_or(crate::domain::household::asks_homelessness_break);
        // HUD's institutional, temporary and permanent situations are codes 200–499.
        let (not_homeless, homeless_or_unknown): (Vec<_>, Vec<_>) = PRIOR_LIVING_SITUATION
            .values
            .iter()
            .map(|c| c.code)
            .partition(|c| (200..500).contains(c));
        // Where a break in homelessness is asked, the homeless history (when this
        // episode started, times and months homeless) follows a homeless situation (or
        // one not known), or a short stay elsewhere after a night on the streets or in
        // shelter.
        let history = |question: FieldSpec| {
            if !breaks {
                return question;
            }
            question
                .when("living_situation", &homeless_or_unknown)
                .or_when("previous_street_essh", [1])
        };
        fields.extend([
            FieldSpec::section("3.917 Prior living situation"),
            FieldSpec::code(
                "living_situation",
                "Type of residence before project start",
                &PRIOR_LIVING_SITUATION,
            )
            .required(),
            FieldSpec::code(
                "length_of_stay",
                "Length of stay in that residence",
                &RESIDENCE_PRIOR_LENGTH_OF_STAY,
            )
            .required(),
            history(FieldSpec::new(
                "date_to_street_essh",
                "Approximate date this episode of homelessness started",
                FieldKind::Date,
            )),
            history(FieldSpec::code(
                "times_homeless_past_three_years",
                "Times on the streets, in shelter or safe haven in the past three years",
                &TIMES_HOMELESS_PAST_THREE_YEARS,
            )),
            history(FieldSpec::code(
                "months_homeless_past_three_years",
                "Total months homeless in the past three years",
                &MONTHS_HOMELESS_PAST_THREE_YEARS,
            )),
        ]);
        if breaks {
            // After "Length of stay": the break-in-homelessness questions.
            let at = fields
                .iter()
                .position(|f| f.name == "length_of_stay")
                .map_or(fields.len(), |i| i + 1);
            // Asked after an institutional, temporary or permanent situation, the
            // night before only after a short stay.
            let questions = vec![
                FieldSpec::code(
                    "los_under_threshold",
                    "Was the stay less than 90 days (7 nights for a place not meant for habitation)?",
                    &NO_YES,
                )
                .when("living_situation", not_homeless),
                FieldSpec::code(
                    "previous_street_essh",
                    "On the night before, stayed on the streets, in emergency shelter or a safe haven?",
                    &NO_YES,
                )
                .when("los_under_threshold", [1]),
            ];
            fields.splice(at..at, questions);
        }
    }
    fields.push(FieldSpec::section("3.08 Disabling condition"));
    fields.push(yes_no_reasons("disabling_condition", "Disabling condition").required());
    fields.extend(assessment::fields(collected));
    fields
}

/// The entry step's answers, checked, ready to write.
#[derive(Default)]
pub struct EntryAnswers {
    /// Enrollment columns (3.917, 3.08).
    pub enrollment: Vec<(&'static str, Value)>,
    /// Income, health insurance, disabilities, DV.
    pub stage: assessment::StageAnswers,
}

/// Checks the entry page's answers (`entry`: the project start date).
pub fn check(answers: &Answers, collected: Collected, entry: NaiveDate) -> Result<EntryAnswers, AppError> {
    let mut errors = Vec::new();
    let mut out = EntryAnswers::default();
    let int = |v: Option<i32>| Value::Int(v);
    if collected.prior_living_situation {
        let living = required_code(answers, "living_situation", &PRIOR_LIVING_SITUATION, &mut errors);
        let stay = required_code(
            answers,
            "length_of_stay",
            &RESIDENCE_PRIOR_LENGTH_OF_STAY,
            &mut errors,
        );
        let under = code(answers, "los_under_threshold", &NO_YES, &mut errors);
        let street = code(answers, "previous_street_essh", &NO_YES, &mut errors);
        let started = date(answers, "date_to_street_essh", &mut errors);
        if started.is_some_and(|d| d > entry) {
            errors.push(FieldError::new(
                "date_to_street_essh",
                "This date is on or before the project start date.",
            ));
        }
        let times = code(
            answers,
            "times_homeless_past_three_years",
            &TIMES_HOMELESS_PAST_THREE_YEARS,
            &mut errors,
        );
        let months = code(
            answers,
            "months_homeless_past_three_years",
            &MONTHS_HOMELESS_PAST_THREE_YEARS,
            &mut errors,
        );
        out.enrollment.extend([
            ("living_situation", int(living)),
            ("length_of_stay", int(stay)),
            ("los_under_threshold", int(under)),
            ("previous_street_essh", int(street)),
            ("date_to_street_essh", Value::ChronoDate(started)),
            ("times_homeless_past_three_years", int(times)),
            ("months_homeless_past_three_years", int(months)),
        ]);
    }
    let disabling = required_code(
        answers,
        "disabling_condition",
        &NO_YES_REASONS_FOR_MISSING_DATA,
        &mut errors,
    );
    out.enrollment.push(("disabling_condition", int(disabling)));

    let stage = assessment::check(answers, collected, &mut errors);
    let long_term = stage.long_term_disability;
    out.stage = stage;
    if long_term && disabling.is_some_and(|d| d != 1) {
        errors.push(FieldError::new(
            "disabling_condition",
            "A long-continuing disability is recorded below: the disabling condition is \"Yes\".",
        ));
    }
    validation(errors)?;
    Ok(out)
}

/// The entry page's enrollment answers (3.917, 3.08) as recorded on an enrollment.
pub fn enrollment_answers(last: &enrollment::Model) -> Answers {
    let mut a = Answers::new();
    let num = |v: Option<i32>| v.map(|n| n.to_string());
    for (key, value) in [
        ("living_situation", num(last.living_situation)),
        ("length_of_stay", num(last.length_of_stay)),
        ("los_under_threshold", num(last.los_under_threshold)),
        ("previous_street_essh", num(last.previous_street_essh)),
        (
            "times_homeless_past_three_years",
            num(last.times_homeless_past_three_years),
        ),
        (
            "months_homeless_past_three_years",
            num(last.months_homeless_past_three_years),
        ),
        ("disabling_condition", num(last.disabling_condition)),
        (
            "date_to_street_essh",
            last.date_to_street_essh.map(|d| d.format("%Y-%m-%d").to_string()),
        ),
    ] {
        if let Some(value) = value {
            a.insert(key.into(), value);
        }
    }
    a
}
