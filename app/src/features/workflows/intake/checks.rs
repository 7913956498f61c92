//! The intake's checks of each step's answers (run on Save and again at Finish).

use super::*;

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
    if let Some(personal_id) = step.strip_prefix("outreach-") {
        member(draft, personal_id)?;
        return check_outreach_step(&answers, state.today()).map(|_| ());
    }
    Err(AppError::NotFound)
}

pub(super) fn check_household_step(draft: &Draft, answers: &Answers) -> Result<(), AppError> {
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
pub(super) struct ClientAnswers {
    pub(super) first_name: Option<String>,
    pub(super) middle_name: Option<String>,
    pub(super) last_name: Option<String>,
    pub(super) name_suffix: Option<String>,
    pub(super) name_data_quality: i32,
    pub(super) ssn_data_quality: i32,
    pub(super) dob: Option<NaiveDate>,
    pub(super) dob_data_quality: i32,
    pub(super) races: [i32; 7],
    pub(super) race_none: Option<i32>,
    pub(super) additional_race_ethnicity: Option<String>,
    pub(super) sex: i32,
    pub(super) veteran_status: i32,
}

pub(super) fn check_client_step(
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
        errors.push(FieldError::new(
            "last_name",
            "A full name needs a first and a last name.",
        ));
    }
    if name_dq.is_some_and(|q| q != 99) && first_name.is_none() && last_name.is_none() {
        errors.push(FieldError::new(
            "first_name",
            "Type a name, or choose \"Data not collected\".",
        ));
    }
    for key in ["first_name", "middle_name", "last_name", "name_suffix"] {
        if text(answers, key).is_some_and(|v| v.chars().count() > 50) {
            errors.push(FieldError::new(key, "At most 50 characters."));
        }
    }
    let ssn_dq = required_code(answers, "ssn_data_quality", &SSN_DATA_QUALITY, &mut errors);
    let has_ssn = answers.contains_key("ssn_sealed") || (m.existing && answers.contains_key("ssn_last4"));
    if ssn_dq == Some(1) && !has_ssn {
        errors.push(FieldError::new(
            "ssn",
            "A full SSN was chosen: type the nine digits.",
        ));
    }
    let dob = date(answers, "dob", &mut errors);
    let dob_dq = required_code(answers, "dob_data_quality", &DOB_DATA_QUALITY, &mut errors);
    if let Some(d) = dob {
        if d > today {
            errors.push(FieldError::new(
                "dob",
                "The date of birth cannot be in the future.",
            ));
        } else if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
            errors.push(FieldError::new("dob", "The date of birth is before 1900."));
        }
    }
    if matches!(dob_dq, Some(1 | 2)) && dob.is_none() {
        errors.push(FieldError::new(
            "dob",
            "Enter the date of birth (approximate is fine with partial quality).",
        ));
    }
    if matches!(dob_dq, Some(8 | 9 | 99)) && dob.is_some() {
        errors.push(FieldError::new(
            "dob_data_quality",
            "A date was entered: choose full or approximate.",
        ));
    }
    let races = RACES.map(|(column, _)| i32::from(ticked(answers, &format!("race_{column}"))));
    let race_none = code(answers, "race_none", &RACE_NONE, &mut errors);
    if races.iter().all(|r| *r == 0) && race_none.is_none() {
        errors.push(FieldError::new(
            "race_none",
            "Tick at least one race or ethnicity, or choose a reason here.",
        ));
    }
    if races.contains(&1) && race_none.is_some() {
        errors.push(FieldError::new(
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
        errors.push(FieldError::new("veteran_status", "A child cannot be a veteran."));
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
pub(super) struct EnrollmentAnswers {
    pub(super) project: project::Model,
    pub(super) entry_date: NaiveDate,
    pub(super) date_of_engagement: Option<NaiveDate>,
    pub(super) enrolled: Vec<String>,
    pub(super) assign_to_me: bool,
}

pub(super) async fn check_enrollment_step(
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
            errors.push(FieldError::new("project_id", "Choose the project."));
            None
        }
        Some(id) => {
            let found = project::Entity::find_by_id(id).one(&state.db).await?;
            match found {
                Some(p) if p.organization_id == context.organization_id && p.date_deleted.is_none() => {
                    Some(p)
                }
                _ => {
                    errors.push(FieldError::new(
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
        errors.push(FieldError::new("entry_date", "Enter the project start date."));
    }
    if let (Some(p), Some(entry)) = (&project, entry_date)
        && let Err(message) = check_entry_date(entry, today, p.operating_start_date, p.operating_end_date)
    {
        errors.push(FieldError::new("entry_date", &message));
    }
    let engagement = date(answers, "date_of_engagement", &mut errors);
    if let (Some(p), Some(engaged)) = (&project, engagement) {
        let collects = p
            .project_type
            .and_then(ProjectType::from_code)
            .is_some_and(collects_engagement);
        if !collects {
            errors.push(FieldError::new(
                "date_of_engagement",
                "Only street outreach, night-by-night shelter and services-only projects record a date of engagement.",
            ));
        } else if entry_date.is_some_and(|e| engaged < e) || engaged > today {
            errors.push(FieldError::new(
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
        errors.push(FieldError::new(
            "household",
            "Enroll at least one household member.",
        ));
    } else if !check_household(&members).is_empty() {
        errors.push(FieldError::new(
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
                errors.push(FieldError::new(
                    format!("enroll_{}", m.personal_id),
                    format!(
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
pub(super) async fn overlapping(
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

pub(super) fn check_entry_step(
    draft: &Draft,
    m: &DraftMember,
    answers: &Answers,
    today: NaiveDate,
) -> Result<EntryAnswers, AppError> {
    let entry = planned_entry(draft).unwrap_or(today);
    let collected = collected_for(is_head(draft, &m.personal_id), answered_dob(draft, m), entry);
    entry_assessment::check(answers, collected, entry)
}

/// The outreach information step: the client profile's own checks.
pub(super) fn check_outreach_step(
    answers: &Answers,
    today: NaiveDate,
) -> Result<Vec<(String, Value)>, AppError> {
    crate::features::profile::check_record(
        crate::features::profile::api::ProfileKind::OutreachInformation,
        answers,
        today,
    )
}
