//! The assessment pages shared by every workflow that records a data collection
//! stage (entry, update, annual, exit): 4.02 income, 4.03 non-cash benefits, 4.04
//! health insurance, 4.05–4.10 disabilities and 4.11 domestic violence — their
//! fields, their checks, "Default Last" from the member's latest records, and the rows
//! written under one master assessment (`assessment_events`).

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, Select, Set, Value,
};

use super::answers::{code, money, required_code, text, ticked, yes_no_reasons};
use crate::db::entities::{assessment_event, disability, health_and_dv, income_benefit};
use crate::db::{insert_all, new_id, statement};
use crate::domain::codes::{
    CURRENTLY_FLEEING, DISABILITY_TYPE, HEALTH_INSURANCE, INCOME_SOURCES, NO_YES_REASONS_FOR_MISSING_DATA,
    NON_CASH_BENEFITS, TextCodeList, WHEN_DV_OCCURRED, column_name, plain_label,
};
use crate::domain::household::Collected;
use crate::error::{AppError, FieldError};
use crate::ui::fields::{Answers, FieldKind, FieldSpec};

/// Disability types whose "Yes" asks whether it is long-continuing and impairs
/// independent living (4.05, 4.07, 4.09, 4.10).
const ASKS_INDEFINITE: [i32; 4] = [5, 7, 9, 10];

/// "Yes" in HUD's No/Yes lists (1.8).
const YES: i32 = 1;

/// The HUD tables whose rows hang off a master assessment.
pub const STAGE_TABLES: [&str; 5] = [
    "income_benefits",
    "health_and_dvs",
    "disabilities",
    "employment_educations",
    "youth_education_statuses",
];

/// 4.02, 4.03, 4.04: "from any source", then each source (an amount or a tick), then
/// "other: specify".
struct SourceGroup {
    section: &'static str,
    any: &'static str,
    any_label: &'static str,
    list: &'static TextCodeList,
    /// Each source's field is the prefix and its code.
    prefix: &'static str,
    /// Monthly amounts (income) rather than ticks.
    amounts: bool,
    other: &'static str,
    other_label: &'static str,
    /// Asked of the head of household and adults only.
    adults_only: bool,
}

impl SourceGroup {
    fn asked(&self, collected: Collected) -> bool {
        !self.adults_only || collected.income_and_benefits
    }
}

static SOURCE_GROUPS: [SourceGroup; 3] = [
    SourceGroup {
        section: "4.02 Income and sources",
        any: "income_from_any_source",
        any_label: "Income from any source",
        list: &INCOME_SOURCES,
        prefix: "income_",
        amounts: true,
        other: "other_income_source_identify",
        other_label: "Other source: specify",
        adults_only: true,
    },
    SourceGroup {
        section: "4.03 Non-cash benefits",
        any: "benefits_from_any_source",
        any_label: "Non-cash benefits from any source",
        list: &NON_CASH_BENEFITS,
        prefix: "benefit_",
        amounts: false,
        other: "other_benefits_source_identify",
        other_label: "Other benefit: specify",
        adults_only: true,
    },
    SourceGroup {
        section: "4.04 Health insurance",
        any: "insurance_from_any_source",
        any_label: "Covered by health insurance",
        list: &HEALTH_INSURANCE,
        prefix: "insurance_",
        amounts: false,
        other: "other_insurance_identify",
        other_label: "Other insurance: specify",
        adults_only: false,
    },
];

