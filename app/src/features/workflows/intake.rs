//! The intake workflow (ClientTrack's): the household found by dedup search, each
//! member's basic client information, the project and start date, each enrolled
//! member's entry assessment, then Finish — one transaction for every row.

use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Value};

use super::api::{
    DraftData, DraftMember, HouseholdMemberView, MemberChoice, ReviewSection, StepBody, StepView,
    WorkflowKind, step_path,
};
use super::service::{self, Draft, StepDef};
use crate::db::audit::{self, Event};
use crate::db::entities::{
    assessment_event, case_assignment, client, disability, enrollment, health_and_dv, income_benefit, project,
};
use crate::db::{begin_write, new_id, statement};
use crate::domain::codes::{
    CURRENTLY_FLEEING, CodeList, DISABILITY_TYPE, DOB_DATA_QUALITY, HEALTH_INSURANCE, INCOME_SOURCES,
    MONTHS_HOMELESS_PAST_THREE_YEARS, NAME_DATA_QUALITY, NO_YES, NO_YES_REASONS_FOR_MISSING_DATA,
    NON_CASH_BENEFITS, PRIOR_LIVING_SITUATION, PROJECT_TYPE, ProjectType, RACE_NONE, RELATIONSHIP_TO_HOH,
    RESIDENCE_PRIOR_LENGTH_OF_STAY, SEX, SSN_DATA_QUALITY, TIMES_HOMELESS_PAST_THREE_YEARS, TextCodeList,
    WHEN_DV_OCCURRED, column_name,
};
use crate::domain::dedup::search_key;
use crate::domain::household::{
    Member, check_entry_date, check_household, collected_for, collects_engagement, overlaps,
};
use crate::error::{AppError, FieldError};
use crate::features::access::guard::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, Choice, FieldKind, FieldSpec};

pub const HOUSEHOLD: &str = "household";
pub const ENROLLMENT: &str = "enrollment";
pub const REVIEW: &str = "review";
/// Marks a step saved with "No Changes".
pub const NO_CHANGES: &str = "_no_changes";

fn client_step(personal_id: &str) -> String {
    format!("client-{personal_id}")
}

fn entry_step(personal_id: &str) -> String {
    format!("entry-{personal_id}")
}

/// The race columns of 3.04, as (column, label).
const RACES: [(&str, &str); 7] = [
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

/// Disability types whose "Yes" asks whether it is long-continuing and impairs
/// independent living (4.05, 4.07, 4.09, 4.10).
const ASKS_INDEFINITE: [i32; 4] = [5, 7, 9, 10];

// ---- steps -------------------------------------------------------------------------

/// Whether a member is enrolled (every member is, until the enrollment step says).
fn enrolled(data: &DraftData, personal_id: &str) -> bool {
    match data.answers.get(ENROLLMENT) {
        Some(answers) => answers
            .get(&format!("enroll_{personal_id}"))
            .is_some_and(|v| v == "yes"),
        None => true,
    }
}

pub fn steps(data: &DraftData) -> Vec<StepDef> {
    let mut steps = vec![StepDef {
        id: HOUSEHOLD.into(),
        label: "Household".into(),
        member: None,
    }];
    for m in &data.members {
        steps.push(StepDef {
            id: client_step(&m.personal_id),
            label: "Basic client information".into(),
            member: Some(m.name()),
        });
    }
    steps.push(StepDef {
        id: ENROLLMENT.into(),
        label: "Project and start date".into(),
        member: None,
    });
    for m in data.members.iter().filter(|m| enrolled(data, &m.personal_id)) {
        steps.push(StepDef {
            id: entry_step(&m.personal_id),
            label: "Entry assessment".into(),
            member: Some(m.name()),
        });
    }
    steps.push(StepDef {
        id: REVIEW.into(),
        label: "Review and finish".into(),
        member: None,
    });
    steps
}

pub fn title(data: &DraftData) -> String {
    match data.members.first() {
        Some(m) if data.members.len() > 1 => {
            format!("{} household ({} people)", m.name(), data.members.len())
        }
        Some(m) => m.name(),
        None => "New household".into(),
    }
}

fn member<'a>(draft: &'a Draft, personal_id: &str) -> Result<&'a DraftMember, AppError> {
    draft
        .data
        .members
        .iter()
        .find(|m| m.personal_id == personal_id)
        .ok_or(AppError::NotFound)
}

// ---- household ---------------------------------------------------------------------

async fn resolve(
    state: &AppState,
    session: &CurrentSession,
    choice: MemberChoice,
) -> Result<DraftMember, AppError> {
    match choice {
        MemberChoice::Existing(personal_id) => {
            crate::features::clients::service::require_visible(&state.db, session, &personal_id).await?;
            let record = client::Entity::find_by_id(personal_id.clone())
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(DraftMember {
                personal_id,
                existing: true,
                first_name: record.first_name.unwrap_or_default(),
                last_name: record.last_name.unwrap_or_default(),
                dob: record.dob,
            })
        }
        MemberChoice::New {
            first_name,
            last_name,
        } => {
            let mut errors = Vec::new();
            if first_name.is_empty() {
                errors.push(field_error(
                    "first_name",
                    "Type the first name (or what the client goes by).",
                ));
            }
            if last_name.is_empty() {
                errors.push(field_error("last_name", "Type the last name."));
            }
            if first_name.chars().count() > 50 || last_name.chars().count() > 50 {
                errors.push(field_error("last_name", "Names are at most 50 characters."));
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            Ok(DraftMember {
                personal_id: new_id(),
                existing: false,
                first_name,
                last_name,
                dob: None,
            })
        }
    }
}

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn require_intake_rights(session: &CurrentSession) -> Result<(), AppError> {
    use crate::domain::access::Workgroup::*;
    session.require_workgroup(&[
        CaseManager,
        Supervisor,
        AgencyAdmin,
        CeAssessor,
        PriorityListManager,
    ])?;
    Ok(())
}

/// Starts an intake with its first member (the head of household by default).
pub async fn start(
    state: &AppState,
    session: &CurrentSession,
    choice: MemberChoice,
) -> Result<String, AppError> {
    require_intake_rights(session)?;
    let head = resolve(state, session, choice).await?;
    let personal_id = head.personal_id.clone();
    let mut data = DraftData {
        members: vec![head],
        ..Default::default()
    };
    data.answers
        .entry(HOUSEHOLD.into())
        .or_default()
        .insert(format!("rel_{personal_id}"), "1".into());
    let draft_id = service::create(
        state,
        session,
        WorkflowKind::Intake,
        Some(personal_id),
        &data,
        HOUSEHOLD,
    )
    .await?;
    Ok(step_path(&draft_id, HOUSEHOLD))
}

/// Steps whose answers depend on who is in the household.
fn forget_household_checks(data: &mut DraftData) {
    for step in [HOUSEHOLD, ENROLLMENT, REVIEW] {
        data.done.remove(step);
    }
}

pub async fn add_member(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    choice: MemberChoice,
) -> Result<String, AppError> {
    let mut draft = service::load(state, session, draft_id).await?;
    let added = resolve(state, session, choice).await?;
    if draft
        .data
        .members
        .iter()
        .any(|m| m.personal_id == added.personal_id)
    {
        return Err(AppError::Conflict(format!(
            "{} is already in this household.",
            added.name()
        )));
    }
    if draft.data.members.len() >= 20 {
        return Err(AppError::Conflict("A household has at most 20 members.".into()));
    }
    if let Some(answers) = draft.data.answers.get_mut(ENROLLMENT) {
        answers.insert(format!("enroll_{}", added.personal_id), "yes".into());
    }
    draft.data.members.push(added);
    forget_household_checks(&mut draft.data);
    service::store(state, &draft, HOUSEHOLD).await?;
    Ok(step_path(draft_id, HOUSEHOLD))
}

pub async fn remove_member(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    personal_id: &str,
) -> Result<String, AppError> {
    let mut draft = service::load(state, session, draft_id).await?;
    if draft.data.members.len() <= 1 {
        return Err(AppError::Conflict(
            "A household needs at least one member: discard the intake instead.".into(),
        ));
    }
    let before = draft.data.members.len();
    draft.data.members.retain(|m| m.personal_id != personal_id);
    if draft.data.members.len() == before {
        return Err(AppError::NotFound);
    }
    for step in [client_step(personal_id), entry_step(personal_id)] {
        draft.data.answers.remove(&step);
        draft.data.done.remove(&step);
    }
    for step in [HOUSEHOLD, ENROLLMENT] {
        if let Some(answers) = draft.data.answers.get_mut(step) {
            answers.remove(&format!("rel_{personal_id}"));
            answers.remove(&format!("enroll_{personal_id}"));
        }
    }
    forget_household_checks(&mut draft.data);
    service::store(state, &draft, HOUSEHOLD).await?;
    Ok(step_path(draft_id, HOUSEHOLD))
}

// ---- reading answers ---------------------------------------------------------------

fn text(answers: &Answers, key: &str) -> Option<String> {
    answers
        .get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn ticked(answers: &Answers, key: &str) -> bool {
    answers.get(key).is_some_and(|v| v == "yes")
}

/// A code answer: absent when empty, an error when not in `list`.
fn code(answers: &Answers, key: &str, list: &CodeList, errors: &mut Vec<FieldError>) -> Option<i32> {
    let value = text(answers, key)?;
    match value.parse::<i32>() {
        Ok(code) if list.contains(code) => Some(code),
        _ => {
            errors.push(field_error(key, "Choose a value from the list."));
            None
        }
    }
}

fn required_code(answers: &Answers, key: &str, list: &CodeList, errors: &mut Vec<FieldError>) -> Option<i32> {
    let value = code(answers, key, list, errors);
    if value.is_none() && !errors.iter().any(|e| e.field == key) {
        errors.push(field_error(key, "Required."));
    }
    value
}

fn date(answers: &Answers, key: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let value = text(answers, key)?;
    match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(field_error(key, "Enter a date (year-month-day)."));
            None
        }
    }
}

