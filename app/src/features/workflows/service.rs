//! The workflow engine on the server: drafts in `workflow_drafts`, the step list, saving
//! a step, finishing and discarding. Each kind of workflow (intake, …) supplies its
//! steps, pages, checks and commit.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::api::{
    DraftData, DraftMember, MyDraft, StepBody, StepLink, StepView, WorkflowKind, WorkflowView, step_path,
};
use crate::db::audit::{self, Event};
use crate::db::entities::workflow_draft;
use crate::db::visibility::{EnrollmentAccess, enrollment_access};
use crate::db::{begin_write, new_id, statement};
use crate::domain::access::Workgroup;
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::{Answers, inapplicable};

/// Marks a step saved with "No Changes".
pub const NO_CHANGES: &str = "_no_changes";

/// Message for a step that no longer passes its checks at Finish.
pub fn step_needs_attention(step: &StepDef, err: AppError) -> AppError {
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

/// A step of a workflow as its kind defines it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDef {
    pub id: String,
    pub label: String,
    pub member: Option<String>,
}

/// The last step of every kind but the single assessment.
pub const REVIEW: &str = "review";

impl StepDef {
    /// A step of the whole household.
    pub fn household(id: &str, label: &str) -> Self {
        StepDef {
            id: id.into(),
            label: label.into(),
            member: None,
        }
    }

    /// A step of one member (`id` made from theirs), named for them in the step list.
    pub fn member(id: String, label: &str, member: &super::api::DraftMember) -> Self {
        StepDef {
            id,
            label: label.into(),
            member: Some(member.name()),
        }
    }

    /// Review and finish.
    pub fn review() -> Self {
        Self::household(REVIEW, "Review and finish")
    }
}

/// A draft loaded for its owner.
#[derive(Clone, Debug)]
pub struct Draft {
    pub model: workflow_draft::Model,
    pub kind: WorkflowKind,
    pub data: DraftData,
}

impl Draft {
    pub fn id(&self) -> &str {
        &self.model.draft_id
    }

    pub fn answers(&self, step: &str) -> Option<&Answers> {
        self.data.answers.get(step)
    }

    /// A household member of the draft.
    pub fn member(&self, personal_id: &str) -> Result<&DraftMember, AppError> {
        self.data
            .members
            .iter()
            .find(|m| m.personal_id == personal_id)
            .ok_or(AppError::NotFound)
    }
}

/// Ends a workflow inside its commit: the draft deleted, `workflow.finish` audited
/// with `detail`.
pub async fn close(
    txn: &impl ConnectionTrait,
    session: &CurrentSession,
    draft: &Draft,
    personal_id: &str,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    delete_in(txn, draft.id()).await?;
    audit::record(
        txn,
        now,
        &session.actor(),
        Event::new("workflow.finish")
            .on("workflow_draft", draft.id())
            .client(personal_id)
            .detail(detail),
    )
    .await?;
    Ok(())
}

fn steps_of(draft: &Draft) -> Vec<StepDef> {
    draft.kind.workflow().steps(draft)
}

