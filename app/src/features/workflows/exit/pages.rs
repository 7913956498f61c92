//! The exit's pages: the first step (date, destination and reason first — what the
//! guides' first form asks — then who exits, their own dates, case assignment,
//! service), each member's exit assessment, the review.

use super::*;

// ---- pages -------------------------------------------------------------------------

pub async fn render(
    state: &AppState,
    _session: &crate::session::CurrentSession,
    draft: &Draft,
    step: &StepDef,
) -> Result<StepView, AppError> {
    let id = step.id.as_str();
    if id == EXIT {
        return exit_page(state, draft).await;
    }
    if id == REVIEW {
        return review_page(state, draft).await;
    }
    if let Some(personal_id) = id.strip_prefix("exit-") {
        let m = member(draft, personal_id)?;
        let on = member_exit_date(draft, personal_id).unwrap_or(state.today());
        let answers = draft.answers(id).cloned().unwrap_or_default();
        return Ok(StepView {
            id: id.into(),
            title: format!("Exit assessment — {}", m.name()),
            intro: Some(format!(
                "Information date: the exit date, {}. Default Last fills the page from {}'s latest records.",
                on.format("%-m/%-d/%Y"),
                m.name()
            )),
            body: StepBody::Form(with_values(assessment_fields(m, on), &answers)),
            default_last: true,
            no_changes: true,
            finish: false,
        });
    }
    Err(AppError::NotFound)
}

fn assessment_fields(m: &DraftMember, on: NaiveDate) -> Vec<FieldSpec> {
    assessment::fields(collected_for(m.relationship == Some(1), m.dob, on))
}

fn relationship(m: &DraftMember) -> &'static str {
    m.relationship
        .and_then(|r| RELATIONSHIP_TO_HOH.label(r))
        .unwrap_or("relationship not recorded")
}

/// The reasons for leaving a user may choose (and the recorded one, when editing).
pub(super) async fn reason_choices(
    db: &impl ConnectionTrait,
    current: Option<&str>,
) -> Result<Vec<Choice>, AppError> {
    Ok(exit_reason::Entity::find()
        .order_by_asc(exit_reason::Column::SortOrder)
        .filter(exit_reason::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| !r.is_system || Some(r.exit_reason_id.as_str()) == current)
        .map(|r| Choice {
            value: r.exit_reason_id,
            label: r.name,
            group: None,
        })
        .collect())
}

async fn exit_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let answers = draft.answers(EXIT).cloned().unwrap_or_default();
    let edit = editing(draft);
    let started = draft.model.personal_id.as_deref();
    let mut fields = vec![
        FieldSpec::section("3.11 Exit date"),
        FieldSpec::new("exit_date", "Project exit date", FieldKind::Date)
            .required()
            .hint("The last day in the project. Never before the project start date, never in the future."),
        FieldSpec::section("3.12 Destination"),
        FieldSpec::code("destination", "Destination", &DESTINATION)
            .required()
            .hint("\"No exit interview completed\" fills every exit page from the latest records."),
        FieldSpec::code(
            "subsidy_type",
            "Type of the ongoing housing subsidy",
            &RENTAL_SUBSIDY_TYPE,
        )
        .required()
        .when("destination", [crate::domain::exit::RENTAL_WITH_SUBSIDY]),
        FieldSpec::new(
            "other_destination",
            "Other destination: specify",
            FieldKind::Text { max_length: 50 },
        )
        .required()
        .when("destination", [super::checks::OTHER_DESTINATION]),
        FieldSpec::section("Reason for leaving"),
        FieldSpec::new(
            "reason",
            "Reason for leaving",
            FieldKind::Select(reason_choices(&state.db, text(&answers, "reason").as_deref()).await?),
        ),
    ];
    if !edit {
        fields.push(FieldSpec::section("Who exits"));
        for m in &draft.data.members {
            let label = if Some(m.personal_id.as_str()) == started {
                format!("{} ({}) exits", m.name(), relationship(m))
            } else {
                format!("Does {} ({}) exit too?", m.name(), relationship(m))
            };
            fields.push(FieldSpec::new(
                &format!("exit_{}", m.personal_id),
                &label,
                FieldKind::Checkbox,
            ));
        }
    }
    if draft.data.members.len() > 1 {
        fields.push(FieldSpec::section("Different exit dates"));
        for m in &draft.data.members {
            let date = FieldSpec::new(
                &format!("date_{}", m.personal_id),
                &format!("{}: exit date, if different", m.name()),
                FieldKind::Date,
            )
            .hint("Empty: the exit date above. Never after the head of household's exit date.");
            // Asked of those who exit (an exit being corrected names no one).
            fields.push(if edit {
                date
            } else {
                date.when(&format!("exit_{}", m.personal_id), ["yes"])
            });
        }
    }
    let head = draft.data.members.iter().find(|m| m.relationship == Some(1));
    if !edit && head.is_some() && draft.data.members.len() > 1 {
        let choices = draft
            .data
            .members
            .iter()
            .filter(|m| m.relationship != Some(1))
            .map(|m| Choice {
                value: m.personal_id.clone(),
                label: m.name(),
                group: None,
            })
            .collect();
        fields.push(FieldSpec::section("Head of household"));
        fields.push(
            FieldSpec::new("new_head", "New head of household", FieldKind::Select(choices)).hint(
                "Only when the head of household exits and others stay: one of those who stay becomes the head.",
            ),
        );
    }
    if !edit {
        fields.extend([
            FieldSpec::section("Case assignment"),
            FieldSpec::new("end_case_assignment", "End Case Assignment", FieldKind::Checkbox)
                .hint("The exiting members leave the case managers' \"My Case Assignments\"."),
            FieldSpec::section("Services provided at exit"),
            FieldSpec::new(
                "service",
                "Service provided at exit",
                FieldKind::Select(crate::features::services::service_choices()),
            )
            .hint("Recorded on the exit date for the head of household (or the first member exiting)."),
        ]);
    }
    Ok(StepView {
        id: EXIT.into(),
        title: if edit {
            "Edit exit: date and destination".into()
        } else {
            "Exit date and destination".into()
        },
        intro: Some(if edit {
            "What was recorded. Correct what is wrong (the same rules as at exit apply), or choose No Changes."
                .into()
        } else {
            "When the head of household exits, everyone exits, or a new head is chosen among those who stay. \
             Another member may exit alone."
                .into()
        }),
        body: StepBody::Form(with_values(fields, &answers)),
        default_last: false,
        no_changes: edit,
        finish: false,
    })
}