fn money(answers: &Answers, key: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let value = text(answers, key)?;
    match value.replace([',', '$'], "").parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..1_000_000.0).contains(&n) => Some((n * 100.0).round() / 100.0),
        _ => {
            errors.push(field_error(key, "Enter a monthly amount in dollars, 0 or more."));
            None
        }
    }
}

fn validation(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The SSN digits typed: nine digits (dashes and spaces allowed).
fn ssn_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    (digits.len() == 9 && digits.chars().all(|c| c.is_ascii_digit()) && digits != "000000000")
        .then_some(digits)
}

/// Runs before a step's answers are kept: an SSN is sealed at once (a draft never holds
/// it in plain text); one that is not nine digits is dropped with a message.
pub fn prepare(
    state: &AppState,
    draft: &Draft,
    step: &str,
    answers: &mut Answers,
) -> Result<Option<AppError>, AppError> {
    let Some(personal_id) = step.strip_prefix("client-") else {
        return Ok(None);
    };
    member(draft, personal_id)?;
    // What an earlier save sealed stays unless a new number is typed.
    let earlier = draft.answers(step);
    for key in ["ssn_sealed", "ssn_last4"] {
        if !answers.contains_key(key)
            && let Some(value) = earlier.and_then(|a| a.get(key))
        {
            answers.insert(key.into(), value.clone());
        }
    }
    match answers
        .remove("ssn")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(typed) => match ssn_digits(&typed) {
            Some(digits) => {
                let sealed = state
                    .data_key
                    .seal(digits.as_bytes(), &crate::crypto::ssn_context(personal_id));
                answers.insert("ssn_sealed".into(), sealed);
                answers.insert("ssn_last4".into(), digits[5..].to_string());
                Ok(None)
            }
            None => Ok(Some(AppError::field(
                "ssn",
                "An SSN has nine digits (dashes allowed). Leave it empty if it is not known.",
            ))),
        },
    }
}

// ---- pages -------------------------------------------------------------------------

pub async fn render(
    state: &AppState,
    session: &CurrentSession,
    draft: &Draft,
    step: &StepDef,
) -> Result<StepView, AppError> {
    let id = step.id.as_str();
    if id == HOUSEHOLD {
        let answers = draft.answers(HOUSEHOLD).cloned().unwrap_or_default();
        return Ok(StepView {
            id: id.into(),
            title: "Household".into(),
            intro: Some(
                "Add everyone who is enrolling together, searching first so no one is entered twice. \
                 Choose each member's relationship to the head of household."
                    .into(),
            ),
            body: StepBody::Household(
                draft
                    .data
                    .members
                    .iter()
                    .map(|m| HouseholdMemberView {
                        personal_id: m.personal_id.clone(),
                        name: m.name(),
                        dob: m.dob,
                        existing: m.existing,
                        relationship: answers
                            .get(&format!("rel_{}", m.personal_id))
                            .cloned()
                            .unwrap_or_default(),
                    })
                    .collect(),
            ),
            default_last: false,
            no_changes: false,
            finish: false,
        });
    }
    if id == ENROLLMENT {
        return enrollment_page(state, session, draft).await;
    }
    if id == REVIEW {
        return review_page(state, draft).await;
    }
    if let Some(personal_id) = id.strip_prefix("client-") {
        return client_page(state, draft, member(draft, personal_id)?).await;
    }
    if let Some(personal_id) = id.strip_prefix("entry-") {
        return entry_page(state, draft, member(draft, personal_id)?).await;
    }
    Err(AppError::NotFound)
}

fn with_values(mut fields: Vec<FieldSpec>, answers: &Answers) -> Vec<FieldSpec> {
    for field in &mut fields {
        if let Some(value) = answers.get(&field.name) {
            field.value = value.clone();
        }
    }
    fields
}

fn yes_no_reasons(name: &str, label: &str) -> FieldSpec {
    FieldSpec::code(name, label, &NO_YES_REASONS_FOR_MISSING_DATA)
}