/// The fields of the stage pages, for a member who answers what `collected` says.
pub fn fields(collected: Collected) -> Vec<FieldSpec> {
    let mut fields = Vec::new();
    for g in SOURCE_GROUPS.iter().filter(|g| g.asked(collected)) {
        fields.push(FieldSpec::section(g.section));
        fields.push(yes_no_reasons(g.any, g.any_label).required());
        // The sources are asked once "from any source" is Yes.
        for item in g.list.values {
            let name = format!("{}{}", g.prefix, item.code);
            fields.push(
                if g.amounts {
                    FieldSpec::new(
                        &name,
                        &format!("{} (monthly $)", plain_label(item.label)),
                        FieldKind::Money,
                    )
                } else {
                    FieldSpec::new(&name, plain_label(item.label), FieldKind::Checkbox)
                }
                .when(g.any, [YES]),
            );
        }
        fields.push(
            FieldSpec::new(g.other, g.other_label, FieldKind::Text { max_length: 50 }).when(g.any, [YES]),
        );
    }
    fields.push(FieldSpec::section("4.05–4.10 Disabilities"));
    for kind in DISABILITY_TYPE.values {
        fields.push(
            FieldSpec::code(
                &format!("disability_{}", kind.code),
                kind.label,
                crate::domain::disability::responses(kind.code),
            )
            .required(),
        );
        if ASKS_INDEFINITE.contains(&kind.code) {
            let responses = crate::domain::disability::responses(kind.code);
            let yes = responses
                .values
                .iter()
                .map(|r| r.code)
                .filter(|&r| crate::domain::disability::is_yes(kind.code, r));
            fields.push(
                yes_no_reasons(
                    &format!("indefinite_{}", kind.code),
                    "Expected to be long-continuing and to impair independent living?",
                )
                .required()
                .when(&format!("disability_{}", kind.code), yes),
            );
        }
    }
    if collected.domestic_violence {
        fields.extend([
            FieldSpec::section("4.11 Domestic violence"),
            yes_no_reasons("domestic_violence_survivor", "Survivor of domestic violence").required(),
            FieldSpec::code(
                "when_occurred",
                "When did the experience occur?",
                &WHEN_DV_OCCURRED,
            )
            .required()
            .when("domestic_violence_survivor", [YES]),
            FieldSpec::code("currently_fleeing", "Currently fleeing?", &CURRENTLY_FLEEING)
                .required()
                .when("domestic_violence_survivor", [YES]),
        ]);
    }
    fields
}

/// The stage pages' answers, checked, ready to write.
#[derive(Clone, Debug, Default)]
pub struct StageAnswers {
    /// IncomeBenefits columns.
    pub income: Vec<(String, Value)>,
    /// DV answers, when collected: (survivor, when, fleeing).
    pub dv: Option<(i32, Option<i32>, Option<i32>)>,
    /// (type, response, indefinite).
    pub disabilities: Vec<(i32, i32, Option<i32>)>,
    /// A long-continuing disability is recorded (3.08 must then be "Yes").
    pub long_term_disability: bool,
}

