//! Edit Project Entry Workflow: each member's project start date, then each member's
//! entry pages prefilled with what was recorded, then Finish. When a start date
//! changes, the enrollment's entry-stage records (the master assessment and its income,
//! insurance, disability and DV rows) move to it in the same transaction — ClientTrack
//! users otherwise edit each assessment date and the Master Assessment by hand. A start
//! date after a recorded service, update, annual or exit is refused.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, Value};

use super::answers::{date, date_answer, iso, ticked, validation};
use super::api::{DraftData, DraftMember, ReviewSection, StepBody, StepView, WorkflowKind, step_path};
use super::assessment::{self, Source};
use super::entry_assessment;
use super::exit::owners_household;
use super::service::{self, Draft, NO_CHANGES, StepDef};
use crate::db::entities::{enrollment, project};
use crate::db::statement;
use crate::domain::codes::ProjectType;
use crate::domain::household::{check_entry_date, collected_for};
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, FieldKind, FieldSpec};
use crate::ui::format::format_date;

mod commit;

pub use commit::finish;

pub const DATES: &str = "dates";
pub use crate::features::workflows::service::REVIEW;
const PROJECT_TYPE: &str = "project_type";

fn member_step(personal_id: &str) -> String {
    format!("entry-{personal_id}")
}

fn date_key(personal_id: &str) -> String {
    format!("entry_{personal_id}")
}

pub fn steps(draft: &Draft) -> Vec<StepDef> {
    let data = &draft.data;
    let mut steps = vec![StepDef::household(DATES, "Project start date")];
    for m in &data.members {
        steps.push(StepDef::member(
            member_step(&m.personal_id),
            "Entry assessment",
            m,
        ));
    }
    steps.push(StepDef::review());
    steps
}

fn member<'a>(draft: &'a Draft, personal_id: &str) -> Result<&'a DraftMember, AppError> {
    draft.member(personal_id)
}

/// The member's start date as answered (or as recorded).
fn new_entry(data: &DraftData, m: &DraftMember) -> Option<NaiveDate> {
    date_answer(data.answers.get(DATES), &date_key(&m.personal_id)).or(m.entry_date)
}

fn project_type(data: &DraftData) -> Option<ProjectType> {
    data.facts
        .get(PROJECT_TYPE)
        .and_then(|t| t.parse().ok())
        .and_then(ProjectType::from_code)
}

fn fields_for(data: &DraftData, m: &DraftMember) -> Vec<FieldSpec> {
    let on = new_entry(data, m).unwrap_or_default();
    entry_assessment::fields(
        collected_for(m.relationship == Some(1), m.dob, on),
        project_type(data),
    )
}

// ---- what is recorded --------------------------------------------------------------

/// The enrollment's entry-stage master assessment, if recorded.
pub(crate) async fn entry_event(
    db: &impl ConnectionTrait,
    enrollment_id: &str,
) -> Result<Option<String>, AppError> {
    Ok(db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT assessment_event_id FROM assessment_events WHERE enrollment_id = ? \
             AND data_collection_stage = 1 AND date_deleted IS NULL ORDER BY created_at DESC",
            vec![enrollment_id.into()],
        ))
        .await?
        .map(|row| row.try_get("", "assessment_event_id"))
        .transpose()?)
}

/// The entry page's answers as recorded for the member.
async fn recorded_answers(db: &impl ConnectionTrait, m: &DraftMember) -> Result<Answers, AppError> {
    let enrollment_id = m.enrollment_id.clone().ok_or(AppError::Internal)?;
    let row = enrollment::Entity::find_by_id(enrollment_id.clone())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut answers = entry_assessment::enrollment_answers(&row);
    if let Some(event) = entry_event(db, &enrollment_id).await? {
        answers.extend(
            assessment::answers_from(
                db,
                Source::Event {
                    assessment_event_id: &event,
                },
            )
            .await?,
        );
    }
    Ok(answers)
}