/// The answers of the client step for a client on record.
fn client_answers(record: &client::Model) -> Answers {
    let mut a = Answers::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            a.insert(k.to_string(), v);
        }
    };
    put("first_name", record.first_name.clone());
    put("middle_name", record.middle_name.clone());
    put("last_name", record.last_name.clone());
    put("name_suffix", record.name_suffix.clone());
    put("name_data_quality", Some(record.name_data_quality.to_string()));
    put("ssn_last4", record.ssn_last4.clone());
    put("ssn_data_quality", Some(record.ssn_data_quality.to_string()));
    put("dob", record.dob.map(|d| d.format("%Y-%m-%d").to_string()));
    put("dob_data_quality", Some(record.dob_data_quality.to_string()));
    put("sex", record.sex.map(|s| s.to_string()));
    put("veteran_status", Some(record.veteran_status.to_string()));
    put("race_none", record.race_none.map(|r| r.to_string()));
    put(
        "additional_race_ethnicity",
        record.additional_race_ethnicity.clone(),
    );
    let races = [
        record.am_ind_ak_native,
        record.asian,
        record.black_af_american,
        record.hispanic_latinao,
        record.mid_east_n_african,
        record.native_hi_pacific,
        record.white,
    ];
    for ((column, _), value) in RACES.iter().zip(races) {
        if value == 1 {
            put(&format!("race_{column}"), Some("yes".into()));
        }
    }
    a
}

fn client_fields(adult: bool, ssn_on_file: Option<&str>) -> Vec<FieldSpec> {
    let text = |name: &str, label: &str| FieldSpec::new(name, label, FieldKind::Text { max_length: 50 });
    let mut fields = vec![
        FieldSpec::section("3.01 Name"),
        text("first_name", "First name"),
        text("middle_name", "Middle name"),
        text("last_name", "Last name"),
        text("name_suffix", "Suffix"),
        FieldSpec::code("name_data_quality", "Name data quality", &NAME_DATA_QUALITY).required(),
        FieldSpec::section("3.02 Social Security Number"),
        FieldSpec::new("ssn", "SSN", FieldKind::Text { max_length: 11 }).hint(&match ssn_on_file {
            Some(last4) => format!("On file: •••-••-{last4}. Type a number only to replace it."),
            None => "Nine digits. Leave empty when it is not known.".to_string(),
        }),
        FieldSpec::code("ssn_data_quality", "SSN data quality", &SSN_DATA_QUALITY).required(),
        FieldSpec::section("3.03 Date of birth"),
        FieldSpec::new("dob", "Date of birth", FieldKind::Date),
        FieldSpec::code(
            "dob_data_quality",
            "Date of birth data quality",
            &DOB_DATA_QUALITY,
        )
        .required(),
        FieldSpec::section("3.04 Race and ethnicity (all that apply)"),
    ];
    for (column, label) in RACES {
        fields.push(FieldSpec::new(
            &format!("race_{column}"),
            label,
            FieldKind::Checkbox,
        ));
    }
    fields.push(
        FieldSpec::code("race_none", "None of these", &RACE_NONE)
            .hint("Only when no race or ethnicity is ticked."),
    );
    fields.push(FieldSpec::new(
        "additional_race_ethnicity",
        "Additional race and ethnicity detail",
        FieldKind::Text { max_length: 100 },
    ));
    fields.push(FieldSpec::section("4.21 Sex"));
    fields.push(FieldSpec::code("sex", "Sex", &SEX).required());
    if adult {
        fields.push(FieldSpec::section("3.07 Veteran status"));
        fields.push(yes_no_reasons("veteran_status", "Veteran status").required());
    }
    fields
}

/// Adult on the (planned) start date, or of unknown age.
fn is_adult(draft: &Draft, dob: Option<NaiveDate>, today: NaiveDate) -> bool {
    let on = planned_entry(draft).unwrap_or(today);
    dob.is_none_or(|d| crate::domain::dates::is_adult_on(d, on))
}