/// Checks the stage pages' answers; problems go to `errors`.
pub fn check(answers: &Answers, collected: Collected, errors: &mut Vec<FieldError>) -> StageAnswers {
    let mut out = StageAnswers::default();
    let int = |v: Option<i32>| Value::Int(v);
    // 4.02 / 4.03 / 4.04: "from any source" answers agree with the sources ticked.
    let mut any_check = |key: &str, list: &TextCodeList, prefix: &str, amounts: bool, collected: bool| {
        if !collected {
            return;
        }
        let any = required_code(answers, key, &NO_YES_REASONS_FOR_MISSING_DATA, errors);
        out.income.push((key.to_string(), int(any)));
        let mut yes = 0;
        for item in list.values {
            let field = format!("{prefix}{}", item.code);
            let has = if amounts {
                match money(answers, &field, errors) {
                    Some(n) if n > 0.0 => {
                        if let Some(column) = item.column {
                            out.income.push((column_name(column), Value::Double(Some(n))));
                        }
                        true
                    }
                    _ => false,
                }
            } else {
                ticked(answers, &field)
            };
            yes += i32::from(has);
            if any.is_some() {
                out.income.push((
                    column_name(item.code),
                    int(Some(if any == Some(1) { i32::from(has) } else { 0 })),
                ));
            }
        }
        if any == Some(1) && yes == 0 {
            errors.push(FieldError::new(key, "\"Yes\": give at least one source below."));
        }
        if any.is_some_and(|a| a != 1) && yes > 0 {
            errors.push(FieldError::new(key, "Sources are given below: answer \"Yes\"."));
        }
    };
    for g in &SOURCE_GROUPS {
        any_check(g.any, g.list, g.prefix, g.amounts, g.asked(collected));
    }
    if collected.income_and_benefits {
        let total: f64 = out
            .income
            .iter()
            .filter(|(c, _)| c.ends_with("_amount"))
            .filter_map(|(_, v)| match v {
                Value::Double(Some(n)) => Some(*n),
                _ => None,
            })
            .sum();
        out.income
            .push(("total_monthly_income".into(), Value::Double(Some(total))));
    }
    for key in SOURCE_GROUPS.iter().map(|g| g.other) {
        if let Some(v) = text(answers, key) {
            out.income
                .push((key.into(), Value::String(Some(v.chars().take(50).collect()))));
        }
    }

    for kind in DISABILITY_TYPE.values {
        let response = required_code(
            answers,
            &format!("disability_{}", kind.code),
            crate::domain::disability::responses(kind.code),
            errors,
        );
        let yes = response.is_some_and(|r| crate::domain::disability::is_yes(kind.code, r));
        let mut indefinite = None;
        if ASKS_INDEFINITE.contains(&kind.code) {
            let key = format!("indefinite_{}", kind.code);
            indefinite = code(answers, &key, &NO_YES_REASONS_FOR_MISSING_DATA, errors);
            if yes && indefinite.is_none() {
                errors.push(FieldError {
                    field: key,
                    message: "Required when the answer above is Yes.".into(),
                });
            }
            if response.is_some() && !yes {
                indefinite = None;
            }
            out.long_term_disability |= yes && indefinite == Some(1);
        } else {
            // Developmental disability and HIV/AIDS are disabling by definition.
            out.long_term_disability |= yes;
        }
        if let Some(response) = response {
            out.disabilities.push((kind.code, response, indefinite));
        }
    }
    if collected.domestic_violence {
        let survivor = required_code(
            answers,
            "domestic_violence_survivor",
            &NO_YES_REASONS_FOR_MISSING_DATA,
            errors,
        );
        let when = code(answers, "when_occurred", &WHEN_DV_OCCURRED, errors);
        let fleeing = code(answers, "currently_fleeing", &CURRENTLY_FLEEING, errors);
        for (value, key) in [(when, "when_occurred"), (fleeing, "currently_fleeing")] {
            if survivor == Some(1) && value.is_none() {
                errors.push(FieldError::new(key, "Required for a survivor."));
            }
        }
        if let Some(survivor) = survivor {
            let only_if = |v: Option<i32>| if survivor == 1 { v } else { None };
            out.dv = Some((survivor, only_if(when), only_if(fleeing)));
        }
    }
    out
}

