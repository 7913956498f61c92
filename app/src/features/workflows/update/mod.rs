//! Update/Annual Assessment (ClientTrack's workflow; "Missed Update/Annual Assessment"
//! once the enrollment is exited): the HUD Program Enrollment page (3.20 Housing
//! Move-in Date, 4.13 Date of Engagement, or No Changes) → New Assessment or Edit
//! Existing, when updates or annuals are recorded → the information date → Update
//! (stage 2) or Annual (stage 5, offered only within the window around the anniversary
//! of the head of household's start date) for the whole household → each member's
//! stage pages → Finish: every member's master assessment in one transaction.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use super::answers::{date_answer, iso, text, ticked};
use super::api::{DraftData, DraftMember, WorkflowKind, step_path};
use super::assessment::{self, Source};
use super::exit::owners_household;
use super::service::{self, Draft, NO_CHANGES, StepDef};
use crate::db::statement;
use crate::domain::codes::ProjectType;
use crate::domain::household::collects_engagement;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::Answers;

mod checks;
mod commit;
mod pages;

pub use checks::check_step;
pub use commit::finish;
pub use pages::render;

pub const PROGRAM: &str = "program";
pub const CHOOSE: &str = "choose";
pub const DATE: &str = "date";
pub const KIND: &str = "type";
pub use crate::features::workflows::service::REVIEW;

/// HUD DataCollectionStage of an update and of an annual assessment.
pub const UPDATE: i32 = 2;
pub const ANNUAL: i32 = 5;

/// Facts: which assessment is being edited (`NEW`, or a recorded group's key) …
const GROUP: &str = "group";
const NEW: &str = "new";
/// … whether updates or annuals were recorded when the workflow started …
const RECORDED: &str = "recorded";
/// … the enrollment's HUD project type …
const PROJECT_TYPE: &str = "project_type";
/// … and the date the information date starts from.
const DEFAULT_DATE: &str = "default_date";

fn member_step(personal_id: &str) -> String {
    format!("assess-{personal_id}")
}

/// The information date answered (or the one the workflow started with).
fn information_date(data: &DraftData) -> Option<NaiveDate> {
    date_answer(data.answers.get(DATE), "information_date")
        .or_else(|| data.facts.get(DEFAULT_DATE).and_then(|d| d.parse().ok()))
}

/// The stage chosen for the household (an update until the type step says).
fn stage(data: &DraftData) -> i32 {
    match data.answers.get(KIND).and_then(|a| text(a, "stage")).as_deref() {
        Some("5") => ANNUAL,
        _ => UPDATE,
    }
}

fn stage_label(stage: i32) -> &'static str {
    if stage == ANNUAL {
        "Annual assessment"
    } else {
        "Update assessment"
    }
}

/// A member is assessed when their enrollment covers the information date.
fn covered(m: &DraftMember, on: NaiveDate) -> bool {
    m.entry_date.is_none_or(|e| e <= on) && m.exit_date.is_none_or(|x| on <= x)
}

fn assessed(data: &DraftData) -> Vec<&DraftMember> {
    let on = information_date(data);
    data.members
        .iter()
        .filter(|m| on.is_none_or(|on| covered(m, on)))
        .collect()
}

/// Every member's annual follows the head of household's start date.
fn head_start(data: &DraftData) -> Option<NaiveDate> {
    data.members
        .iter()
        .find(|m| m.relationship == Some(1))
        .and_then(|m| m.entry_date)
        .or_else(|| data.members.iter().filter_map(|m| m.entry_date).min())
}

fn project_type(data: &DraftData) -> Option<ProjectType> {
    data.facts
        .get(PROJECT_TYPE)
        .and_then(|t| t.parse().ok())
        .and_then(ProjectType::from_code)
}

/// The Program Enrollment page's elements for this project: 3.20 move-in date for
/// permanent housing, 4.13 date of engagement where it is collected.
fn program_elements(data: &DraftData) -> (bool, bool) {
    let kind = project_type(data);
    (
        kind.is_some_and(ProjectType::is_permanent_housing),
        kind.is_some_and(collects_engagement),
    )
}

fn editing(data: &DraftData) -> Option<&str> {
    data.facts.get(GROUP).map(String::as_str).filter(|g| *g != NEW)
}