fn planned_entry(draft: &Draft) -> Option<NaiveDate> {
    draft
        .answers(ENROLLMENT)
        .and_then(|a| text(a, "entry_date"))
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// The member's date of birth as answered (or on record).
fn answered_dob(draft: &Draft, m: &DraftMember) -> Option<NaiveDate> {
    draft
        .answers(&client_step(&m.personal_id))
        .and_then(|a| text(a, "dob"))
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .or(m.dob)
}

async fn client_page(state: &AppState, draft: &Draft, m: &DraftMember) -> Result<StepView, AppError> {
    let step = client_step(&m.personal_id);
    let record = if m.existing {
        client::Entity::find_by_id(m.personal_id.clone())
            .one(&state.db)
            .await?
    } else {
        None
    };
    let answers = match (draft.answers(&step), &record) {
        (Some(a), _) => a.clone(),
        (None, Some(record)) => client_answers(record),
        (None, None) => Answers::from([
            ("first_name".to_string(), m.first_name.clone()),
            ("last_name".to_string(), m.last_name.clone()),
            ("name_data_quality".to_string(), "1".to_string()),
        ]),
    };
    let adult = is_adult(draft, answered_dob(draft, m), state.today());
    let fields = with_values(
        client_fields(adult, answers.get("ssn_last4").map(String::as_str)),
        &answers,
    );
    Ok(StepView {
        id: step,
        title: format!("Basic client information — {}", m.name()),
        intro: Some(if m.existing {
            "What is on record for this client. Correct what has changed, or choose No Changes.".into()
        } else {
            "A new client record. Every answer can be \"Client doesn't know\" or \"Client prefers not to answer\".".into()
        }),
        body: StepBody::Form(fields),
        default_last: false,
        no_changes: m.existing,
        finish: false,
    })
}

/// The acting organization's projects open for intake on `on`: (ID, name, type).
async fn organization_projects(
    state: &AppState,
    session: &CurrentSession,
) -> Result<Vec<project::Model>, AppError> {
    let context = session.require_context()?;
    let today = state.today();
    let projects = project::Entity::find()
        .filter(project::Column::OrganizationId.eq(context.organization_id.clone()))
        .filter(project::Column::DateDeleted.is_null())
        .all(&state.db)
        .await?;
    let mut open: Vec<project::Model> = projects
        .into_iter()
        .filter(|p| {
            p.operating_end_date
                .is_none_or(|end| end >= today - chrono::Duration::days(366))
        })
        .collect();
    open.sort_by(|a, b| a.project_name.cmp(&b.project_name));
    Ok(open)
}

async fn enrollment_page(
    state: &AppState,
    session: &CurrentSession,
    draft: &Draft,
) -> Result<StepView, AppError> {
    let projects = organization_projects(state, session).await?;
    let mut answers = draft.answers(ENROLLMENT).cloned().unwrap_or_else(|| {
        let mut a = Answers::new();
        for m in &draft.data.members {
            a.insert(format!("enroll_{}", m.personal_id), "yes".into());
        }
        a.insert("assign_to_me".into(), "yes".into());
        a
    });
    if !answers.contains_key("entry_date") {
        let entry = session.back_date.unwrap_or(state.today());
        answers.insert("entry_date".into(), entry.format("%Y-%m-%d").to_string());
    }
    if projects.len() == 1 && !answers.contains_key("project_id") {
        answers.insert("project_id".into(), projects[0].project_id.clone());
    }
    let choices = projects
        .iter()
        .map(|p| Choice {
            value: p.project_id.clone(),
            label: match p.project_type.and_then(|t| PROJECT_TYPE.label(t)) {
                Some(kind) => format!("{} — {kind}", p.project_name),
                None => p.project_name.clone(),
            },
            group: None,
        })
        .collect();
    let mut fields = vec![
        FieldSpec::new("project_id", "Project", FieldKind::Select(choices)).required(),
        FieldSpec::section("Who enrolls"),
    ];
    for m in &draft.data.members {
        fields.push(FieldSpec::new(
            &format!("enroll_{}", m.personal_id),
            &format!("Enroll {}", m.name()),
            FieldKind::Checkbox,
        ));
    }
    fields.extend([
        FieldSpec::section("Dates"),
        FieldSpec::new("entry_date", "3.10 Project start date", FieldKind::Date)
            .required()
            .hint("Today, or the Back Date while one is set. Never in the future."),
        FieldSpec::new("date_of_engagement", "3.11 Date of engagement", FieldKind::Date)
            .hint("Street outreach, night-by-night shelter and services-only projects only."),
        FieldSpec::section("Case assignment"),
        FieldSpec::new("assign_to_me", "Assign the household to me", FieldKind::Checkbox),
    ]);
    Ok(StepView {
        id: ENROLLMENT.into(),
        title: "Project and start date".into(),
        intro: Some("Every entry assessment is dated the project start date.".into()),
        body: StepBody::Form(with_values(fields, &answers)),
        default_last: false,
        no_changes: false,
        finish: false,
    })
}

/// Whether the member is the head of household (as answered on the household step).
fn is_head(draft: &Draft, personal_id: &str) -> bool {
    draft
        .answers(HOUSEHOLD)
        .and_then(|a| a.get(&format!("rel_{personal_id}")))
        .is_some_and(|r| r == "1")
}

fn entry_fields(draft: &Draft, m: &DraftMember, today: NaiveDate) -> Vec<FieldSpec> {
    let entry = planned_entry(draft).unwrap_or(today);
    let collected = collected_for(is_head(draft, &m.personal_id), answered_dob(draft, m), entry);
    let mut fields = Vec::new();
    if collected.prior_living_situation {
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
            FieldSpec::code(
                "los_under_threshold",
                "Was the stay less than 90 days (7 nights for a place not meant for habitation)?",
                &NO_YES,
            )
            .hint("Institutional, transitional and permanent situations only."),
            FieldSpec::code(
                "previous_street_essh",
                "On the night before, stayed on the streets, in emergency shelter or a safe haven?",
                &NO_YES,
            )
            .hint("Institutional, transitional and permanent situations only."),
            FieldSpec::new(
                "date_to_street_essh",
                "Approximate date this episode of homelessness started",
                FieldKind::Date,
            ),
            FieldSpec::code(
                "times_homeless_past_three_years",
                "Times on the streets, in shelter or safe haven in the past three years",
                &TIMES_HOMELESS_PAST_THREE_YEARS,
            ),
            FieldSpec::code(
                "months_homeless_past_three_years",
                "Total months homeless in the past three years",
                &MONTHS_HOMELESS_PAST_THREE_YEARS,
            ),
        ]);
    }
    fields.push(FieldSpec::section("3.08 Disabling condition"));
    fields.push(yes_no_reasons("disabling_condition", "Disabling condition").required());
    if collected.income_and_benefits {
        fields.push(FieldSpec::section("4.02 Income and sources"));
        fields.push(yes_no_reasons("income_from_any_source", "Income from any source").required());
        for source in INCOME_SOURCES.values {
            fields.push(FieldSpec::new(
                &format!("income_{}", source.code),
                &format!("{} (monthly $)", source.label),
                FieldKind::Money,
            ));
        }
        fields.push(FieldSpec::new(
            "other_income_source_identify",
            "Other source: specify",
            FieldKind::Text { max_length: 50 },
        ));
        fields.push(FieldSpec::section("4.03 Non-cash benefits"));
        fields
            .push(yes_no_reasons("benefits_from_any_source", "Non-cash benefits from any source").required());
        for benefit in NON_CASH_BENEFITS.values {
            fields.push(FieldSpec::new(
                &format!("benefit_{}", benefit.code),
                benefit.label,
                FieldKind::Checkbox,
            ));
        }
        fields.push(FieldSpec::new(
            "other_benefits_source_identify",
            "Other benefit: specify",
            FieldKind::Text { max_length: 50 },
        ));
    }
    fields.push(FieldSpec::section("4.04 Health insurance"));
    fields.push(yes_no_reasons("insurance_from_any_source", "Covered by health insurance").required());
    for insurance in HEALTH_INSURANCE.values {
        fields.push(FieldSpec::new(
            &format!("insurance_{}", insurance.code),
            insurance.label,
            FieldKind::Checkbox,
        ));
    }
    fields.push(FieldSpec::new(
        "other_insurance_identify",
        "Other insurance: specify",
        FieldKind::Text { max_length: 50 },
    ));
    fields.push(FieldSpec::section("4.05–4.10 Disabilities"));
    for kind in DISABILITY_TYPE.values {
        fields.push(yes_no_reasons(&format!("disability_{}", kind.code), kind.label).required());
        if ASKS_INDEFINITE.contains(&kind.code) {
            fields.push(
                yes_no_reasons(
                    &format!("indefinite_{}", kind.code),
                    "Expected to be long-continuing and to impair independent living?",
                )
                .hint("When the answer above is Yes."),
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
            .hint("When a survivor."),
            FieldSpec::code("currently_fleeing", "Currently fleeing?", &CURRENTLY_FLEEING)
                .hint("When a survivor."),
        ]);
    }
    fields
}

async fn entry_page(state: &AppState, draft: &Draft, m: &DraftMember) -> Result<StepView, AppError> {
    let step = entry_step(&m.personal_id);
    let answers = draft.answers(&step).cloned().unwrap_or_default();
    let earlier = m.existing && has_earlier_records(state, &m.personal_id).await?;
    Ok(StepView {
        id: step,
        title: format!("Entry assessment — {}", m.name()),
        intro: Some(match planned_entry(draft) {
            Some(d) => format!(
                "Information date: the project start date, {}.",
                d.format("%-m/%-d/%Y")
            ),
            None => "Information date: the project start date.".into(),
        }),
        body: StepBody::Form(with_values(entry_fields(draft, m, state.today()), &answers)),
        default_last: earlier,
        no_changes: false,
        finish: false,
    })
}

async fn has_earlier_records(state: &AppState, personal_id: &str) -> Result<bool, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::PersonalId.eq(personal_id))
        .filter(enrollment::Column::DateDeleted.is_null())
        .one(&state.db)
        .await?
        .is_some())
}