/// The earliest recorded activity after entry on the enrollment — a service, an
/// update, annual or exit assessment, or the exit: (what, date).
pub(crate) async fn first_activity(
    db: &impl ConnectionTrait,
    enrollment_id: &str,
) -> Result<Option<(String, NaiveDate)>, AppError> {
    let backend = db.get_database_backend();
    let queries = [
        (
            "a service",
            "SELECT MIN(date_provided) AS d FROM services WHERE enrollment_id = ? AND date_deleted IS NULL",
        ),
        (
            "an assessment",
            "SELECT MIN(information_date) AS d FROM assessment_events WHERE enrollment_id = ? \
             AND data_collection_stage <> 1 AND date_deleted IS NULL",
        ),
        (
            "the exit",
            "SELECT MIN(exit_date) AS d FROM exits WHERE enrollment_id = ? AND date_deleted IS NULL",
        ),
    ];
    let mut first: Option<(String, NaiveDate)> = None;
    for (what, sql) in queries {
        let Some(row) = db
            .query_one_raw(statement(backend, sql, vec![enrollment_id.into()]))
            .await?
        else {
            continue;
        };
        let found: Option<NaiveDate> = row.try_get("", "d")?;
        if let Some(d) = found
            && first.as_ref().is_none_or(|(_, f)| d < *f)
        {
            first = Some((what.to_string(), d));
        }
    }
    Ok(first)
}

// ---- starting ----------------------------------------------------------------------

/// Starts (or resumes) Edit Project Entry for the household of an enrollment: every
/// member of the owning organization's household, prefilled with what was recorded.
pub async fn start(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<String, AppError> {
    let begin = service::begin(state, session, WorkflowKind::EditEntry, enrollment_id).await?;
    if let Some(path) = begin.resume {
        return Ok(path);
    }
    let db = &state.db;
    let mut data = DraftData {
        members: owners_household(db, &begin.household_id, enrollment_id).await?,
        ..Default::default()
    };
    if let Some(kind) = begin.access.project_type {
        data.facts.insert(PROJECT_TYPE.into(), kind.to_string());
    }
    let mut dates = Answers::new();
    for m in &data.members {
        if let Some(d) = m.entry_date {
            dates.insert(date_key(&m.personal_id), iso(d));
        }
        let answers = recorded_answers(db, m).await?;
        data.answers.insert(member_step(&m.personal_id), answers);
    }
    data.answers.insert(DATES.into(), dates);
    let draft_id = service::create(
        state,
        session,
        WorkflowKind::EditEntry,
        Some(begin.access.personal_id.clone()),
        &data,
        DATES,
        Some((enrollment_id, &begin.household_id)),
    )
    .await?;
    Ok(step_path(&draft_id, DATES))
}

// ---- pages -------------------------------------------------------------------------

pub async fn render(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &StepDef,
) -> Result<StepView, AppError> {
    let data = &draft.data;
    let empty = Answers::new();
    let form = |id: &str, title: String, intro: String, fields: Vec<FieldSpec>, no_changes: bool| StepView {
        id: id.into(),
        title,
        intro: Some(intro),
        body: StepBody::Form(super::answers::with_values(
            fields,
            draft.answers(id).unwrap_or(&empty),
        )),
        default_last: false,
        no_changes,
        finish: false,
    };
    match step.id.as_str() {
        DATES => {
            let mut fields = Vec::new();
            for m in &data.members {
                let label = if data.members.len() == 1 {
                    "3.10 Project start date".to_string()
                } else {
                    format!("{}: project start date", m.name())
                };
                fields.push(
                    FieldSpec::new(&date_key(&m.personal_id), &label, FieldKind::Date)
                        .required()
                        .hint(&format!(
                            "Recorded: {}. Never in the future, never after a service, update or exit.",
                            m.entry_date.map(format_date).unwrap_or_default()
                        )),
                );
            }
            Ok(form(
                DATES,
                "Project start date".into(),
                "A changed start date moves the entry assessment records with it.".into(),
                fields,
                true,
            ))
        }
        REVIEW => review_page(state, draft).await,
        id => {
            let personal_id = id.strip_prefix("entry-").ok_or(AppError::NotFound)?;
            let m = member(draft, personal_id)?;
            Ok(form(
                id,
                format!("Entry assessment — {}", m.name()),
                format!(
                    "As recorded. Information date: the project start date, {}. Correct what is wrong, or choose No Changes.",
                    new_entry(data, m).map(format_date).unwrap_or_default()
                ),
                fields_for(data, m),
                true,
            ))
        }
    }
}

/// What Finish will change, member by member.
async fn review_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let data = &draft.data;
    let mut sections = Vec::new();
    for m in &data.members {
        let mut lines = Vec::new();
        let (old, new) = (m.entry_date, new_entry(data, m));
        if old != new {
            let moved = match m.enrollment_id.as_deref() {
                Some(e) => match entry_event(&state.db, e).await? {
                    Some(event) => assessment::record_count(&state.db, &event).await?,
                    None => 0,
                },
                None => 0,
            };
            lines.push((
                "Project start date".to_string(),
                format!(
                    "{} → {}",
                    old.map(format_date).unwrap_or_default(),
                    new.map(format_date).unwrap_or_default()
                ),
            ));
            lines.push((
                "Entry assessment records".to_string(),
                format!(
                    "{moved} record{} move to {}",
                    if moved == 1 { "" } else { "s" },
                    new.map(format_date).unwrap_or_default()
                ),
            ));
        } else {
            lines.push((
                "Project start date".to_string(),
                format!("{} (unchanged)", old.map(format_date).unwrap_or_default()),
            ));
        }
        let step = member_step(&m.personal_id);
        lines.push((
            "Entry assessment".to_string(),
            if !data.done.contains(&step) {
                "Not saved yet"
            } else if draft.answers(&step).is_some_and(|a| ticked(a, NO_CHANGES)) {
                "No changes"
            } else {
                "Changed answers"
            }
            .to_string(),
        ));
        sections.push(ReviewSection {
            heading: m.name(),
            lines,
        });
    }
    Ok(StepView {
        id: REVIEW.into(),
        title: "Review and finish".into(),
        intro: Some("What Finish changes, in one transaction. Until then nothing is changed.".into()),
        body: StepBody::Review(sections),
        default_last: false,
        no_changes: false,
        finish: true,
    })
}