pub fn steps(draft: &Draft) -> Vec<StepDef> {
    let data = &draft.data;
    let step = StepDef::household;
    let mut steps = vec![step(PROGRAM, "Program enrollment")];
    if data.facts.contains_key(RECORDED) {
        steps.push(step(CHOOSE, "New or edit existing"));
    }
    steps.push(step(DATE, "Information date"));
    steps.push(step(KIND, "Update or annual"));
    let label = stage_label(stage(data));
    for m in assessed(data) {
        steps.push(StepDef::member(member_step(&m.personal_id), label, m));
    }
    steps.push(StepDef::review());
    steps
}

fn member<'a>(draft: &'a Draft, personal_id: &str) -> Result<&'a DraftMember, AppError> {
    draft.member(personal_id)
}

// ---- recorded updates and annuals --------------------------------------------------

/// An update or annual master assessment on record.
#[derive(Clone, Debug)]
pub(crate) struct RecordedAssessment {
    pub event_id: String,
    pub personal_id: String,
    pub stage: i32,
    pub information_date: NaiveDate,
}

impl RecordedAssessment {
    /// The household's assessments recorded together share a stage and a date.
    fn group(&self) -> String {
        format!("{}:{}", self.stage, iso(self.information_date))
    }
}

/// The updates and annuals recorded on the members' enrollments, newest first.
pub(crate) async fn recorded(
    db: &impl ConnectionTrait,
    members: &[DraftMember],
) -> Result<Vec<RecordedAssessment>, AppError> {
    let ids: Vec<Value> = members
        .iter()
        .filter_map(|m| m.enrollment_id.clone())
        .map(Value::from)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::marks(ids.len());
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT assessment_event_id, personal_id, data_collection_stage, information_date \
                 FROM assessment_events WHERE enrollment_id IN ({marks}) AND data_collection_stage IN (2, 5) \
                 AND date_deleted IS NULL ORDER BY information_date DESC, personal_id"
            ),
            ids,
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(RecordedAssessment {
            event_id: row.try_get("", "assessment_event_id")?,
            personal_id: row.try_get("", "personal_id")?,
            stage: row.try_get("", "data_collection_stage")?,
            information_date: row.try_get("", "information_date")?,
        });
    }
    Ok(out)
}

/// The recorded groups, newest first: (key, stage, date, members).
fn groups(recorded: &[RecordedAssessment]) -> Vec<(String, i32, NaiveDate, usize)> {
    let mut out: Vec<(String, i32, NaiveDate, usize)> = Vec::new();
    for r in recorded {
        match out.iter_mut().find(|g| g.0 == r.group()) {
            Some(g) => g.3 += 1,
            None => out.push((r.group(), r.stage, r.information_date, 1)),
        }
    }
    out
}

/// The member's assessment in the group being edited, if any.
fn edited_event(draft: &Draft, recorded: &[RecordedAssessment], personal_id: &str) -> Option<String> {
    let group = editing(&draft.data)?;
    recorded
        .iter()
        .find(|r| r.personal_id == personal_id && r.group() == group)
        .map(|r| r.event_id.clone())
}

// ---- starting ----------------------------------------------------------------------

/// Starts (or resumes) the Update/Annual Assessment of an enrollment's household — on
/// an exited enrollment, the missed one, dated within the enrollment.
pub async fn start(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<String, AppError> {
    let begin = service::begin(state, session, WorkflowKind::Assessment, enrollment_id).await?;
    if let Some(path) = begin.resume {
        return Ok(path);
    }
    let access = begin.access;
    let db = &state.db;
    let members = owners_household(db, &begin.household_id, enrollment_id).await?;
    let today = session.back_date.unwrap_or(state.today());
    let on = access.exit_date.map_or(today, |x| x.min(today));
    let mut data = DraftData {
        members,
        ..Default::default()
    };
    data.facts.insert(GROUP.into(), NEW.into());
    data.facts.insert(DEFAULT_DATE.into(), iso(on));
    if let Some(kind) = access.project_type {
        data.facts.insert(PROJECT_TYPE.into(), kind.to_string());
    }
    if !recorded(db, &data.members).await?.is_empty() {
        data.facts.insert(RECORDED.into(), "yes".into());
    }
    let mut dates = Answers::new();
    dates.insert("information_date".into(), iso(on));
    data.answers.insert(DATE.into(), dates);
    data.answers
        .insert(PROGRAM.into(), program_on_record(db, &data).await?);
    let draft_id = service::create(
        state,
        session,
        WorkflowKind::Assessment,
        Some(access.personal_id.clone()),
        &data,
        PROGRAM,
        Some((enrollment_id, &begin.household_id)),
    )
    .await?;
    Ok(step_path(&draft_id, PROGRAM))
}

/// The head of household's recorded 3.20 and 4.13 dates, as answers.
async fn program_on_record(db: &impl ConnectionTrait, data: &DraftData) -> Result<Answers, AppError> {
    let mut answers = Answers::new();
    let Some(head) = data
        .members
        .iter()
        .find(|m| m.relationship == Some(1))
        .or(data.members.first())
        .and_then(|m| m.enrollment_id.clone())
    else {
        return Ok(answers);
    };
    let Some(row) = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT move_in_date, date_of_engagement FROM enrollments WHERE enrollment_id = ?",
            vec![head.into()],
        ))
        .await?
    else {
        return Ok(answers);
    };
    for key in ["move_in_date", "date_of_engagement"] {
        let value: Option<NaiveDate> = row.try_get("", key)?;
        if let Some(value) = value {
            answers.insert(key.into(), iso(value));
        }
    }
    Ok(answers)
}