async fn review_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let enrollment = draft.answers(ENROLLMENT).cloned().unwrap_or_default();
    let project_name = match text(&enrollment, "project_id") {
        Some(id) => project::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|p| p.project_name),
        None => None,
    };
    let household = draft.answers(HOUSEHOLD).cloned().unwrap_or_default();
    let mut sections = vec![ReviewSection {
        heading: "Enrollment".into(),
        lines: vec![
            (
                "Project".into(),
                project_name.unwrap_or_else(|| "Not chosen".into()),
            ),
            (
                "Project start date".into(),
                text(&enrollment, "entry_date").unwrap_or_else(|| "Not chosen".into()),
            ),
            (
                "Assigned to me".into(),
                if ticked(&enrollment, "assign_to_me") {
                    "Yes"
                } else {
                    "No"
                }
                .into(),
            ),
        ],
    }];
    for m in &draft.data.members {
        let relationship = household
            .get(&format!("rel_{}", m.personal_id))
            .and_then(|r| r.parse().ok())
            .and_then(|r| RELATIONSHIP_TO_HOH.label(r))
            .unwrap_or("Not chosen");
        let done = |step: String| {
            if draft.data.done.contains(&step) {
                "Saved"
            } else {
                "Not saved yet"
            }
        };
        let mut lines = vec![
            ("Relationship".into(), relationship.to_string()),
            (
                "Client record".into(),
                format!(
                    "{} — {}",
                    if m.existing { "On record" } else { "New client" },
                    done(client_step(&m.personal_id))
                ),
            ),
        ];
        if enrolled(&draft.data, &m.personal_id) {
            lines.push(("Entry assessment".into(), done(entry_step(&m.personal_id)).into()));
        } else {
            lines.push(("Enrolled".into(), "No".into()));
        }
        sections.push(ReviewSection {
            heading: m.name(),
            lines,
        });
    }
    Ok(StepView {
        id: REVIEW.into(),
        title: "Review and finish".into(),
        intro: Some(
            "Finish checks every step again and saves the whole intake at once. Until then nothing is in the HMIS."
                .into(),
        ),
        body: StepBody::Review(sections),
        default_last: false,
        no_changes: false,
        finish: true,
    })
}

// ---- Default Last ------------------------------------------------------------------

/// The step filled from the member's latest records (entry assessments only).
pub async fn default_last(state: &AppState, draft: &Draft, step: &str) -> Result<Answers, AppError> {
    let Some(personal_id) = step.strip_prefix("entry-") else {
        return Err(AppError::Conflict(
            "This step has nothing to fill from earlier records.".into(),
        ));
    };
    member(draft, personal_id)?;
    let db = &state.db;
    let mut a = Answers::new();
    let num = |v: Option<i32>| v.map(|n| n.to_string());
    if let Some(last) = enrollment::Entity::find()
        .filter(enrollment::Column::PersonalId.eq(personal_id))
        .filter(enrollment::Column::DateDeleted.is_null())
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|e| e.entry_date)
    {
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
    }
    if let Some(income) = income_benefit::Entity::find()
        .filter(income_benefit::Column::PersonalId.eq(personal_id))
        .filter(income_benefit::Column::DateDeleted.is_null())
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|r| r.information_date)
    {
        use sea_orm::ModelTrait;
        let get = |column: &str| {
            income_benefit::Column::from_str(column)
                .map(|c| income.get(c))
                .unwrap_or(Value::Int(None))
        };
        let int = |column: &str| match get(column) {
            Value::Int(Some(n)) => Some(n),
            _ => None,
        };
        for key in [
            "income_from_any_source",
            "benefits_from_any_source",
            "insurance_from_any_source",
        ] {
            if let Some(n) = int(key) {
                a.insert(key.into(), n.to_string());
            }
        }
        for source in INCOME_SOURCES.values {
            let amount = source.column.map(column_name).unwrap_or_default();
            if int(&column_name(source.code)) == Some(1)
                && let Value::Double(Some(n)) = get(&amount)
            {
                a.insert(format!("income_{}", source.code), format!("{n:.2}"));
            }
        }
        for (list, prefix) in [
            (&NON_CASH_BENEFITS, "benefit_"),
            (&HEALTH_INSURANCE, "insurance_"),
        ] {
            for item in list.values {
                if int(&column_name(item.code)) == Some(1) {
                    a.insert(format!("{prefix}{}", item.code), "yes".into());
                }
            }
        }
        for key in [
            "other_income_source_identify",
            "other_benefits_source_identify",
            "other_insurance_identify",
        ] {
            if let Value::String(Some(s)) = get(key) {
                a.insert(key.into(), s.to_string());
            }
        }
    }
    if let Some(dv) = health_and_dv::Entity::find()
        .filter(health_and_dv::Column::PersonalId.eq(personal_id))
        .filter(health_and_dv::Column::DateDeleted.is_null())
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|r| r.information_date)
    {
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
    let mut disabilities = disability::Entity::find()
        .filter(disability::Column::PersonalId.eq(personal_id))
        .filter(disability::Column::DateDeleted.is_null())
        .all(db)
        .await?;
    disabilities.sort_by_key(|d| d.information_date);
    for d in disabilities {
        a.insert(
            format!("disability_{}", d.disability_type),
            d.disability_response.to_string(),
        );
        if let Some(i) = d.indefinite_and_impairs {
            a.insert(format!("indefinite_{}", d.disability_type), i.to_string());
        }
    }
    Ok(a)
}

// ---- checks ------------------------------------------------------------------------

/// Checks one saved step's answers.
pub async fn check_step(
    state: &AppState,
    session: &CurrentSession,
    draft: &Draft,
    step: &str,
) -> Result<(), AppError> {
    let answers = draft.answers(step).cloned().unwrap_or_default();
    if step == HOUSEHOLD {
        return check_household_step(draft, &answers);
    }
    if step == ENROLLMENT {
        return check_enrollment_step(state, session, draft, &answers)
            .await
            .map(|_| ());
    }
    if step == REVIEW {
        return Ok(());
    }
    if let Some(personal_id) = step.strip_prefix("client-") {
        let m = member(draft, personal_id)?;
        return check_client_step(draft, m, &answers, state.today()).map(|_| ());
    }
    if let Some(personal_id) = step.strip_prefix("entry-") {
        let m = member(draft, personal_id)?;
        return check_entry_step(draft, m, &answers, state.today()).map(|_| ());
    }
    Err(AppError::NotFound)
}

fn check_household_step(draft: &Draft, answers: &Answers) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let members: Vec<Member> = draft
        .data
        .members
        .iter()
        .map(|m| Member {
            relationship: text(answers, &format!("rel_{}", m.personal_id)).and_then(|r| r.parse().ok()),
        })
        .collect();
    for problem in check_household(&members) {
        use crate::domain::household::HouseholdProblem::*;
        let field = match &problem {
            MissingRelationship(i) | UnknownRelationship(i) => {
                format!("rel_{}", draft.data.members[*i].personal_id)
            }
            _ => "household".to_string(),
        };
        errors.push(FieldError {
            field,
            message: problem.message(),
        });
    }
    validation(errors)
}

/// The client step's answers as a record.
struct ClientAnswers {
    first_name: Option<String>,
    middle_name: Option<String>,
    last_name: Option<String>,
    name_suffix: Option<String>,
    name_data_quality: i32,
    ssn_data_quality: i32,
    dob: Option<NaiveDate>,
    dob_data_quality: i32,
    races: [i32; 7],
    race_none: Option<i32>,
    additional_race_ethnicity: Option<String>,
    sex: i32,
    veteran_status: i32,
}

