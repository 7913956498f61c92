//! Coordinated Entry on the server: who does CE work, the local questions, CE
//! assessments. The questions are in [`super::questions`], the priority list entry an
//! assessment keeps in [`super::entry`], the list in [`super::list`], events and
//! referrals in [`super::referrals`].

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::api::{CeAssessmentView, CeEnrollment, QuestionRow, RecordedAssessment};
use crate::db::audit::{self, Event};
use crate::db::entities::{assessment, assessment_question, assessment_result};
use crate::db::visibility::{EnrollmentAccess, enrollment_access};
use crate::db::{begin_write, new_id, statement};
use crate::domain::access::Workgroup;
use crate::domain::ce::{self, Choice};
use crate::domain::codes::{
    ASSESSMENT_LEVEL, ASSESSMENT_TYPE, CodeList, PRIORITIZATION_STATUS, PROJECT_TYPE, ProjectType,
};
use crate::domain::enrollment::does_ce_work;
use crate::error::{AppError, FieldError};
use crate::session::{ActingContext, CurrentSession};
use crate::state::AppState;
use crate::ui::fields::{Choice as FieldChoice, FieldKind, FieldSpec};

pub use super::entry::{rebuild_list, refresh_entry};
use super::questions::*;
pub use super::questions::{QuestionForm, questions, save_question, seed_questions};

/// The AssessmentResultType of the score (AssessmentResults.csv).
pub const SCORE_RESULT: &str = "Total score";
/// The AssessmentResultType of the project type sought.
pub const SOUGHT_RESULT: &str = "Project type sought";
/// The AssessmentQuestionGroup of the local questions (AssessmentQuestions.csv).
pub const QUESTION_GROUP: &str = "Local prioritization";

/// Whether the acting organization is the CoC's Coordinated Entry organization.
pub(crate) async fn acts_in_ce_organization(
    db: &impl ConnectionTrait,
    context: &ActingContext,
) -> Result<bool, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT coordinated_entry FROM organizations WHERE organization_id = ?",
            vec![context.organization_id.clone().into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get("", "coordinated_entry")?,
        None => false,
    })
}

/// The priority list's users: priority list managers and CE assessors acting in the
/// CE organization. Returns whether the user manages the list (refers, exits).
pub(crate) async fn require_list_user(state: &AppState, session: &CurrentSession) -> Result<bool, AppError> {
    let context = session.require_context()?;
    let workgroup = context.workgroup;
    if !matches!(workgroup, Workgroup::PriorityListManager | Workgroup::CeAssessor)
        || !acts_in_ce_organization(&state.db, context).await?
    {
        return Err(AppError::Forbidden);
    }
    Ok(workgroup == Workgroup::PriorityListManager)
}

