//! The Update/Annual Assessment's pages.

use super::*;
use crate::domain::annual::{check_annual, current_or_next, window_containing};
use crate::domain::household::collected_for;
use crate::features::workflows::answers::with_values;
use crate::features::workflows::api::{ReviewSection, StepBody, StepView};
use crate::ui::fields::{Choice, FieldKind, FieldSpec};
use crate::ui::format::format_date;

fn form(
    id: &str,
    title: String,
    intro: String,
    fields: Vec<FieldSpec>,
    answers: Option<&Answers>,
) -> StepView {
    let empty = Answers::new();
    StepView {
        id: id.into(),
        title,
        intro: Some(intro),
        body: StepBody::Form(with_values(fields, answers.unwrap_or(&empty))),
        default_last: false,
        no_changes: false,
        finish: false,
    }
}

pub async fn render(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &StepDef,
) -> Result<StepView, AppError> {
    let id = step.id.as_str();
    let data = &draft.data;
    match id {
        PROGRAM => Ok(program_page(draft)),
        CHOOSE => choose_page(state, draft).await,
        DATE => Ok(date_page(draft)),
        KIND => kind_page(state, draft).await,
        REVIEW => Ok(review_page(draft)),
        _ => {
            let personal_id = id.strip_prefix("assess-").ok_or(AppError::NotFound)?;
            let m = member(draft, personal_id)?;
            let on = information_date(data).unwrap_or(state.today());
            let mut view = form(
                id,
                format!("{} — {}", stage_label(stage(data)), m.name()),
                format!(
                    "Information date {}. Default Last fills the page from {}'s latest records; No Changes keeps {}.",
                    format_date(on),
                    m.name(),
                    if editing(data).is_some() {
                        "the assessment being edited"
                    } else {
                        "the latest records"
                    }
                ),
                fields_for(m, on),
                draft.answers(id),
            );
            view.default_last = true;
            view.no_changes = true;
            Ok(view)
        }
    }
}

pub(super) fn fields_for(m: &DraftMember, on: NaiveDate) -> Vec<FieldSpec> {
    assessment::fields(collected_for(m.relationship == Some(1), m.dob, on))
}

fn program_page(draft: &Draft) -> StepView {
    let (move_in, engagement) = program_elements(&draft.data);
    let mut fields = Vec::new();
    if move_in {
        fields.extend([
            FieldSpec::section("3.20 Housing move-in date"),
            FieldSpec::new("move_in_date", "Housing move-in date", FieldKind::Date).hint(
                "The day the household moved into permanent housing. On or after the start date, never in the future.",
            ),
        ]);
    }
    if engagement {
        fields.extend([
            FieldSpec::section("4.13 Date of engagement"),
            FieldSpec::new("date_of_engagement", "Date of engagement", FieldKind::Date)
                .hint("On or after the start date, never in the future."),
        ]);
    }
    let intro = if fields.is_empty() {
        "This project records no project-specific enrollment elements: choose No Changes.".to_string()
    } else {
        "The enrollment's project-specific elements as recorded. Correct them, or choose No Changes."
            .to_string()
    };
    let mut view = form(
        PROGRAM,
        "Program enrollment".into(),
        intro,
        fields,
        draft.answers(PROGRAM),
    );
    view.no_changes = true;
    view
}

async fn choose_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let recorded = recorded(&state.db, &draft.data.members).await?;
    let mut choices = vec![Choice {
        value: NEW.into(),
        label: "New assessment".into(),
        group: None,
    }];
    for (key, stage, on, count) in groups(&recorded) {
        choices.push(Choice {
            value: key,
            label: format!(
                "Edit: {} of {} ({count} member{})",
                stage_label(stage),
                format_date(on),
                if count == 1 { "" } else { "s" }
            ),
            group: None,
        });
    }
    let mut answers = draft.answers(CHOOSE).cloned().unwrap_or_default();
    answers
        .entry("which".into())
        .or_insert_with(|| draft.data.facts.get(GROUP).cloned().unwrap_or_else(|| NEW.into()));
    Ok(form(
        CHOOSE,
        "New or edit existing".into(),
        "Updates or annual assessments are recorded for this household. Record a new one, or edit one of them."
            .into(),
        vec![FieldSpec::new("which", "Assessment", FieldKind::Select(choices)).required()],
        Some(&answers),
    ))
}

/// The annual window around `on` in words.
fn window_note(start: Option<NaiveDate>, on: NaiveDate) -> String {
    let Some(start) = start else {
        return "The head of household's start date is not recorded: no annual window.".into();
    };
    match (window_containing(start, on), current_or_next(start, on)) {
        (Some(w), _) => format!(
            "{} is within the annual window {} – {} (anniversary {} of the head of household's start date, {}).",
            format_date(on),
            format_date(w.opens),
            format_date(w.closes),
            format_date(w.anniversary),
            format_date(start)
        ),
        (None, Some(next)) => format!(
            "{} is outside the annual windows. The next window is {} – {} (anniversary {} of the head of household's start date, {}).",
            format_date(on),
            format_date(next.opens),
            format_date(next.closes),
            format_date(next.anniversary),
            format_date(start)
        ),
        (None, None) => String::new(),
    }
}