/// Which rows to read answers back from: the member's latest records of any
/// enrollment ("Default Last"), or the rows of one master assessment (editing it).
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    Latest { personal_id: &'a str },
    Event { assessment_event_id: &'a str },
}

/// A stage table's rows of the member (any enrollment) or of one master assessment.
fn scoped<E: EntityTrait>(source: Source<'_>, personal: E::Column, event: E::Column) -> Select<E> {
    match source {
        Source::Latest { personal_id } => E::find().filter(personal.eq(personal_id)),
        Source::Event { assessment_event_id } => E::find().filter(event.eq(assessment_event_id)),
    }
}

/// The stage pages' answers read back from recorded rows.
pub async fn answers_from(db: &impl ConnectionTrait, source: Source<'_>) -> Result<Answers, AppError> {
    let mut a = Answers::new();
    let num = |v: Option<i32>| v.map(|n| n.to_string());
    let income = scoped::<income_benefit::Entity>(
        source,
        income_benefit::Column::PersonalId,
        income_benefit::Column::AssessmentEventId,
    )
    .filter(income_benefit::Column::DateDeleted.is_null())
    .all(db)
    .await?
    .into_iter()
    .max_by_key(|r| (r.information_date, r.created_at));
    if let Some(income) = income {
        let get = |column: &str| {
            income_benefit::Column::from_str(column)
                .map(|c| income.get(c))
                .unwrap_or(Value::Int(None))
        };
        let int = |column: &str| match get(column) {
            Value::Int(Some(n)) => Some(n),
            _ => None,
        };
        for g in &SOURCE_GROUPS {
            if let Some(n) = int(g.any) {
                a.insert(g.any.into(), n.to_string());
            }
            for item in g.list.values {
                if int(&column_name(item.code)) != Some(1) {
                    continue;
                }
                let field = format!("{}{}", g.prefix, item.code);
                if !g.amounts {
                    a.insert(field, "yes".into());
                } else if let Some(amount) = item.column
                    && let Value::Double(Some(n)) = get(&column_name(amount))
                {
                    a.insert(field, format!("{n:.2}"));
                }
            }
            if let Value::String(Some(s)) = get(g.other) {
                a.insert(g.other.into(), s.to_string());
            }
        }
    }
    let dv = scoped::<health_and_dv::Entity>(
        source,
        health_and_dv::Column::PersonalId,
        health_and_dv::Column::AssessmentEventId,
    )
    .filter(health_and_dv::Column::DateDeleted.is_null())
    .all(db)
    .await?
    .into_iter()
    .max_by_key(|r| (r.information_date, r.created_at));
    if let Some(dv) = dv {
        for (key, value) in [
            ("domestic_violence_survivor", num(dv.domestic_violence_survivor)),
            ("when_occurred", num(dv.when_occurred)),
            ("currently_fleeing", num(dv.currently_fleeing)),
        ] {
            if let Some(value) = value {
                a.insert(key.into(), value);
            }
        }
    }
    let mut disabilities = scoped::<disability::Entity>(
        source,
        disability::Column::PersonalId,
        disability::Column::AssessmentEventId,
    )
    .filter(disability::Column::DateDeleted.is_null())
    .all(db)
    .await?;
    // Oldest first: the latest answer of each type wins.
    disabilities.sort_by_key(|d| (d.information_date, d.created_at));
    for d in disabilities {
        a.insert(
            format!("disability_{}", d.disability_type),
            d.disability_response.to_string(),
        );
        match d.indefinite_and_impairs {
            Some(i) => a.insert(format!("indefinite_{}", d.disability_type), i.to_string()),
            None => a.remove(&format!("indefinite_{}", d.disability_type)),
        };
    }
    Ok(a)
}

/// "Default Last" on a member's stage page (step `<prefix><PersonalID>`): the
/// member's latest records.
pub async fn default_last(
    db: &impl ConnectionTrait,
    draft: &super::service::Draft,
    step: &str,
    prefix: &str,
) -> Result<Answers, AppError> {
    let Some(personal_id) = step.strip_prefix(prefix) else {
        return Err(AppError::Conflict(
            "This step has nothing to fill from earlier records.".into(),
        ));
    };
    draft.member(personal_id)?;
    answers_from(db, Source::Latest { personal_id }).await
}

/// Who records a master assessment, and when.
#[derive(Clone, Debug)]
pub struct Recorded<'a> {
    pub enrollment_id: &'a str,
    pub personal_id: &'a str,
    /// HUD DataCollectionStage: 1 entry, 2 update, 3 exit, 5 annual.
    pub stage: i32,
    pub information_date: NaiveDate,
    pub user_id: &'a str,
    pub now: DateTime<Utc>,
}

/// Writes a master assessment and its stage rows; answers its ID.
pub async fn insert(
    txn: &impl ConnectionTrait,
    at: &Recorded<'_>,
    answers: &StageAnswers,
) -> Result<String, AppError> {
    let mut rows = StageRows::default();
    let event_id = rows.add(at, answers)?;
    rows.write(txn).await?;
    Ok(event_id)
}

/// Master assessments and their stage rows of several members, written with one
/// `INSERT` per table (a household's exit: a handful of statements, not one per row —
/// each is a round trip on PostgreSQL).
#[derive(Default)]
pub struct StageRows {
    events: Vec<assessment_event::ActiveModel>,
    incomes: Vec<income_benefit::ActiveModel>,
    health_and_dvs: Vec<health_and_dv::ActiveModel>,
    disabilities: Vec<disability::ActiveModel>,
}

