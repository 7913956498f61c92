//! The CoC's local prioritization questions: listed, saved (a retired question keeps what was recorded with it), seeded for a new CoC.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};

use super::api::QuestionRow;
use crate::db::audit::{self, Event};
use crate::db::entities::ce_question;
use crate::db::{begin_write, new_id};
use crate::domain::access::Workgroup;
use crate::domain::ce::{self, Choice};
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;

pub(super) fn decode_choices(model: &ce_question::Model) -> Vec<Choice> {
    serde_json::from_str(&model.choices).unwrap_or_else(|e| {
        tracing::error!(question = %model.question_id, error = %e, "unreadable CE question choices");
        Vec::new()
    })
}

pub(super) fn question_row(model: ce_question::Model) -> QuestionRow {
    let choices = decode_choices(&model);
    QuestionRow {
        choices_text: ce::format_choices(&choices),
        question_id: model.question_id,
        position: model.position,
        question: model.question,
        choices,
        active: model.active,
    }
}

pub(super) async fn all_questions(db: &impl ConnectionTrait) -> Result<Vec<QuestionRow>, AppError> {
    Ok(ce_question::Entity::find()
        .order_by_asc(ce_question::Column::Position)
        .order_by_asc(ce_question::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(question_row)
        .collect())
}

/// Every question, for the admin page.
pub async fn questions(state: &AppState, session: &CurrentSession) -> Result<Vec<QuestionRow>, AppError> {
    session.require_workgroup(&[Workgroup::HmisAdmin])?;
    all_questions(&state.db).await
}

/// The question form as posted.
#[derive(Clone, Debug, Default)]
pub struct QuestionForm {
    pub question_id: Option<String>,
    pub question: String,
    pub choices: String,
    pub position: Option<String>,
    pub active: bool,
}

pub async fn save_question(
    state: &AppState,
    session: &CurrentSession,
    form: QuestionForm,
) -> Result<(), AppError> {
    session.require_workgroup(&[Workgroup::HmisAdmin])?;
    let mut errors = Vec::new();
    let question = form.question.trim().to_string();
    if question.is_empty() || question.chars().count() > 500 {
        errors.push(FieldError::new(
            "question",
            "Write the question (up to 500 characters).",
        ));
    }
    let choices = ce::parse_choices(&form.choices).map_err(|message| FieldError {
        field: "choices".into(),
        message,
    });
    let position = match form.position.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => match p.parse::<i32>().ok().filter(|p| (1..=1000).contains(p)) {
            Some(p) => Some(p),
            None => {
                errors.push(FieldError::new(
                    "position",
                    "The position is a whole number from 1 to 1000.",
                ));
                None
            }
        },
    };
    let choices = match choices {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (Some(choices), true) = (choices, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let encoded = serde_json::to_string(&choices).map_err(|e| {
        tracing::error!(error = %e, "CE question choices could not be encoded");
        AppError::Internal
    })?;
    let now = state.now();
    let txn = begin_write(&state.db).await?;
    let question_id = match &form.question_id {
        Some(id) => {
            let existing = ce_question::Entity::find_by_id(id.clone())
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut active: ce_question::ActiveModel = existing.into();
            active.question = Set(question);
            active.choices = Set(encoded);
            if let Some(p) = position {
                active.position = Set(p);
            }
            active.active = Set(form.active);
            active.updated_at = Set(now);
            active.update(&txn).await?;
            id.clone()
        }
        None => {
            let last = all_questions(&txn)
                .await?
                .iter()
                .map(|q| q.position)
                .max()
                .unwrap_or(0);
            let created_by = Some(session.user_id.clone());
            insert_question(
                &txn,
                position.unwrap_or(last + 1),
                question,
                encoded,
                created_by,
                now,
            )
            .await?
        }
    };
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("ce_question.save").on("ce_question", &question_id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn insert_question(
    db: &impl ConnectionTrait,
    position: i32,
    question: String,
    encoded_choices: String,
    created_by: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    let id = new_id();
    ce_question::ActiveModel {
        question_id: Set(id.clone()),
        position: Set(position),
        question: Set(question),
        choices: Set(encoded_choices),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(created_by),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Adds questions given as (question, `label = points` lines) when there are none yet
/// (the demo CoC's, at first start).
pub async fn seed_questions(
    db: &impl ConnectionTrait,
    questions: &[(&str, &str)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    if !all_questions(db).await?.is_empty() {
        return Ok(());
    }
    for (position, (question, choices)) in (1..).zip(questions) {
        let choices = ce::parse_choices(choices).map_err(|e| {
            tracing::error!(error = %e, "seed question choices do not parse");
            AppError::Internal
        })?;
        let encoded = serde_json::to_string(&choices).map_err(|_| AppError::Internal)?;
        insert_question(db, position, question.to_string(), encoded, None, now).await?;
    }
    Ok(())
}
