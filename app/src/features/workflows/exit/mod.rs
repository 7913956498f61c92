//! The exit workflows (ClientTrack's "Exit the Enrollment" and "Edit Exit Workflow"):
//! first the exit date, destination, reason, who exits (HoH rules) and the case
//! assignment; then each exiting member's exit assessment (stage 3); then Finish —
//! every member's exit and exit-stage records in one transaction. Edit Exit walks the
//! same pages prefilled with what was recorded.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::answers::{date_answer, iso, text, ticked, with_values};
use super::api::{DraftData, DraftMember, ReviewSection, StepBody, StepView, WorkflowKind, step_path};
use super::assessment::{self, Source};
use super::service::{self, Draft, StepDef};
use crate::db::entities::exit_reason;
use crate::db::statement;
use crate::db::visibility::enrollment_access;
use crate::domain::codes::{DESTINATION, RELATIONSHIP_TO_HOH, RENTAL_SUBSIDY_TYPE};
use crate::domain::exit::NO_EXIT_INTERVIEW;
use crate::domain::household::collected_for;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, Choice, FieldKind, FieldSpec};
use crate::ui::format::full_name;

mod checks;
mod commit;
mod pages;

pub use checks::check_step;
pub use commit::finish;
use pages::reason_choices;
pub use pages::render;

pub const EXIT: &str = "exit";
use super::service::NO_CHANGES;
pub use crate::features::workflows::service::REVIEW;

fn member_step(personal_id: &str) -> String {
    format!("exit-{personal_id}")
}

fn editing(draft: &Draft) -> bool {
    draft.kind == WorkflowKind::EditExit
}

/// Whether a member exits: everyone in an Edit Exit, those ticked otherwise (everyone
/// until the first step says).
fn exits(kind: WorkflowKind, data: &DraftData, personal_id: &str) -> bool {
    if kind == WorkflowKind::EditExit {
        return true;
    }
    data.answers
        .get(EXIT)
        .is_none_or(|a| ticked(a, &format!("exit_{personal_id}")))
}

pub fn steps(draft: &Draft) -> Vec<StepDef> {
    let (kind, data) = (draft.kind, &draft.data);
    let mut steps = vec![StepDef::household(EXIT, "Exit date and destination")];
    for m in data.members.iter().filter(|m| exits(kind, data, &m.personal_id)) {
        steps.push(StepDef::member(member_step(&m.personal_id), "Exit assessment", m));
    }
    steps.push(StepDef::review());
    steps
}

fn member<'a>(draft: &'a Draft, personal_id: &str) -> Result<&'a DraftMember, AppError> {
    draft.member(personal_id)
}

/// A member's exit date as answered on the first step (their own, or the household's).
fn member_exit_date(draft: &Draft, personal_id: &str) -> Option<NaiveDate> {
    let answers = draft.answers(EXIT);
    date_answer(answers, &format!("date_{personal_id}")).or_else(|| date_answer(answers, "exit_date"))
}

// ---- the household on record -------------------------------------------------------

/// A member of a household as recorded.
#[derive(Clone, Debug)]
pub(crate) struct HouseholdRow {
    pub member: DraftMember,
    pub organization_id: String,
    pub enrollment_coc: Option<String>,
}

pub(crate) async fn household(
    db: &impl ConnectionTrait,
    household_id: &str,
) -> Result<Vec<HouseholdRow>, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT e.enrollment_id, e.personal_id, e.relationship_to_hoh, e.entry_date, e.enrollment_coc, \
             p.organization_id, x.exit_date, c.first_name, c.middle_name, c.last_name, c.name_suffix, c.dob \
             FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id \
             JOIN projects p ON p.project_id = e.project_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.household_id = ? AND e.date_deleted IS NULL \
             ORDER BY (CASE WHEN e.relationship_to_hoh = 1 THEN 0 ELSE 1 END), e.entry_date, e.personal_id",
            vec![household_id.into()],
        ))
        .await?;
    let mut members = Vec::with_capacity(rows.len());
    for row in rows {
        let first: Option<String> = row.try_get("", "first_name")?;
        let last: Option<String> = row.try_get("", "last_name")?;
        let name = full_name([
            first.clone(),
            row.try_get("", "middle_name")?,
            last.clone(),
            row.try_get("", "name_suffix")?,
        ]);
        members.push(HouseholdRow {
            member: DraftMember {
                personal_id: row.try_get("", "personal_id")?,
                existing: true,
                // The full name shows in the step list.
                first_name: name,
                last_name: String::new(),
                dob: row.try_get("", "dob")?,
                enrollment_id: Some(row.try_get("", "enrollment_id")?),
                relationship: row.try_get("", "relationship_to_hoh")?,
                entry_date: Some(row.try_get("", "entry_date")?),
                exit_date: row.try_get("", "exit_date")?,
            },
            organization_id: row.try_get("", "organization_id")?,
            enrollment_coc: row.try_get("", "enrollment_coc")?,
        });
    }
    Ok(members)
}