/// A Coordinated Entry enrollment the user sees, with whether they may do CE work on it
/// (and if not, why).
pub(crate) async fn ce_enrollment(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<(EnrollmentAccess, Option<String>), AppError> {
    let context = session.require_context()?;
    let access = enrollment_access(&state.db, session, enrollment_id).await?;
    if access.project_type != Some(ProjectType::CoordinatedEntry.code()) {
        return Err(AppError::Conflict(
            "This is not a Coordinated Entry enrollment: CE assessments and events are recorded on enrollments in the CE project.".into(),
        ));
    }
    let refused = if !access.editable {
        Some("Read-only: this enrollment belongs to the Coordinated Entry organization.".to_string())
    } else if !does_ce_work(context.workgroup) {
        Some("CE assessments and events are recorded by CE assessors and priority list managers.".to_string())
    } else {
        None
    };
    Ok((access, refused))
}

pub(crate) fn header(access: &EnrollmentAccess) -> CeEnrollment {
    CeEnrollment {
        enrollment_id: access.enrollment_id.clone(),
        personal_id: access.personal_id.clone(),
        client_name: access.client_name.clone(),
        project_name: access.project_name.clone(),
        entry_date: access.entry_date,
        exit_date: access.exit_date,
    }
}

/// Reads a posted date (YYYY-MM-DD) for `field`.
pub(crate) fn posted_date(
    answers: &HashMap<String, String>,
    field: &str,
    label: &str,
) -> Result<NaiveDate, FieldError> {
    let text = answers.get(field).map(String::as_str).unwrap_or_default();
    FieldError::required_date(field, text, &format!("Enter the {label}."))
}

/// Reads a posted code of `list` for `field`.
pub(crate) fn posted_code(
    answers: &HashMap<String, String>,
    field: &str,
    list: &CodeList,
    label: &str,
) -> Result<i32, FieldError> {
    answers
        .get(field)
        .and_then(|v| v.trim().parse::<i32>().ok())
        .filter(|c| list.contains(*c))
        .ok_or_else(|| FieldError::new(field, format!("Choose the {label} from the list.")))
}

/// A date within the enrollment and not in the future.
pub(crate) fn within_enrollment(
    on: NaiveDate,
    access: &EnrollmentAccess,
    today: NaiveDate,
    field: &str,
) -> Result<NaiveDate, FieldError> {
    let message = if on > today {
        Some("The date cannot be in the future.".to_string())
    } else if on < access.entry_date {
        Some(format!(
            "The date cannot be before the CE project start date ({}).",
            access.entry_date.format("%m/%d/%Y")
        ))
    } else if access.exit_date.is_some_and(|x| on > x) {
        Some("The date cannot be after the CE exit date.".to_string())
    } else {
        None
    };
    match message {
        Some(message) => Err(FieldError {
            field: field.into(),
            message,
        }),
        None => Ok(on),
    }
}

/// The project types a household may seek, in the order the form offers them.
pub const SOUGHT_PROJECT_TYPES: [i32; 7] = [13, 3, 2, 0, 8, 9, 10];

fn code_choices(list: &CodeList) -> Vec<FieldChoice> {
    FieldChoice::from_list(list)
}

fn question_field(q: &QuestionRow) -> FieldSpec {
    let choices = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| FieldChoice {
            value: i.to_string(),
            label: format!(
                "{} ({} point{})",
                c.label,
                c.points,
                if c.points.abs() == 1 { "" } else { "s" }
            ),
            group: None,
        })
        .collect();
    FieldSpec::new(
        &format!("q_{}", q.question_id),
        &q.question,
        FieldKind::Select(choices),
    )
    .required()
}

/// The assessment form: HUD 4.19 then the active local questions.
fn assessment_fields(questions: &[QuestionRow], default_date: NaiveDate) -> Vec<FieldSpec> {
    let mut date = FieldSpec::new("assessment_date", "Assessment date", FieldKind::Date).required();
    date.value = default_date.format("%Y-%m-%d").to_string();
    let sought = SOUGHT_PROJECT_TYPES
        .iter()
        .filter_map(|c| {
            PROJECT_TYPE.label(*c).map(|label| FieldChoice {
                value: c.to_string(),
                label: label.to_string(),
                group: None,
            })
        })
        .collect();
    let mut fields = vec![
        FieldSpec::section("Assessment (HUD 4.19)"),
        date,
        FieldSpec::new(
            "location",
            "Assessment location",
            FieldKind::Text { max_length: 250 },
        )
        .required()
        .hint("Where the assessment took place: the access point or site."),
        FieldSpec::new(
            "assessment_type",
            "Assessment type",
            FieldKind::Select(code_choices(&ASSESSMENT_TYPE)),
        )
        .required(),
        FieldSpec::new(
            "assessment_level",
            "Assessment level",
            FieldKind::Select(code_choices(&ASSESSMENT_LEVEL)),
        )
        .required(),
        FieldSpec::new(
            "prioritization_status",
            "Prioritization status",
            FieldKind::Select(code_choices(&PRIORITIZATION_STATUS)),
        )
        .required()
        .hint("Placed households are on the priority list, ranked by their score."),
        FieldSpec::new("sought", "Project type sought", FieldKind::Select(sought)),
    ];
    if !questions.is_empty() {
        fields.push(FieldSpec::section("Prioritization questions"));
        fields.extend(questions.iter().filter(|q| q.active).map(question_field));
    }
    fields
}