fn check_client_step(
    draft: &Draft,
    m: &DraftMember,
    answers: &Answers,
    today: NaiveDate,
) -> Result<ClientAnswers, AppError> {
    let mut errors = Vec::new();
    let first_name = text(answers, "first_name");
    let last_name = text(answers, "last_name");
    let name_dq = required_code(answers, "name_data_quality", &NAME_DATA_QUALITY, &mut errors);
    if name_dq == Some(1) && (first_name.is_none() || last_name.is_none()) {
        errors.push(field_error(
            "last_name",
            "A full name needs a first and a last name.",
        ));
    }
    if name_dq.is_some_and(|q| q != 99) && first_name.is_none() && last_name.is_none() {
        errors.push(field_error(
            "first_name",
            "Type a name, or choose \"Data not collected\".",
        ));
    }
    for key in ["first_name", "middle_name", "last_name", "name_suffix"] {
        if text(answers, key).is_some_and(|v| v.chars().count() > 50) {
            errors.push(field_error(key, "At most 50 characters."));
        }
    }
    let ssn_dq = required_code(answers, "ssn_data_quality", &SSN_DATA_QUALITY, &mut errors);
    let has_ssn = answers.contains_key("ssn_sealed") || (m.existing && answers.contains_key("ssn_last4"));
    if ssn_dq == Some(1) && !has_ssn {
        errors.push(field_error("ssn", "A full SSN was chosen: type the nine digits."));
    }
    let dob = date(answers, "dob", &mut errors);
    let dob_dq = required_code(answers, "dob_data_quality", &DOB_DATA_QUALITY, &mut errors);
    if let Some(d) = dob {
        if d > today {
            errors.push(field_error("dob", "The date of birth cannot be in the future."));
        } else if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
            errors.push(field_error("dob", "The date of birth is before 1900."));
        }
    }
    if matches!(dob_dq, Some(1 | 2)) && dob.is_none() {
        errors.push(field_error(
            "dob",
            "Enter the date of birth (approximate is fine with partial quality).",
        ));
    }
    if matches!(dob_dq, Some(8 | 9 | 99)) && dob.is_some() {
        errors.push(field_error(
            "dob_data_quality",
            "A date was entered: choose full or approximate.",
        ));
    }
    let races = RACES.map(|(column, _)| i32::from(ticked(answers, &format!("race_{column}"))));
    let race_none = code(answers, "race_none", &RACE_NONE, &mut errors);
    if races.iter().all(|r| *r == 0) && race_none.is_none() {
        errors.push(field_error(
            "race_none",
            "Tick at least one race or ethnicity, or choose a reason here.",
        ));
    }
    if races.contains(&1) && race_none.is_some() {
        errors.push(field_error(
            "race_none",
            "Leave this empty when a race or ethnicity is ticked.",
        ));
    }
    let sex = required_code(answers, "sex", &SEX, &mut errors);
    let adult = is_adult(draft, dob, today);
    let veteran = if adult {
        required_code(
            answers,
            "veteran_status",
            &NO_YES_REASONS_FOR_MISSING_DATA,
            &mut errors,
        )
    } else {
        Some(99)
    };
    if adult && dob.is_some_and(|d| !crate::domain::dates::is_adult_on(d, today)) && veteran == Some(1) {
        errors.push(field_error("veteran_status", "A child cannot be a veteran."));
    }
    validation(errors)?;
    Ok(ClientAnswers {
        first_name,
        middle_name: text(answers, "middle_name"),
        last_name,
        name_suffix: text(answers, "name_suffix"),
        name_data_quality: name_dq.unwrap_or(99),
        ssn_data_quality: ssn_dq.unwrap_or(99),
        dob,
        dob_data_quality: dob_dq.unwrap_or(99),
        races,
        race_none,
        additional_race_ethnicity: text(answers, "additional_race_ethnicity"),
        sex: sex.unwrap_or(99),
        veteran_status: veteran.unwrap_or(99),
    })
}

/// The enrollment step's answers, checked.
struct EnrollmentAnswers {
    project: project::Model,
    entry_date: NaiveDate,
    date_of_engagement: Option<NaiveDate>,
    enrolled: Vec<String>,
    assign_to_me: bool,
}

async fn check_enrollment_step(
    state: &AppState,
    session: &CurrentSession,
    draft: &Draft,
    answers: &Answers,
) -> Result<EnrollmentAnswers, AppError> {
    let context = session.require_context()?;
    let today = state.today();
    let mut errors = Vec::new();
    let project = match text(answers, "project_id") {
        None => {
            errors.push(field_error("project_id", "Choose the project."));
            None
        }
        Some(id) => {
            let found = project::Entity::find_by_id(id).one(&state.db).await?;
            match found {
                Some(p) if p.organization_id == context.organization_id && p.date_deleted.is_none() => {
                    Some(p)
                }
                _ => {
                    errors.push(field_error(
                        "project_id",
                        "Choose one of your organization's projects.",
                    ));
                    None
                }
            }
        }
    };
    let entry_date = date(answers, "entry_date", &mut errors);
    if entry_date.is_none() && !errors.iter().any(|e| e.field == "entry_date") {
        errors.push(field_error("entry_date", "Enter the project start date."));
    }
    if let (Some(p), Some(entry)) = (&project, entry_date)
        && let Err(message) = check_entry_date(entry, today, p.operating_start_date, p.operating_end_date)
    {
        errors.push(field_error("entry_date", &message));
    }
    let engagement = date(answers, "date_of_engagement", &mut errors);
    if let (Some(p), Some(engaged)) = (&project, engagement) {
        let collects = p
            .project_type
            .and_then(ProjectType::from_code)
            .is_some_and(collects_engagement);
        if !collects {
            errors.push(field_error(
                "date_of_engagement",
                "Only street outreach, night-by-night shelter and services-only projects record a date of engagement.",
            ));
        } else if entry_date.is_some_and(|e| engaged < e) || engaged > today {
            errors.push(field_error(
                "date_of_engagement",
                "The date of engagement is on or after the start date, and not in the future.",
            ));
        }
    }
    let enrolled: Vec<String> = draft
        .data
        .members
        .iter()
        .filter(|m| ticked(answers, &format!("enroll_{}", m.personal_id)))
        .map(|m| m.personal_id.clone())
        .collect();
    let household = draft.answers(HOUSEHOLD).cloned().unwrap_or_default();
    let members: Vec<Member> = enrolled
        .iter()
        .map(|id| Member {
            relationship: text(&household, &format!("rel_{id}")).and_then(|r| r.parse().ok()),
        })
        .collect();
    if enrolled.is_empty() {
        errors.push(field_error("household", "Enroll at least one household member."));
    } else if !check_household(&members).is_empty() {
        errors.push(field_error(
            "household",
            "The members enrolled must include exactly one head of household.",
        ));
    }
    if let (Some(p), Some(entry)) = (&project, entry_date) {
        for m in draft
            .data
            .members
            .iter()
            .filter(|m| m.existing && enrolled.contains(&m.personal_id))
        {
            if overlapping(&state.db, &m.personal_id, &p.project_id, entry).await? {
                errors.push(field_error(
                    &format!("enroll_{}", m.personal_id),
                    &format!(
                        "{} already has an enrollment in this project that is open or ends after this date.",
                        m.name()
                    ),
                ));
            }
        }
    }
    validation(errors)?;
    match (project, entry_date) {
        (Some(project), Some(entry_date)) => Ok(EnrollmentAnswers {
            project,
            entry_date,
            date_of_engagement: engagement,
            enrolled,
            assign_to_me: ticked(answers, "assign_to_me"),
        }),
        _ => Err(AppError::Internal),
    }
}