/// The household's members in the organization that owns `enrollment_id` (the
/// members a workflow started from that enrollment is about).
pub(crate) async fn owners_household(
    db: &impl ConnectionTrait,
    household_id: &str,
    enrollment_id: &str,
) -> Result<Vec<DraftMember>, AppError> {
    let rows = household(db, household_id).await?;
    let owner = rows
        .iter()
        .find(|r| r.member.enrollment_id.as_deref() == Some(enrollment_id))
        .map(|r| r.organization_id.clone())
        .ok_or(AppError::NotFound)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.organization_id == owner)
        .map(|r| r.member)
        .collect())
}

/// The recorded exit of an enrollment.
pub(crate) struct RecordedExit {
    pub exit_id: String,
    pub exit_date: NaiveDate,
    pub destination: i32,
    pub subsidy_type: Option<i32>,
    pub other_destination: Option<String>,
    pub reason: Option<String>,
    /// Its stage-3 master assessment, when one was recorded.
    pub event_id: Option<String>,
}

/// Which of these enrollments already have a live exit (one query).
pub(crate) async fn exited_among(
    db: &impl ConnectionTrait,
    enrollment_ids: &[&str],
) -> Result<std::collections::HashSet<String>, AppError> {
    let mut exited = std::collections::HashSet::new();
    if enrollment_ids.is_empty() {
        return Ok(exited);
    }
    let sql = format!(
        "SELECT enrollment_id FROM exits WHERE date_deleted IS NULL AND enrollment_id IN ({})",
        vec!["?"; enrollment_ids.len()].join(", ")
    );
    let values = enrollment_ids.iter().map(|id| (*id).into()).collect();
    for row in db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        exited.insert(row.try_get("", "enrollment_id")?);
    }
    Ok(exited)
}

pub(crate) async fn recorded_exit(
    db: &impl ConnectionTrait,
    enrollment_id: &str,
) -> Result<Option<RecordedExit>, AppError> {
    let backend = db.get_database_backend();
    let Some(row) = db
        .query_one_raw(statement(
            backend,
            "SELECT exit_id, exit_date, destination, destination_subsidy_type, other_destination, exit_reason_id \
             FROM exits WHERE enrollment_id = ? AND date_deleted IS NULL",
            vec![enrollment_id.into()],
        ))
        .await?
    else {
        return Ok(None);
    };
    let event = db
        .query_one_raw(statement(
            backend,
            "SELECT assessment_event_id FROM assessment_events WHERE enrollment_id = ? \
             AND data_collection_stage = 3 AND date_deleted IS NULL ORDER BY created_at DESC",
            vec![enrollment_id.into()],
        ))
        .await?;
    Ok(Some(RecordedExit {
        exit_id: row.try_get("", "exit_id")?,
        exit_date: row.try_get("", "exit_date")?,
        destination: row.try_get("", "destination")?,
        subsidy_type: row.try_get("", "destination_subsidy_type")?,
        other_destination: row.try_get("", "other_destination")?,
        reason: row.try_get("", "exit_reason_id")?,
        event_id: match event {
            Some(e) => Some(e.try_get("", "assessment_event_id")?),
            None => None,
        },
    }))
}

// ---- starting ----------------------------------------------------------------------