/// The CE assessment page: the form and the assessments recorded (audited view).
pub async fn assessment_view(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<CeAssessmentView, AppError> {
    let (access, mut refused) = ce_enrollment(state, session, enrollment_id).await?;
    let db = &state.db;
    if refused.is_none() && access.exit_date.is_some() {
        refused = Some("This CE enrollment is exited: no new assessments.".into());
    }
    if refused.is_none() && !is_head(db, enrollment_id).await? {
        refused = Some("Assess the household on the head of household's CE enrollment.".into());
    }
    let fields = match refused {
        Some(_) => Vec::new(),
        None => assessment_fields(
            &all_questions(db).await?,
            session.back_date.unwrap_or(state.today()),
        ),
    };
    let history = recorded(db, enrollment_id).await?;
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("ce_assessment.view")
            .on("enrollment", enrollment_id)
            .client(&access.personal_id),
    )
    .await?;
    Ok(CeAssessmentView {
        enrollment: header(&access),
        fields,
        refused,
        history,
    })
}

async fn is_head(db: &impl ConnectionTrait, enrollment_id: &str) -> Result<bool, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT relationship_to_hoh FROM enrollments WHERE enrollment_id = ?",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let relationship: Option<i32> = row.try_get("", "relationship_to_hoh")?;
    Ok(relationship == Some(1))
}

async fn recorded(
    db: &impl ConnectionTrait,
    enrollment_id: &str,
) -> Result<Vec<RecordedAssessment>, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT a.assessment_id, a.assessment_date, a.assessment_location, a.assessment_type, \
             a.assessment_level, a.prioritization_status, r.assessment_result, u.first_name, u.last_name \
             FROM assessments a \
             LEFT JOIN assessment_results r ON r.assessment_id = a.assessment_id AND r.assessment_result_type = ? \
             AND r.date_deleted IS NULL \
             LEFT JOIN users u ON u.user_id = a.created_by \
             WHERE a.enrollment_id = ? AND a.date_deleted IS NULL \
             ORDER BY a.assessment_date DESC, a.created_at DESC LIMIT 200",
            vec![SCORE_RESULT.into(), enrollment_id.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let label = |list: &CodeList, code: i32| list.label(code).unwrap_or("Unknown").to_string();
        let score: Option<String> = row.try_get("", "assessment_result")?;
        let first: Option<String> = row.try_get("", "first_name")?;
        let last: Option<String> = row.try_get("", "last_name")?;
        out.push(RecordedAssessment {
            assessment_id: row.try_get("", "assessment_id")?,
            assessment_date: row.try_get("", "assessment_date")?,
            location: row.try_get("", "assessment_location")?,
            assessment_type: label(&ASSESSMENT_TYPE, row.try_get("", "assessment_type")?),
            assessment_level: label(&ASSESSMENT_LEVEL, row.try_get("", "assessment_level")?),
            prioritization_status: label(&PRIORITIZATION_STATUS, row.try_get("", "prioritization_status")?),
            score: score.and_then(|s| s.trim().parse().ok()),
            recorded_by: first.zip(last).map(|(f, l)| format!("{f} {l}")),
        });
    }
    Ok(out)
}

/// What a posted assessment says, checked.
struct Posted {
    date: NaiveDate,
    location: String,
    assessment_type: i32,
    level: i32,
    status: i32,
    sought: Option<i32>,
    /// (question, chosen answer) for each active question.
    answers: Vec<(QuestionRow, Choice)>,
}