// ---- saving ------------------------------------------------------------------------

/// "Default Last": the member's latest records.
pub async fn default_last(state: &AppState, draft: &Draft, step: &str) -> Result<Answers, AppError> {
    assessment::default_last(&state.db, draft, step, "assess-").await
}

/// "No Changes": the Program Enrollment page keeps what is recorded; a member's page
/// keeps the assessment being edited, or the member's latest records.
pub async fn prepare(
    state: &AppState,
    draft: &Draft,
    step: &str,
    answers: &mut Answers,
) -> Result<(), AppError> {
    if !ticked(answers, NO_CHANGES) {
        return Ok(());
    }
    let mut kept = if step == PROGRAM {
        program_on_record(&state.db, &draft.data).await?
    } else if let Some(personal_id) = step.strip_prefix("assess-") {
        member(draft, personal_id)?;
        let recorded = recorded(&state.db, &draft.data.members).await?;
        match edited_event(draft, &recorded, personal_id) {
            Some(event) => {
                assessment::answers_from(
                    &state.db,
                    Source::Event {
                        assessment_event_id: &event,
                    },
                )
                .await?
            }
            None => assessment::answers_from(&state.db, Source::Latest { personal_id }).await?,
        }
    } else {
        return Ok(());
    };
    kept.insert(NO_CHANGES.into(), "yes".into());
    *answers = kept;
    Ok(())
}

/// After "New or edit existing": editing a recorded assessment fills the date, the
/// type and every member's page from it; a new one starts them afresh.
pub async fn after_save(state: &AppState, draft: &mut Draft, step: &str) -> Result<(), AppError> {
    if step != CHOOSE {
        return Ok(());
    }
    let chosen = draft
        .answers(CHOOSE)
        .and_then(|a| text(a, "which"))
        .unwrap_or_else(|| NEW.into());
    if draft.data.facts.get(GROUP) == Some(&chosen) {
        return Ok(());
    }
    let member_steps: Vec<String> = draft
        .data
        .members
        .iter()
        .map(|m| member_step(&m.personal_id))
        .collect();
    for id in member_steps.iter().map(String::as_str).chain([DATE, KIND]) {
        draft.data.answers.remove(id);
        draft.data.done.remove(id);
    }
    draft.data.facts.insert(GROUP.into(), chosen.clone());
    let mut dates = Answers::new();
    if chosen == NEW {
        if let Some(on) = draft.data.facts.get(DEFAULT_DATE) {
            dates.insert("information_date".into(), on.clone());
        }
        draft.data.answers.insert(DATE.into(), dates);
        return Ok(());
    }
    let recorded = recorded(&state.db, &draft.data.members).await?;
    let Some(first) = recorded.iter().find(|r| r.group() == chosen) else {
        return Err(AppError::field(
            "which",
            "That assessment is no longer on record.",
        ));
    };
    dates.insert("information_date".into(), iso(first.information_date));
    draft.data.answers.insert(DATE.into(), dates);
    let mut kind = Answers::new();
    kind.insert("stage".into(), first.stage.to_string());
    draft.data.answers.insert(KIND.into(), kind);
    for r in recorded.iter().filter(|r| r.group() == chosen) {
        let answers = assessment::answers_from(
            &state.db,
            Source::Event {
                assessment_event_id: &r.event_id,
            },
        )
        .await?;
        draft.data.answers.insert(member_step(&r.personal_id), answers);
    }
    Ok(())
}

super::contract::workflow!(Update, after_save);