/// Starts (or resumes: one draft per user and household) an exit or an Edit Exit from
/// one member's enrollment; answers the address of the step to show.
pub async fn start(
    state: &AppState,
    session: &CurrentSession,
    kind: WorkflowKind,
    enrollment_id: &str,
) -> Result<String, AppError> {
    let begin = service::begin(state, session, kind, enrollment_id).await?;
    let access = begin.access;
    crate::db::visibility::check_ce_exit(&state.db, session, &access).await?;
    let db = &state.db;
    let edit = kind == WorkflowKind::EditExit;
    match (edit, access.exit_date) {
        (false, Some(_)) => {
            return Err(AppError::Conflict(
                "This enrollment is already exited: use Edit Exit Workflow to correct the exit.".into(),
            ));
        }
        (true, None) => {
            return Err(AppError::Conflict(
                "This enrollment is open: there is no exit to edit.".into(),
            ));
        }
        _ => {}
    }
    if let Some(path) = begin.resume {
        return Ok(path);
    }
    let household_id = begin.household_id;
    // The members this workflow is about: those still open (exit), those exited (edit),
    // in the organization that owns the started enrollment.
    let members: Vec<DraftMember> = owners_household(db, &household_id, enrollment_id)
        .await?
        .into_iter()
        .filter(|m| m.exit_date.is_some() == edit)
        .collect();
    let mut data = DraftData {
        members,
        ..Default::default()
    };
    let mut first = Answers::new();
    if edit {
        let recorded = recorded_exit(db, enrollment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        first.insert("exit_date".into(), iso(recorded.exit_date));
        first.insert("destination".into(), recorded.destination.to_string());
        let optional = [
            ("subsidy_type", recorded.subsidy_type.map(|s| s.to_string())),
            ("other_destination", recorded.other_destination),
            ("reason", recorded.reason),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                first.insert(key.into(), value);
            }
        }
        for m in &data.members {
            let Some(their) = recorded_exit(db, m.enrollment_id.as_deref().unwrap_or_default()).await? else {
                continue;
            };
            if their.exit_date != recorded.exit_date {
                first.insert(format!("date_{}", m.personal_id), iso(their.exit_date));
            }
            let answers = match &their.event_id {
                Some(event) => {
                    assessment::answers_from(
                        db,
                        Source::Event {
                            assessment_event_id: event,
                        },
                    )
                    .await?
                }
                None => Answers::new(),
            };
            data.answers.insert(member_step(&m.personal_id), answers);
        }
    } else {
        first.insert(
            "exit_date".into(),
            iso(session.back_date.unwrap_or(state.today())),
        );
        for m in &data.members {
            first.insert(format!("exit_{}", m.personal_id), "yes".into());
        }
        first.insert("end_case_assignment".into(), "yes".into());
    }
    data.answers.insert(EXIT.into(), first);
    let draft_id = service::create(
        state,
        session,
        kind,
        Some(access.personal_id.clone()),
        &data,
        EXIT,
        Some((enrollment_id, &household_id)),
    )
    .await?;
    Ok(step_path(&draft_id, EXIT))
}

// ---- saving ------------------------------------------------------------------------

/// "Default Last": the member's latest records.
pub async fn default_last(state: &AppState, draft: &Draft, step: &str) -> Result<Answers, AppError> {
    assessment::default_last(&state.db, draft, step, "exit-").await
}

/// Before a step's answers are kept: "No Changes" on an exit assessment keeps what is
/// recorded (Edit Exit) or the latest records (a new exit).
pub async fn prepare(
    state: &AppState,
    draft: &Draft,
    step: &str,
    answers: &mut Answers,
) -> Result<(), AppError> {
    let Some(personal_id) = step.strip_prefix("exit-") else {
        return Ok(());
    };
    if !ticked(answers, NO_CHANGES) {
        return Ok(());
    }
    let m = member(draft, personal_id)?;
    let recorded = if editing(draft) {
        match m.enrollment_id.as_deref() {
            Some(e) => recorded_exit(&state.db, e).await?.and_then(|x| x.event_id),
            None => None,
        }
    } else {
        None
    };
    let mut kept = match recorded {
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
    };
    kept.insert(NO_CHANGES.into(), "yes".into());
    *answers = kept;
    Ok(())
}

/// After the first step is saved with destination 30 "No exit interview completed":
/// every exit page not filled yet is prefilled from the member's latest records.
pub async fn after_save(state: &AppState, draft: &mut Draft, step: &str) -> Result<(), AppError> {
    if step != EXIT || editing(draft) {
        return Ok(());
    }
    let no_interview = draft
        .answers(EXIT)
        .and_then(|a| text(a, "destination"))
        .is_some_and(|d| d == NO_EXIT_INTERVIEW.to_string());
    if !no_interview {
        return Ok(());
    }
    let ids: Vec<String> = draft
        .data
        .members
        .iter()
        .filter(|m| exits(draft.kind, &draft.data, &m.personal_id))
        .map(|m| m.personal_id.clone())
        .collect();
    for personal_id in ids {
        let step = member_step(&personal_id);
        if draft.data.answers.get(&step).is_none_or(|a| a.is_empty()) {
            let filled = assessment::answers_from(
                &state.db,
                Source::Latest {
                    personal_id: &personal_id,
                },
            )
            .await?;
            draft.data.answers.insert(step, filled);
        }
    }
    Ok(())
}

super::contract::workflow!(Exit, after_save);