fn check_assessment(
    answers: &HashMap<String, String>,
    questions: Vec<QuestionRow>,
    access: &EnrollmentAccess,
    today: NaiveDate,
) -> Result<Posted, AppError> {
    let mut errors = Vec::new();
    let date = match posted_date(answers, "assessment_date", "assessment date")
        .and_then(|d| within_enrollment(d, access, today, "assessment_date"))
    {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut keep = |r: Result<i32, FieldError>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let assessment_type = keep(posted_code(
        answers,
        "assessment_type",
        &ASSESSMENT_TYPE,
        "assessment type",
    ));
    let level = keep(posted_code(
        answers,
        "assessment_level",
        &ASSESSMENT_LEVEL,
        "assessment level",
    ));
    let status = keep(posted_code(
        answers,
        "prioritization_status",
        &PRIORITIZATION_STATUS,
        "prioritization status",
    ));
    let sought = match answers.get("sought").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => keep(
            s.parse::<i32>()
                .ok()
                .filter(|c| SOUGHT_PROJECT_TYPES.contains(c))
                .ok_or_else(|| FieldError::new("sought", "Choose the project type sought from the list.")),
        ),
    };
    let location = answers
        .get("location")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if location.is_empty() || location.chars().count() > 250 {
        errors.push(FieldError::new(
            "location",
            "Enter where the assessment took place (up to 250 characters).",
        ));
    }
    let mut chosen = Vec::new();
    for q in questions.into_iter().filter(|q| q.active) {
        let field = format!("q_{}", q.question_id);
        match answers
            .get(&field)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .and_then(|i| q.choices.get(i).cloned())
        {
            Some(choice) => chosen.push((q, choice)),
            None => errors.push(FieldError {
                field,
                message: "Choose an answer.".into(),
            }),
        }
    }
    match (date, assessment_type, level, status, errors.is_empty()) {
        (Some(date), Some(assessment_type), Some(level), Some(status), true) => Ok(Posted {
            date,
            location,
            assessment_type,
            level,
            status,
            sought,
            answers: chosen,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

pub async fn record_assessment(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    answers: &HashMap<String, String>,
) -> Result<(), AppError> {
    let (access, refused) = ce_enrollment(state, session, enrollment_id).await?;
    if refused.is_some() {
        return Err(AppError::Forbidden);
    }
    if access.exit_date.is_some() {
        return Err(AppError::Conflict(
            "This CE enrollment is exited: no new assessments.".into(),
        ));
    }
    let db = &state.db;
    if !is_head(db, enrollment_id).await? {
        return Err(AppError::Conflict(
            "Assess the household on the head of household's CE enrollment.".into(),
        ));
    }
    let today = session.today.max(state.today());
    let posted = check_assessment(answers, all_questions(db).await?, &access, today)?;
    let score = ce::score(posted.answers.iter().map(|(_, c)| c));
    let now = state.now();
    let user = Some(session.user_id.clone());
    let txn = begin_write(db).await?;
    let assessment_id = new_id();
    assessment::ActiveModel {
        assessment_id: Set(assessment_id.clone()),
        enrollment_id: Set(enrollment_id.to_string()),
        personal_id: Set(access.personal_id.clone()),
        assessment_date: Set(posted.date),
        assessment_location: Set(posted.location.clone()),
        assessment_type: Set(posted.assessment_type),
        assessment_level: Set(posted.level),
        prioritization_status: Set(posted.status),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(user.clone()),
        date_deleted: Set(None),
    }
    .insert(&txn)
    .await?;
    for (q, choice) in &posted.answers {
        assessment_question::ActiveModel {
            assessment_question_id: Set(new_id()),
            assessment_id: Set(assessment_id.clone()),
            enrollment_id: Set(enrollment_id.to_string()),
            personal_id: Set(access.personal_id.clone()),
            assessment_question_group: Set(Some(QUESTION_GROUP.into())),
            assessment_question_order: Set(Some(q.position)),
            assessment_question: Set(Some(q.question.clone())),
            assessment_answer: Set(Some(choice.label.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
        }
        .insert(&txn)
        .await?;
    }
    let mut results = vec![(SCORE_RESULT, score.to_string())];
    if let Some(label) = posted.sought.and_then(|c| PROJECT_TYPE.label(c)) {
        results.push((SOUGHT_RESULT, label.to_string()));
    }
    for (kind, result) in results {
        assessment_result::ActiveModel {
            assessment_result_id: Set(new_id()),
            assessment_id: Set(assessment_id.clone()),
            enrollment_id: Set(enrollment_id.to_string()),
            personal_id: Set(access.personal_id.clone()),
            assessment_result_type: Set(Some(kind.into())),
            assessment_result: Set(Some(result)),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
        }
        .insert(&txn)
        .await?;
    }
    refresh_entry(&txn, enrollment_id, now).await?;
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("ce_assessment.create")
            .on("assessment", &assessment_id)
            .client(&access.personal_id)
            .detail(format!("score {score}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