// ---- saving ------------------------------------------------------------------------

pub async fn default_last(_state: &AppState, _draft: &Draft, _step: &str) -> Result<Answers, AppError> {
    Err(AppError::Conflict(
        "The pages show what was recorded: correct them, or choose No Changes.".into(),
    ))
}

/// "No Changes" keeps the recorded start dates, or the member's recorded entry page.
pub async fn prepare(
    state: &AppState,
    draft: &Draft,
    step: &str,
    answers: &mut Answers,
) -> Result<(), AppError> {
    if !ticked(answers, NO_CHANGES) {
        return Ok(());
    }
    let mut kept = if step == DATES {
        let mut dates = Answers::new();
        for m in &draft.data.members {
            if let Some(d) = m.entry_date {
                dates.insert(date_key(&m.personal_id), iso(d));
            }
        }
        dates
    } else if let Some(personal_id) = step.strip_prefix("entry-") {
        recorded_answers(&state.db, member(draft, personal_id)?).await?
    } else {
        return Ok(());
    };
    kept.insert(NO_CHANGES.into(), "yes".into());
    *answers = kept;
    Ok(())
}

pub async fn check_step(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &str,
) -> Result<(), AppError> {
    match step {
        DATES => check_dates(state, draft).await.map(|_| ()),
        REVIEW => Ok(()),
        id => {
            let personal_id = id.strip_prefix("entry-").ok_or(AppError::NotFound)?;
            check_member(draft, member(draft, personal_id)?).map(|_| ())
        }
    }
}