/// Creates a draft for the acting user and organization.
pub async fn create(
    state: &AppState,
    session: &CurrentSession,
    kind: WorkflowKind,
    personal_id: Option<String>,
    data: &DraftData,
    first_step: &str,
    enrollment: Option<(&str, &str)>,
) -> Result<String, AppError> {
    let context = session.require_context()?;
    let now = state.now();
    let draft_id = new_id();
    let txn = begin_write(&state.db).await?;
    workflow_draft::ActiveModel {
        draft_id: Set(draft_id.clone()),
        kind: Set(kind.code().to_string()),
        user_id: Set(session.user_id.clone()),
        organization_id: Set(context.organization_id.clone()),
        personal_id: Set(personal_id.clone()),
        enrollment_id: Set(enrollment.map(|(e, _)| e.to_string())),
        household_id: Set(enrollment.map(|(_, h)| h.to_string())),
        step: Set(first_step.to_string()),
        payload: Set(encode(data)?),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mut event = Event::new("workflow.start")
        .on("workflow_draft", &draft_id)
        .detail(kind.code());
    if let Some(personal_id) = personal_id.as_deref() {
        event = event.client(personal_id);
    }
    audit::record(&txn, now, &session.actor(), event).await?;
    txn.commit().await?;
    Ok(draft_id)
}

/// A workflow about to start on an enrollment's household.
pub struct Begin {
    pub access: EnrollmentAccess,
    pub household_id: String,
    /// The user's draft of this kind for the household, to resume: its step's address.
    pub resume: Option<String>,
}

/// The checks every enrollment workflow starts with (case work, the owning
/// organization) and the user's draft of that kind for the household, if any.
pub async fn begin(
    state: &AppState,
    session: &CurrentSession,
    kind: WorkflowKind,
    enrollment_id: &str,
) -> Result<Begin, AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let db = &state.db;
    let access = enrollment_access(db, session, enrollment_id).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    let backend = db.get_database_backend();
    let household_id: String = db
        .query_one_raw(statement(
            backend,
            "SELECT household_id FROM enrollments WHERE enrollment_id = ?",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("", "household_id")?;
    let resume = match db
        .query_one_raw(statement(
            backend,
            "SELECT draft_id, step FROM workflow_drafts WHERE user_id = ? AND kind = ? AND household_id = ? \
             ORDER BY updated_at DESC",
            vec![
                session.user_id.clone().into(),
                kind.code().into(),
                household_id.clone().into(),
            ],
        ))
        .await?
    {
        Some(row) => {
            let draft_id: String = row.try_get("", "draft_id")?;
            let step: String = row.try_get("", "step")?;
            Some(step_path(&draft_id, &step))
        }
        None => None,
    };
    Ok(Begin {
        access,
        household_id,
        resume,
    })
}

fn encode(data: &DraftData) -> Result<String, AppError> {
    serde_json::to_string(data).map_err(|e| {
        tracing::error!(error = %e, "workflow draft could not be encoded");
        AppError::Internal
    })
}

async fn find(state: &AppState, draft_id: &str) -> Result<workflow_draft::Model, AppError> {
    workflow_draft::Entity::find_by_id(draft_id.to_string())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Loads a draft for its owner, acting in the organization it was started in.
pub async fn load(state: &AppState, session: &CurrentSession, draft_id: &str) -> Result<Draft, AppError> {
    let context = session.require_context()?;
    let model = find(state, draft_id).await?;
    if model.user_id != session.user_id {
        return Err(AppError::Forbidden);
    }
    if model.organization_id != context.organization_id {
        return Err(AppError::Conflict(
            "This workflow was started in another organization: switch your context to it to continue."
                .into(),
        ));
    }
    let kind = WorkflowKind::from_code(&model.kind).ok_or_else(|| {
        tracing::error!(kind = %model.kind, "unknown workflow kind");
        AppError::Internal
    })?;
    let data: DraftData = serde_json::from_str(&model.payload).map_err(|e| {
        tracing::error!(error = %e, draft = %model.draft_id, "workflow draft could not be read");
        AppError::Internal
    })?;
    Ok(Draft { model, kind, data })
}

/// Writes the draft back (answers, done marks, current step).
pub async fn store(state: &AppState, draft: &Draft, step: &str) -> Result<DateTime<Utc>, AppError> {
    let now = state.now();
    let mut active = draft.model.clone().into_active_model();
    active.payload = Set(encode(&draft.data)?);
    active.step = Set(step.to_string());
    active.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(now)
}

/// One step's page, as its workflow kind draws it from the draft's answers.
async fn render(
    state: &AppState,
    session: &CurrentSession,
    draft: &Draft,
    step: &StepDef,
) -> Result<StepView, AppError> {
    draft.kind.workflow().render(state, session, draft, step).await
}

/// Applies the step's page to a saved step, drawn once from its answers: drops the
/// answers to the questions that do not apply to the other answers (a source when
/// "from any source" is not Yes, a follow-up of a "No"), which the page hides as the
/// person answers and which are not recorded; and answers the required questions that
/// apply and were left empty ("Required." by each field, like the kinds' own checks
/// say it), so a question shown only when it applies is required only then.
async fn apply_page(
    state: &AppState,
    session: &CurrentSession,
    draft: &mut Draft,
    step: &StepDef,
) -> Result<Vec<FieldError>, AppError> {
    let StepBody::Form(fields) = render(state, session, draft, step).await?.body else {
        return Ok(Vec::new());
    };
    let hidden = inapplicable(&fields);
    if let Some(answers) = draft.data.answers.get_mut(&step.id) {
        answers.retain(|name, _| !hidden.contains(name));
    }
    Ok(fields
        .into_iter()
        .filter(|f| f.required && !f.name.is_empty() && f.value.trim().is_empty())
        .filter(|f| !hidden.contains(&f.name))
        .map(|f| FieldError {
            field: f.name,
            message: "Required.".into(),
        })
        .collect())
}

/// `checked` with the `missing` required answers added (each field named once).
fn with_missing(checked: Result<(), AppError>, missing: Vec<FieldError>) -> Result<(), AppError> {
    match checked {
        Ok(()) if missing.is_empty() => Ok(()),
        Ok(()) => Err(AppError::Validation(missing)),
        Err(AppError::Validation(mut errors)) => {
            for m in missing {
                if !errors.iter().any(|e| e.field == m.field) {
                    errors.push(m);
                }
            }
            Err(AppError::Validation(errors))
        }
        Err(other) => Err(other),
    }
}

/// The draft opened at `step` (its current step when none is given).
pub async fn view(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    step: Option<&str>,
) -> Result<WorkflowView, AppError> {
    let draft = load(state, session, draft_id).await?;
    let steps = steps_of(&draft);
    let wanted = step.filter(|s| !s.is_empty()).unwrap_or(&draft.model.step);
    let current = steps
        .iter()
        .find(|s| s.id == wanted)
        .or_else(|| steps.first())
        .ok_or(AppError::NotFound)?
        .clone();
    let body = render(state, session, &draft, &current).await?;
    Ok(WorkflowView {
        draft_id: draft.id().to_string(),
        kind: draft.kind,
        title: draft.data.title(),
        steps: steps
            .iter()
            .map(|s| StepLink {
                id: s.id.clone(),
                label: s.label.clone(),
                member: s.member.clone(),
                done: draft.data.done.contains(&s.id),
                current: s.id == current.id,
            })
            .collect(),
        step: body,
        updated_at: draft.model.updated_at,
        saved_at: state.stamp(draft.model.updated_at),
        back_to: back_to(&draft),
    })
}

/// Where the user goes when the workflow is finished or thrown away.
fn back_to(draft: &Draft) -> String {
    draft.kind.workflow().back_to(draft)
}

/// Saves a step (see `save_workflow_step`); answers the address of the next step.
pub async fn save_step(
    state: &AppState,
    session: &CurrentSession,
    draft_id: &str,
    step: &str,
    intent: &str,
    mut answers: Answers,
) -> Result<String, AppError> {
    let mut draft = load(state, session, draft_id).await?;
    let kind = draft.kind.workflow();
    let steps = steps_of(&draft);
    let index = steps
        .iter()
        .position(|s| s.id == step)
        .ok_or(AppError::NotFound)?;
    if intent == "default_last" {
        let filled = kind.default_last(state, &draft, step).await?;
        draft.data.answers.insert(step.to_string(), filled);
        draft.data.done.remove(step);
        store(state, &draft, step).await?;
        return Ok(step_path(draft_id, step));
    }
    if intent == "no_changes" {
        answers.insert(NO_CHANGES.to_string(), "yes".to_string());
    }
    // Kept before it is checked: nothing typed is lost, even when it needs correcting.
    let problems = kind.prepare(state, &draft, step, &mut answers).await?;
    draft.data.answers.insert(step.to_string(), answers);
    draft.data.done.remove(step);
    let missing = apply_page(state, session, &mut draft, &steps[index]).await?;
    let checked = match problems {
        Some(problems) => Err(problems),
        None => kind.check_step(state, session, &draft, step).await,
    };
    // "No Changes" keeps what is on record as it is; a saved form must answer every
    // question the page marks required.
    let checked = if intent == "no_changes" {
        checked
    } else {
        with_missing(checked, missing)
    };
    if let Err(err) = checked {
        store(state, &draft, step).await?;
        return Err(err);
    }
    draft.data.done.insert(step.to_string());
    kind.after_save(state, &mut draft, step).await?;
    // Later steps may depend on this one (members, project): recompute the list.
    let steps = steps_of(&draft);
    let next = steps
        .iter()
        .skip(index + 1)
        .find(|s| !draft.data.done.contains(&s.id))
        .or_else(|| steps.last())
        .map(|s| s.id.clone())
        .unwrap_or_else(|| step.to_string());
    store(state, &draft, &next).await?;
    Ok(step_path(draft_id, &next))
}

/// Checks every step again and commits the workflow in one transaction.
pub async fn finish(state: &AppState, session: &CurrentSession, draft_id: &str) -> Result<String, AppError> {
    let draft = load(state, session, draft_id).await?;
    let steps = steps_of(&draft);
    if let Some(missing) = steps
        .iter()
        .take(steps.len().saturating_sub(1))
        .find(|s| !draft.data.done.contains(&s.id))
    {
        let who = missing
            .member
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        return Err(AppError::Conflict(format!(
            "Complete every step before finishing: \"{}\"{who} is not saved yet.",
            missing.label
        )));
    }
    draft.kind.workflow().finish(state, session, &draft).await
}

/// Deletes a draft inside a workflow's commit.
pub async fn delete_in(txn: &impl ConnectionTrait, draft_id: &str) -> Result<(), AppError> {
    workflow_draft::Entity::delete_by_id(draft_id.to_string())
        .exec(txn)
        .await?;
    Ok(())
}

/// Throws a draft away: its owner, or an agency admin of its organization, or an HMIS
/// admin.
pub async fn discard(state: &AppState, session: &CurrentSession, draft_id: &str) -> Result<String, AppError> {
    let context = session.require_context()?;
    let model = find(state, draft_id).await?;
    let allowed = model.user_id == session.user_id
        || context.workgroup == Workgroup::HmisAdmin
        || (context.workgroup == Workgroup::AgencyAdmin && context.organization_id == model.organization_id);
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let back = match &model.personal_id {
        Some(id) if client_exists(state, id).await? => crate::routes::client(id),
        _ => crate::routes::HOME.to_string(),
    };
    let txn = begin_write(&state.db).await?;
    delete_in(&txn, draft_id).await?;
    let mut event = Event::new("workflow.discard")
        .on("workflow_draft", draft_id)
        .detail(model.kind.clone());
    if let Some(personal_id) = model.personal_id.as_deref() {
        event = event.client(personal_id);
    }
    audit::record(&txn, state.now(), &session.actor(), event).await?;
    txn.commit().await?;
    Ok(back)
}

async fn client_exists(state: &AppState, personal_id: &str) -> Result<bool, AppError> {
    Ok(
        crate::db::entities::client::Entity::find_by_id(personal_id.to_string())
            .one(&state.db)
            .await?
            .is_some(),
    )
}

/// The user's drafts, newest first.
pub async fn my_drafts(state: &AppState, session: &CurrentSession) -> Result<Vec<MyDraft>, AppError> {
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT draft_id, kind, payload, updated_at FROM workflow_drafts WHERE user_id = ? \
             ORDER BY updated_at DESC LIMIT 50",
            vec![session.user_id.clone().into()],
        ))
        .await?;
    let mut drafts = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        let payload: String = row.try_get("", "payload")?;
        let data: DraftData = serde_json::from_str(&payload).unwrap_or_default();
        let parsed = WorkflowKind::from_code(&kind);
        let updated_at = row.try_get("", "updated_at")?;
        drafts.push(MyDraft {
            draft_id: row.try_get("", "draft_id")?,
            household: data.title(),
            kind: parsed.map(|k| k.label().to_string()).unwrap_or(kind),
            updated_at,
            saved_at: state.stamp(updated_at),
        });
    }
    Ok(drafts)
}
