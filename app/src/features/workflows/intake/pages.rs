//! The intake's pages: what each step shows, and "Default Last".

use super::*;
use crate::features::profile::api::ProfileKind;

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
    if let Some(personal_id) = id.strip_prefix("outreach-") {
        return outreach_page(state, draft, member(draft, personal_id)?).await;
    }
    Err(AppError::NotFound)
}

/// The answers of the client step for a client on record.
pub(super) fn client_answers(record: &client::Model) -> Answers {
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

/// The client step's fields. Veteran status is asked of adults only: left out for a
/// member known to be a child on `adult_on` (the planned start date), and hidden as
/// soon as a child's date of birth is typed on the page.
pub(super) fn client_fields(adult: bool, adult_on: NaiveDate, ssn_on_file: Option<&str>) -> Vec<FieldSpec> {
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
        fields.push(FieldSpec::section("3.07 Veteran status").adults_only(adult_on));
        fields.push(
            yes_no_reasons("veteran_status", "Veteran status")
                .required()
                .adults_only(adult_on)
                .hint("Asked of adults (18 or older on the start date)."),
        );
    }
    fields
}

pub(super) async fn client_page(
    state: &AppState,
    draft: &Draft,
    m: &DraftMember,
) -> Result<StepView, AppError> {
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
    let adult_on = planned_entry(draft).unwrap_or(state.today());
    let fields = with_values(
        client_fields(adult, adult_on, answers.get("ssn_last4").map(String::as_str)),
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
pub(super) async fn organization_projects(
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

pub(super) async fn enrollment_page(
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
        FieldSpec::new("date_of_engagement", "4.13 Date of engagement", FieldKind::Date)
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

pub(super) fn entry_fields(draft: &Draft, m: &DraftMember, today: NaiveDate) -> Vec<FieldSpec> {
    let entry = planned_entry(draft).unwrap_or(today);
    let collected = collected_for(is_head(draft, &m.personal_id), answered_dob(draft, m), entry);
    entry_assessment::fields(collected, chosen_project_type(draft))
}

pub(super) async fn entry_page(
    state: &AppState,
    draft: &Draft,
    m: &DraftMember,
) -> Result<StepView, AppError> {
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

pub(super) async fn has_earlier_records(state: &AppState, personal_id: &str) -> Result<bool, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::PersonalId.eq(personal_id))
        .filter(enrollment::Column::DateDeleted.is_null())
        .one(&state.db)
        .await?
        .is_some())
}

pub(super) async fn review_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
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
    if let Some(personal_id) = step.strip_prefix("outreach-") {
        member(draft, personal_id)?;
        return Ok(last_outreach(state, draft, personal_id)
            .await?
            .unwrap_or_default());
    }
    let Some(personal_id) = step.strip_prefix("entry-") else {
        return Err(AppError::Conflict(
            "This step has nothing to fill from earlier records.".into(),
        ));
    };
    member(draft, personal_id)?;
    let db = &state.db;
    let mut a = match enrollment::Entity::find()
        .filter(enrollment::Column::PersonalId.eq(personal_id))
        .filter(enrollment::Column::DateDeleted.is_null())
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|e| e.entry_date)
    {
        Some(last) => entry_assessment::enrollment_answers(&last),
        None => Answers::new(),
    };
    a.extend(assessment::answers_from(db, assessment::Source::Latest { personal_id }).await?);
    Ok(a)
}

/// The client profile's outreach information, asked of the head of household at a
/// street outreach intake (required there).
async fn outreach_page(state: &AppState, draft: &Draft, m: &DraftMember) -> Result<StepView, AppError> {
    let step = outreach_step(&m.personal_id);
    let answers = draft.answers(&step).cloned().unwrap_or_default();
    let fields = ProfileKind::OutreachInformation
        .columns()
        .into_iter()
        .map(|(_, field)| field)
        .collect();
    let earlier = m.existing && last_outreach(state, draft, &m.personal_id).await?.is_some();
    Ok(StepView {
        id: step,
        title: format!("Outreach information — {}", m.name()),
        intro: Some(
            "Street outreach records where and when the client can be found (kept in the client profile). \
             Required: fill in at least one field."
                .into(),
        ),
        body: StepBody::Form(with_values(fields, &answers)),
        default_last: earlier,
        no_changes: false,
        finish: false,
    })
}

/// The latest outreach information the draft's organization recorded for the client.
async fn last_outreach(
    state: &AppState,
    draft: &Draft,
    personal_id: &str,
) -> Result<Option<Answers>, AppError> {
    let db = &state.db;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT last_known_location, last_seen_date, best_time_to_find, outreach_worker_notes \
             FROM outreach_info WHERE personal_id = ? AND organization_id = ? AND date_deleted IS NULL \
             ORDER BY created_at DESC LIMIT 1",
            vec![personal_id.into(), draft.model.organization_id.clone().into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut a = Answers::new();
    for key in [
        "last_known_location",
        "best_time_to_find",
        "outreach_worker_notes",
    ] {
        if let Some(v) = row.try_get::<Option<String>>("", key)? {
            a.insert(key.into(), v);
        }
    }
    if let Some(d) = row.try_get::<Option<NaiveDate>>("", "last_seen_date")? {
        a.insert("last_seen_date".into(), d.format("%Y-%m-%d").to_string());
    }
    Ok(Some(a))
}

/// The HUD type of the project chosen on the enrollment step, once saved.
fn chosen_project_type(draft: &Draft) -> Option<ProjectType> {
    draft
        .answers(ENROLLMENT)
        .and_then(|a| a.get(PROJECT_TYPE_ANSWER))
        .and_then(|t| t.parse().ok())
        .and_then(ProjectType::from_code)
}