pub(super) fn check_member(
    draft: &Draft,
    m: &DraftMember,
) -> Result<entry_assessment::EntryAnswers, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(&member_step(&m.personal_id)).unwrap_or(&empty);
    let on = new_entry(&draft.data, m).ok_or(AppError::Internal)?;
    entry_assessment::check(answers, collected_for(m.relationship == Some(1), m.dob, on), on)
}

/// Each member's start date: never in the future, within the project's operating
/// dates, not before the head of household's, not after the member's first recorded
/// activity, not into another enrollment of the client in the project. Answers
/// (member, old date, new date).
pub(super) async fn check_dates(
    state: &AppState,
    draft: &Draft,
) -> Result<Vec<(DraftMember, NaiveDate, NaiveDate)>, AppError> {
    let empty = Answers::new();
    let answers = draft.answers(DATES).unwrap_or(&empty);
    let db = &state.db;
    let today = state.today();
    let started = draft.model.enrollment_id.clone().ok_or(AppError::Internal)?;
    let project = match enrollment::Entity::find_by_id(started).one(db).await? {
        Some(e) => project::Entity::find_by_id(e.project_id).one(db).await?,
        None => None,
    }
    .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for m in &draft.data.members {
        let key = date_key(&m.personal_id);
        let Some(new) = date(answers, &key, &mut errors) else {
            if !errors.iter().any(|e| e.field == key) {
                errors.push(FieldError::new(&key, "Enter the project start date."));
            }
            continue;
        };
        let old = m.entry_date.ok_or(AppError::Internal)?;
        if let Err(message) = check_entry_date(
            new,
            today,
            project.operating_start_date,
            project.operating_end_date,
        ) {
            errors.push(FieldError::new(&key, &message));
            continue;
        }
        let enrollment_id = m.enrollment_id.as_deref().ok_or(AppError::Internal)?;
        if let Some((what, on)) = first_activity(db, enrollment_id).await?
            && new > on
        {
            errors.push(FieldError::new(
                &key,
                format!(
                    "{}'s start date cannot be after {what} recorded on {}: correct that first, or choose an earlier date.",
                    m.name(),
                    format_date(on)
                ),
            ));
            continue;
        }
        if new < old && overlaps_earlier(db, m, old, new).await? {
            errors.push(FieldError::new(
                &key,
                format!(
                    "{} has an earlier enrollment in this project that ends after that date.",
                    m.name()
                ),
            ));
            continue;
        }
        out.push((m.clone(), old, new));
    }
    let head = out
        .iter()
        .find(|(m, _, _)| m.relationship == Some(1))
        .map(|(_, _, d)| *d);
    if let Some(head) = head {
        for (m, _, new) in out.iter().filter(|(m, _, _)| m.relationship != Some(1)) {
            if *new < head {
                errors.push(FieldError::new(
                    date_key(&m.personal_id),
                    format!(
                        "{}'s start date is on or after the head of household's ({}).",
                        m.name(),
                        format_date(head)
                    ),
                ));
            }
        }
    }
    validation(errors)?;
    Ok(out)
}

/// Whether moving the start date back to `new` runs into another enrollment of the
/// client in the same project that began before this one.
async fn overlaps_earlier(
    db: &impl ConnectionTrait,
    m: &DraftMember,
    old: NaiveDate,
    new: NaiveDate,
) -> Result<bool, AppError> {
    let enrollment_id = m.enrollment_id.clone().ok_or(AppError::Internal)?;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM enrollments o \
             JOIN enrollments e ON e.enrollment_id = ? AND o.project_id = e.project_id \
             LEFT JOIN exits x ON x.enrollment_id = o.enrollment_id AND x.date_deleted IS NULL \
             WHERE o.personal_id = ? AND o.enrollment_id <> e.enrollment_id AND o.date_deleted IS NULL \
             AND o.entry_date <= ? AND (x.exit_date IS NULL OR x.exit_date > ?)",
            vec![
                Value::from(enrollment_id),
                m.personal_id.clone().into(),
                old.into(),
                new.into(),
            ],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n > 0)
}

super::contract::workflow!(EditEntry);