/// Whether a new enrollment of the client in the project on `entry` would overlap one
/// on record.
async fn overlapping(
    db: &impl ConnectionTrait,
    personal_id: &str,
    project_id: &str,
    entry: NaiveDate,
) -> Result<bool, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT e.entry_date, x.exit_date FROM enrollments e \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.personal_id = ? AND e.project_id = ? AND e.date_deleted IS NULL",
            vec![personal_id.into(), project_id.into()],
        ))
        .await?;
    let mut stays = Vec::with_capacity(rows.len());
    for row in rows {
        stays.push((row.try_get("", "entry_date")?, row.try_get("", "exit_date")?));
    }
    Ok(overlaps(&stays, entry))
}

/// The entry step's answers, checked, ready to write.
#[derive(Default)]
struct EntryAnswers {
    /// Enrollment columns (3.917, 3.08).
    enrollment: Vec<(&'static str, Value)>,
    /// IncomeBenefits columns.
    income: Vec<(String, Value)>,
    /// DV answers, when collected: (survivor, when, fleeing).
    dv: Option<(i32, Option<i32>, Option<i32>)>,
    /// (type, response, indefinite).
    disabilities: Vec<(i32, i32, Option<i32>)>,
}

fn check_entry_step(
    draft: &Draft,
    m: &DraftMember,
    answers: &Answers,
    today: NaiveDate,
) -> Result<EntryAnswers, AppError> {
    let entry = planned_entry(draft).unwrap_or(today);
    let collected = collected_for(is_head(draft, &m.personal_id), answered_dob(draft, m), entry);
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
            errors.push(field_error(
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

    // 4.02 / 4.03 / 4.04: "from any source" answers agree with the sources ticked.
    let mut any_check = |key: &str, list: &TextCodeList, prefix: &str, amounts: bool, collected: bool| {
        if !collected {
            return;
        }
        let any = required_code(answers, key, &NO_YES_REASONS_FOR_MISSING_DATA, &mut errors);
        out.income.push((key.to_string(), int(any)));
        let mut yes = 0;
        for item in list.values {
            let field = format!("{prefix}{}", item.code);
            let has = if amounts {
                match money(answers, &field, &mut errors) {
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
            errors.push(field_error(key, "\"Yes\": give at least one source below."));
        }
        if any.is_some_and(|a| a != 1) && yes > 0 {
            errors.push(field_error(key, "Sources are given below: answer \"Yes\"."));
        }
    };
    any_check(
        "income_from_any_source",
        &INCOME_SOURCES,
        "income_",
        true,
        collected.income_and_benefits,
    );
    any_check(
        "benefits_from_any_source",
        &NON_CASH_BENEFITS,
        "benefit_",
        false,
        collected.income_and_benefits,
    );
    any_check(
        "insurance_from_any_source",
        &HEALTH_INSURANCE,
        "insurance_",
        false,
        true,
    );
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
    for key in [
        "other_income_source_identify",
        "other_benefits_source_identify",
        "other_insurance_identify",
    ] {
        if let Some(v) = text(answers, key) {
            out.income
                .push((key.into(), Value::String(Some(v.chars().take(50).collect()))));
        }
    }

    let mut long_term = false;
    for kind in DISABILITY_TYPE.values {
        let response = required_code(
            answers,
            &format!("disability_{}", kind.code),
            &NO_YES_REASONS_FOR_MISSING_DATA,
            &mut errors,
        );
        let mut indefinite = None;
        if ASKS_INDEFINITE.contains(&kind.code) {
            let key = format!("indefinite_{}", kind.code);
            indefinite = code(answers, &key, &NO_YES_REASONS_FOR_MISSING_DATA, &mut errors);
            if response == Some(1) && indefinite.is_none() {
                errors.push(field_error(&key, "Required when the answer above is Yes."));
            }
            if response.is_some_and(|r| r != 1) {
                indefinite = None;
            }
            long_term |= response == Some(1) && indefinite == Some(1);
        } else {
            // Developmental disability and HIV/AIDS are disabling by definition.
            long_term |= response == Some(1);
        }
        if let Some(response) = response {
            out.disabilities.push((kind.code, response, indefinite));
        }
    }
    if long_term && disabling.is_some_and(|d| d != 1) {
        errors.push(field_error(
            "disabling_condition",
            "A long-continuing disability is recorded below: the disabling condition is \"Yes\".",
        ));
    }
    if collected.domestic_violence {
        let survivor = required_code(
            answers,
            "domestic_violence_survivor",
            &NO_YES_REASONS_FOR_MISSING_DATA,
            &mut errors,
        );
        let when = code(answers, "when_occurred", &WHEN_DV_OCCURRED, &mut errors);
        let fleeing = code(answers, "currently_fleeing", &CURRENTLY_FLEEING, &mut errors);
        if survivor == Some(1) && when.is_none() {
            errors.push(field_error("when_occurred", "Required for a survivor."));
        }
        if survivor == Some(1) && fleeing.is_none() {
            errors.push(field_error("currently_fleeing", "Required for a survivor."));
        }
        if let Some(survivor) = survivor {
            let only_if = |v: Option<i32>| if survivor == 1 { v } else { None };
            out.dv = Some((survivor, only_if(when), only_if(fleeing)));
        }
    }
    validation(errors)?;
    Ok(out)
}

// ---- finish ------------------------------------------------------------------------

/// Message for a step that no longer passes its checks at Finish.
fn step_needs_attention(step: &StepDef, err: AppError) -> AppError {
    match err {
        AppError::Validation(errors) => {
            let who = step
                .member
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            let first = errors.first().map(|e| e.message.clone()).unwrap_or_default();
            AppError::Conflict(format!("\"{}\"{who} needs attention: {first}", step.label))
        }
        other => other,
    }
}

/// Commits the intake: new clients, changed client records, the household's
/// enrollments with their entry assessments, the case assignment — one transaction.
pub async fn finish(state: &AppState, session: &CurrentSession, draft: &Draft) -> Result<String, AppError> {
    require_intake_rights(session)?;
    let today = state.today();
    let now = state.now();
    let all = steps(&draft.data);
    let by_id = |id: &str| all.iter().find(|s| s.id == id).cloned();
    let empty = Answers::new();
    let answers_of = |step: &str| draft.answers(step).unwrap_or(&empty);

    check_household_step(draft, answers_of(HOUSEHOLD))
        .map_err(|e| step_needs_attention(&by_id(HOUSEHOLD).unwrap_or_else(review_def), e))?;
    let mut clients = Vec::new();
    for m in &draft.data.members {
        let step = client_step(&m.personal_id);
        let checked = check_client_step(draft, m, answers_of(&step), today)
            .map_err(|e| step_needs_attention(&by_id(&step).unwrap_or_else(review_def), e))?;
        clients.push(checked);
    }
    let enrollment_answers = check_enrollment_step(state, session, draft, answers_of(ENROLLMENT))
        .await
        .map_err(|e| step_needs_attention(&by_id(ENROLLMENT).unwrap_or_else(review_def), e))?;
    let mut entries = Vec::new();
    for m in draft
        .data
        .members
        .iter()
        .filter(|m| enrollment_answers.enrolled.contains(&m.personal_id))
    {
        let step = entry_step(&m.personal_id);
        let checked = check_entry_step(draft, m, answers_of(&step), today)
            .map_err(|e| step_needs_attention(&by_id(&step).unwrap_or_else(review_def), e))?;
        entries.push((m, checked));
    }

    let household = answers_of(HOUSEHOLD);
    let user = Some(session.user_id.clone());
    let project = &enrollment_answers.project;
    let entry_date = enrollment_answers.entry_date;
    let household_id = new_id();
    let head_id = draft
        .data
        .members
        .iter()
        .find(|m| enrollment_answers.enrolled.contains(&m.personal_id) && is_head(draft, &m.personal_id))
        .map(|m| m.personal_id.clone())
        .ok_or(AppError::Internal)?;

    let txn = begin_write(&state.db).await?;
    for (m, c) in draft.data.members.iter().zip(&clients) {
        let step_answers = answers_of(&client_step(&m.personal_id));
        if m.existing && ticked(step_answers, NO_CHANGES) {
            continue;
        }
        let mut record = client::ActiveModel {
            personal_id: Set(m.personal_id.clone()),
            first_name: Set(c.first_name.clone()),
            middle_name: Set(c.middle_name.clone()),
            last_name: Set(c.last_name.clone()),
            name_suffix: Set(c.name_suffix.clone()),
            name_data_quality: Set(c.name_data_quality),
            ssn_data_quality: Set(c.ssn_data_quality),
            dob: Set(c.dob),
            dob_data_quality: Set(c.dob_data_quality),
            sex: Set(Some(c.sex)),
            am_ind_ak_native: Set(c.races[0]),
            asian: Set(c.races[1]),
            black_af_american: Set(c.races[2]),
            hispanic_latinao: Set(c.races[3]),
            mid_east_n_african: Set(c.races[4]),
            native_hi_pacific: Set(c.races[5]),
            white: Set(c.races[6]),
            race_none: Set(c.race_none),
            additional_race_ethnicity: Set(c.additional_race_ethnicity.clone()),
            veteran_status: Set(c.veteran_status),
            updated_at: Set(now),
            first_name_key: Set(c.first_name.as_deref().map(search_key)),
            last_name_key: Set(c.last_name.as_deref().map(search_key)),
            ..Default::default()
        };
        if let Some(sealed) = step_answers.get("ssn_sealed") {
            record.ssn_encrypted = Set(Some(sealed.clone()));
            record.ssn_last4 = Set(step_answers.get("ssn_last4").cloned());
        } else if !m.existing {
            record.ssn_encrypted = Set(None);
            record.ssn_last4 = Set(None);
        }
        if m.existing {
            record.update(&txn).await?;
            audit::record(
                &txn,
                now,
                &session.actor(),
                Event::new("client.update")
                    .on("client", &m.personal_id)
                    .client(&m.personal_id),
            )
            .await?;
        } else {
            record.created_at = Set(now);
            record.created_by = Set(user.clone());
            record.date_deleted = Set(None);
            record.insert(&txn).await?;
            audit::record(
                &txn,
                now,
                &session.actor(),
                Event::new("client.create")
                    .on("client", &m.personal_id)
                    .client(&m.personal_id),
            )
            .await?;
        }
    }

    for (m, entry) in &entries {
        // Checked again inside the transaction: another intake may have just finished.
        if overlapping(&txn, &m.personal_id, &project.project_id, entry_date).await? {
            return Err(AppError::Conflict(format!(
                "{} already has an enrollment in this project that is open or ends after this date.",
                m.name()
            )));
        }
        let enrollment_id = new_id();
        let relationship =
            text(household, &format!("rel_{}", m.personal_id)).and_then(|r| r.parse::<i32>().ok());
        let mut row = enrollment::ActiveModel {
            enrollment_id: Set(enrollment_id.clone()),
            personal_id: Set(m.personal_id.clone()),
            project_id: Set(project.project_id.clone()),
            entry_date: Set(entry_date),
            household_id: Set(household_id.clone()),
            relationship_to_hoh: Set(relationship),
            date_of_engagement: Set(enrollment_answers.date_of_engagement),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
            ..Default::default()
        };
        for (column, value) in &entry.enrollment {
            let column = enrollment::Column::from_str(column).map_err(|_| AppError::Internal)?;
            row.set(column, value.clone());
        }
        row.insert(&txn).await?;

        let event_id = new_id();
        assessment_event::ActiveModel {
            assessment_event_id: Set(event_id.clone()),
            enrollment_id: Set(enrollment_id.clone()),
            personal_id: Set(m.personal_id.clone()),
            data_collection_stage: Set(1),
            information_date: Set(entry_date),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
        }
        .insert(&txn)
        .await?;

        let mut income = income_benefit::ActiveModel {
            income_benefits_id: Set(new_id()),
            enrollment_id: Set(enrollment_id.clone()),
            personal_id: Set(m.personal_id.clone()),
            information_date: Set(entry_date),
            data_collection_stage: Set(Some(1)),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
            assessment_event_id: Set(event_id.clone()),
            ..Default::default()
        };
        for (column, value) in &entry.income {
            let column = income_benefit::Column::from_str(column).map_err(|_| {
                tracing::error!(column = %column, "unknown IncomeBenefits column");
                AppError::Internal
            })?;
            income.set(column, value.clone());
        }
        income.insert(&txn).await?;

        if let Some((survivor, when, fleeing)) = entry.dv {
            health_and_dv::ActiveModel {
                health_and_dv_id: Set(new_id()),
                enrollment_id: Set(enrollment_id.clone()),
                personal_id: Set(m.personal_id.clone()),
                information_date: Set(entry_date),
                domestic_violence_survivor: Set(Some(survivor)),
                when_occurred: Set(when),
                currently_fleeing: Set(fleeing),
                data_collection_stage: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(user.clone()),
                date_deleted: Set(None),
                assessment_event_id: Set(event_id.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        for (kind, response, indefinite) in &entry.disabilities {
            disability::ActiveModel {
                disabilities_id: Set(new_id()),
                enrollment_id: Set(enrollment_id.clone()),
                personal_id: Set(m.personal_id.clone()),
                information_date: Set(entry_date),
                disability_type: Set(*kind),
                disability_response: Set(*response),
                indefinite_and_impairs: Set(*indefinite),
                data_collection_stage: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(user.clone()),
                date_deleted: Set(None),
                assessment_event_id: Set(event_id.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        if enrollment_answers.assign_to_me {
            case_assignment::ActiveModel {
                case_assignment_id: Set(new_id()),
                personal_id: Set(m.personal_id.clone()),
                enrollment_id: Set(Some(enrollment_id.clone())),
                user_id: Set(session.user_id.clone()),
                organization_id: Set(project.organization_id.clone()),
                start_date: Set(entry_date),
                end_date: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(user.clone()),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            now,
            &session.actor(),
            Event::new("enrollment.create")
                .on("enrollment", &enrollment_id)
                .client(&m.personal_id)
                .detail(format!(
                    "household {household_id}, project {}",
                    project.project_id
                )),
        )
        .await?;
    }
    service::delete_in(&txn, draft.id()).await?;
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("workflow.finish")
            .on("workflow_draft", draft.id())
            .client(&head_id)
            .detail(format!(
                "intake: {} enrolled in household {household_id}",
                entries.len()
            )),
    )
    .await?;
    txn.commit().await?;
    Ok(crate::routes::client(&head_id))
}

fn review_def() -> StepDef {
    StepDef {
        id: REVIEW.into(),
        label: "Review and finish".into(),
        member: None,
    }
}