async fn review_page(state: &AppState, draft: &Draft) -> Result<StepView, AppError> {
    let first = draft.answers(EXIT).cloned().unwrap_or_default();
    let label = |list: &crate::domain::codes::CodeList, key: &str| {
        text(&first, key)
            .and_then(|v| v.parse().ok())
            .and_then(|v| list.label(v))
            .unwrap_or("Not chosen")
            .to_string()
    };
    let reason = match text(&first, "reason") {
        Some(id) => exit_reason::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|r| r.name),
        None => None,
    };
    let mut lines = vec![
        ("Destination".to_string(), label(&DESTINATION, "destination")),
        (
            "Reason for leaving".to_string(),
            reason.unwrap_or_else(|| "Not chosen".into()),
        ),
    ];
    if !editing(draft) {
        lines.push((
            "End case assignment".into(),
            if ticked(&first, "end_case_assignment") {
                "Yes"
            } else {
                "No"
            }
            .into(),
        ));
        if let Some(id) = text(&first, "new_head")
            && let Ok(m) = member(draft, &id)
        {
            lines.push(("New head of household".into(), m.name()));
        }
    }
    let mut sections = vec![ReviewSection {
        heading: "Exit".into(),
        lines,
    }];
    for m in &draft.data.members {
        let lines = if exits(draft.kind, &draft.data, &m.personal_id) {
            vec![
                (
                    "Exit date".to_string(),
                    member_exit_date(draft, &m.personal_id)
                        .map(|d| d.format("%-m/%-d/%Y").to_string())
                        .unwrap_or_else(|| "Not chosen".into()),
                ),
                (
                    "Exit assessment".to_string(),
                    if draft.data.done.contains(&member_step(&m.personal_id)) {
                        "Saved"
                    } else {
                        "Not saved yet"
                    }
                    .to_string(),
                ),
            ]
        } else {
            vec![("Exits".to_string(), "No: stays enrolled".to_string())]
        };
        sections.push(ReviewSection {
            heading: m.name(),
            lines,
        });
    }
    Ok(StepView {
        id: REVIEW.into(),
        title: "Review and finish".into(),
        intro: Some(if editing(draft) {
            "Finish checks every step again and saves the corrected exit for every member at once.".into()
        } else {
            "Finish checks every step again and exits every member listed at once. Until then nothing is in the HMIS."
                .into()
        }),
        body: StepBody::Review(sections),
        default_last: false,
        no_changes: false,
        finish: true,
    })
}