fn date_page(draft: &Draft) -> StepView {
    let data = &draft.data;
    let started = data
        .members
        .iter()
        .find(|m| m.enrollment_id.as_deref() == draft.model.enrollment_id.as_deref());
    let within = match started {
        Some(m) => format!(
            "Within the enrollment: from {} to {}.",
            m.entry_date.map(format_date).unwrap_or_default(),
            m.exit_date
                .map(|x| format!("the exit date, {}", format_date(x)))
                .unwrap_or_else(|| "today".into())
        ),
        None => String::new(),
    };
    let on = information_date(data);
    form(
        DATE,
        "Information date".into(),
        format!(
            "The date the household's information was collected; every member's assessment is dated so. {}",
            on.map(|on| window_note(head_start(data), on)).unwrap_or_default()
        ),
        vec![
            FieldSpec::new("information_date", "Information date", FieldKind::Date)
                .required()
                .hint(&within),
        ],
        draft.answers(DATE),
    )
}

/// Annual is offered only when the information date lies within a window and no
/// other annual of the household is recorded in it.
pub(super) fn annual_offered(
    data: &DraftData,
    recorded: &[RecordedAssessment],
    editing_group: Option<&str>,
) -> Result<crate::domain::annual::Window, String> {
    let (Some(start), Some(on)) = (head_start(data), information_date(data)) else {
        return Err("Choose the information date first.".into());
    };
    let others: Vec<NaiveDate> = recorded
        .iter()
        .filter(|r| r.stage == ANNUAL && Some(r.group().as_str()) != editing_group)
        .map(|r| r.information_date)
        .collect();
    check_annual(start, on, &others)
}

async fn kind_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let data = &draft.data;
    let recorded = recorded(&state.db, &data.members).await?;
    let offered = annual_offered(data, &recorded, editing(data));
    let mut choices = vec![Choice {
        value: UPDATE.to_string(),
        label: "Update (stage 2)".into(),
        group: None,
    }];
    if offered.is_ok() {
        choices.push(Choice {
            value: ANNUAL.to_string(),
            label: "Annual assessment (stage 5)".into(),
            group: None,
        });
    }
    let mut answers = draft.answers(KIND).cloned().unwrap_or_default();
    answers
        .entry("stage".into())
        .or_insert_with(|| if offered.is_ok() { ANNUAL } else { UPDATE }.to_string());
    let on = information_date(data).unwrap_or(state.today());
    let note = match &offered {
        Ok(_) => window_note(head_start(data), on),
        Err(why) => format!("Annual is not offered: {why}"),
    };
    let count = assessed(data).len();
    Ok(form(
        KIND,
        "Update or annual".into(),
        format!(
            "{note} The choice applies to every household member assessed ({count} member{}).",
            if count == 1 { "" } else { "s" }
        ),
        vec![FieldSpec::new("stage", "Type of assessment", FieldKind::Select(choices)).required()],
        Some(&answers),
    ))
}

fn review_page(draft: &Draft) -> StepView {
    let data = &draft.data;
    let shown = |v: Option<NaiveDate>| v.map(format_date).unwrap_or_else(|| "Not chosen".into());
    let mut lines = vec![
        ("Type".to_string(), stage_label(stage(data)).to_string()),
        ("Information date".to_string(), shown(information_date(data))),
        (
            "Recorded as".to_string(),
            if editing(data).is_some() {
                "Changes to a recorded assessment".into()
            } else {
                "A new assessment".into()
            },
        ),
    ];
    let program = draft.answers(PROGRAM);
    let (move_in, engagement) = program_elements(data);
    if ticked(program.unwrap_or(&Answers::new()), NO_CHANGES) {
        lines.push(("Program enrollment".into(), "No changes".into()));
    } else {
        if move_in {
            lines.push((
                "Housing move-in date".into(),
                shown(date_answer(program, "move_in_date")),
            ));
        }
        if engagement {
            lines.push((
                "Date of engagement".into(),
                shown(date_answer(program, "date_of_engagement")),
            ));
        }
    }
    let mut sections = vec![ReviewSection {
        heading: "Assessment".into(),
        lines,
    }];
    for m in assessed(data) {
        let step = member_step(&m.personal_id);
        let saved = if !data.done.contains(&step) {
            "Not saved yet"
        } else if draft.answers(&step).is_some_and(|a| ticked(a, NO_CHANGES)) {
            "Saved: no changes"
        } else {
            "Saved"
        };
        sections.push(ReviewSection {
            heading: m.name(),
            lines: vec![(stage_label(stage(data)).to_string(), saved.to_string())],
        });
    }
    StepView {
        id: REVIEW.into(),
        title: "Review and finish".into(),
        intro: Some(
            "Finish checks every step again and records every member's assessment at once. Until then nothing is in the HMIS."
                .into(),
        ),
        body: StepBody::Review(sections),
        default_last: false,
        no_changes: false,
        finish: true,
    }
}