impl StageRows {
    /// Adds one member's master assessment and stage rows; answers its ID.
    pub fn add(&mut self, at: &Recorded<'_>, answers: &StageAnswers) -> Result<String, AppError> {
        let event_id = new_id();
        let user = Some(at.user_id.to_string());
        self.events.push(assessment_event::ActiveModel {
            assessment_event_id: Set(event_id.clone()),
            enrollment_id: Set(at.enrollment_id.to_string()),
            personal_id: Set(at.personal_id.to_string()),
            data_collection_stage: Set(at.stage),
            information_date: Set(at.information_date),
            created_at: Set(at.now),
            updated_at: Set(at.now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
        });
        let mut income = income_benefit::ActiveModel {
            income_benefits_id: Set(new_id()),
            enrollment_id: Set(at.enrollment_id.to_string()),
            personal_id: Set(at.personal_id.to_string()),
            information_date: Set(at.information_date),
            data_collection_stage: Set(Some(at.stage)),
            created_at: Set(at.now),
            updated_at: Set(at.now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
            assessment_event_id: Set(event_id.clone()),
            ..Default::default()
        };
        for (column, value) in &answers.income {
            let column = income_benefit::Column::from_str(column).map_err(|_| {
                tracing::error!(column = %column, "unknown IncomeBenefits column");
                AppError::Internal
            })?;
            income.set(column, value.clone());
        }
        self.incomes.push(income);
        if let Some((survivor, when, fleeing)) = answers.dv {
            self.health_and_dvs.push(health_and_dv::ActiveModel {
                health_and_dv_id: Set(new_id()),
                enrollment_id: Set(at.enrollment_id.to_string()),
                personal_id: Set(at.personal_id.to_string()),
                information_date: Set(at.information_date),
                domestic_violence_survivor: Set(Some(survivor)),
                when_occurred: Set(when),
                currently_fleeing: Set(fleeing),
                data_collection_stage: Set(at.stage),
                created_at: Set(at.now),
                updated_at: Set(at.now),
                created_by: Set(user.clone()),
                date_deleted: Set(None),
                assessment_event_id: Set(event_id.clone()),
                ..Default::default()
            });
        }
        for (kind, response, indefinite) in &answers.disabilities {
            self.disabilities.push(disability::ActiveModel {
                disabilities_id: Set(new_id()),
                enrollment_id: Set(at.enrollment_id.to_string()),
                personal_id: Set(at.personal_id.to_string()),
                information_date: Set(at.information_date),
                disability_type: Set(*kind),
                disability_response: Set(*response),
                indefinite_and_impairs: Set(*indefinite),
                data_collection_stage: Set(at.stage),
                created_at: Set(at.now),
                updated_at: Set(at.now),
                created_by: Set(user.clone()),
                date_deleted: Set(None),
                assessment_event_id: Set(event_id.clone()),
                ..Default::default()
            });
        }
        Ok(event_id)
    }

    /// Writes every row added, one statement per table (the master assessments first).
    pub async fn write(self, txn: &impl ConnectionTrait) -> Result<(), AppError> {
        insert_all(txn, self.events).await?;
        insert_all(txn, self.incomes).await?;
        insert_all(txn, self.health_and_dvs).await?;
        insert_all(txn, self.disabilities).await?;
        Ok(())
    }
}

/// Soft-deletes master assessments and their stage rows (HUD DateDeleted: an export
/// tells other systems they are gone). `events` is SQL selecting
/// `assessment_event_id`s with `values` as its parameters.
pub async fn remove(
    txn: &impl ConnectionTrait,
    events: &str,
    values: Vec<Value>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    for table in STAGE_TABLES.iter().chain(&["assessment_events"]) {
        let mut params: Vec<Value> = vec![now.into(), now.into()];
        params.extend(values.iter().cloned());
        txn.execute_raw(statement(
            backend,
            &format!(
                "UPDATE {table} SET date_deleted = ?, updated_at = ? \
                 WHERE date_deleted IS NULL AND assessment_event_id IN ({events})"
            ),
            params,
        ))
        .await?;
    }
    Ok(())
}

/// Moves a master assessment and its stage rows to another information date.
pub async fn move_to(
    txn: &impl ConnectionTrait,
    assessment_event_id: &str,
    information_date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    for table in STAGE_TABLES.iter().chain(&["assessment_events"]) {
        txn.execute_raw(statement(
            backend,
            &format!(
                "UPDATE {table} SET information_date = ?, updated_at = ? \
                 WHERE date_deleted IS NULL AND assessment_event_id = ?"
            ),
            vec![information_date.into(), now.into(), assessment_event_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// How many live records a master assessment holds (itself and its stage rows).
pub async fn record_count(db: &impl ConnectionTrait, assessment_event_id: &str) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let mut total = 0;
    for table in STAGE_TABLES.iter().chain(&["assessment_events"]) {
        if let Some(row) = db
            .query_one_raw(statement(
                backend,
                &format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE assessment_event_id = ? AND date_deleted IS NULL"
                ),
                vec![assessment_event_id.into()],
            ))
            .await?
        {
            let n: i64 = row.try_get("", "n")?;
            total += u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(total)
}
