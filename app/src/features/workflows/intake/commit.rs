//! Finish: every step checked again, then one transaction for every row.

use super::checks::{
    check_client_step, check_enrollment_step, check_entry_step, check_household_step, check_outreach_step,
    overlapping,
};
use super::*;
use crate::features::workflows::service::step_needs_attention;

// ---- finish ------------------------------------------------------------------------

/// Commits the intake: new clients, changed client records, the household's
/// enrollments with their entry assessments, the case assignment — one transaction.
pub async fn finish(state: &AppState, session: &CurrentSession, draft: &Draft) -> Result<String, AppError> {
    require_intake_rights(session)?;
    let today = state.today();
    let now = state.now();
    let all = steps(draft);
    let by_id = |id: &str| all.iter().find(|s| s.id == id).cloned();
    let empty = Answers::new();
    let answers_of = |step: &str| draft.answers(step).unwrap_or(&empty);

    check_household_step(draft, answers_of(HOUSEHOLD))
        .map_err(|e| step_needs_attention(&by_id(HOUSEHOLD).unwrap_or_else(StepDef::review), e))?;
    let mut clients = Vec::new();
    for m in &draft.data.members {
        let step = client_step(&m.personal_id);
        let checked = check_client_step(draft, m, answers_of(&step), today)
            .map_err(|e| step_needs_attention(&by_id(&step).unwrap_or_else(StepDef::review), e))?;
        clients.push(checked);
    }
    let enrollment_answers = check_enrollment_step(state, session, draft, answers_of(ENROLLMENT))
        .await
        .map_err(|e| step_needs_attention(&by_id(ENROLLMENT).unwrap_or_else(StepDef::review), e))?;
    let mut entries = Vec::new();
    for m in draft
        .data
        .members
        .iter()
        .filter(|m| enrollment_answers.enrolled.contains(&m.personal_id))
    {
        let step = entry_step(&m.personal_id);
        let checked = check_entry_step(draft, m, answers_of(&step), today)
            .map_err(|e| step_needs_attention(&by_id(&step).unwrap_or_else(StepDef::review), e))?;
        entries.push((m, checked));
    }

    let outreach = match outreach_member(&draft.data) {
        Some(head) => {
            let step = outreach_step(&head.personal_id);
            let values = check_outreach_step(answers_of(&step), today)
                .map_err(|e| step_needs_attention(&by_id(&step).unwrap_or_else(StepDef::review), e))?;
            Some((head.personal_id.clone(), values))
        }
        None => None,
    };
    let household = answers_of(HOUSEHOLD);
    let user = Some(session.user_id.clone());
    let project = &enrollment_answers.project;
    let entry_date = enrollment_answers.entry_date;
    let household_id = new_id();
    // 3.16 Enrollment CoC, recorded for the head of household: the project's CoC (the
    // first one when it serves several).
    let enrollment_coc = crate::db::entities::project_coc::Entity::find()
        .filter(crate::db::entities::project_coc::Column::ProjectId.eq(project.project_id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| c.coc_code)
        .min();
    let head_id = draft
        .data
        .members
        .iter()
        .find(|m| enrollment_answers.enrolled.contains(&m.personal_id) && is_head(draft, &m.personal_id))
        .map(|m| m.personal_id.clone())
        .ok_or(AppError::Internal)?;

    let txn = begin_write(&state.db).await?;
    for (m, c) in draft.data.members.iter().zip(&clients) {
        let step_answers = answers_of(&client_step(&m.personal_id));
        if m.existing && ticked(step_answers, NO_CHANGES) {
            continue;
        }
        let mut record = client::ActiveModel {
            personal_id: Set(m.personal_id.clone()),
            first_name: Set(c.first_name.clone()),
            middle_name: Set(c.middle_name.clone()),
            last_name: Set(c.last_name.clone()),
            name_suffix: Set(c.name_suffix.clone()),
            name_data_quality: Set(c.name_data_quality),
            ssn_data_quality: Set(c.ssn_data_quality),
            dob: Set(c.dob),
            dob_data_quality: Set(c.dob_data_quality),
            sex: Set(Some(c.sex)),
            am_ind_ak_native: Set(c.races[0]),
            asian: Set(c.races[1]),
            black_af_american: Set(c.races[2]),
            hispanic_latinao: Set(c.races[3]),
            mid_east_n_african: Set(c.races[4]),
            native_hi_pacific: Set(c.races[5]),
            white: Set(c.races[6]),
            race_none: Set(c.race_none),
            additional_race_ethnicity: Set(c.additional_race_ethnicity.clone()),
            veteran_status: Set(c.veteran_status),
            updated_at: Set(now),
            first_name_key: Set(c.first_name.as_deref().map(search_key)),
            last_name_key: Set(c.last_name.as_deref().map(search_key)),
            ..Default::default()
        };
        if let Some(sealed) = step_answers.get("ssn_sealed") {
            record.ssn_encrypted = Set(Some(sealed.clone()));
            record.ssn_last4 = Set(step_answers.get("ssn_last4").cloned());
        } else if !m.existing {
            record.ssn_encrypted = Set(None);
            record.ssn_last4 = Set(None);
        }
        if m.existing {
            record.update(&txn).await?;
            audit::record(
                &txn,
                now,
                &session.actor(),
                Event::new("client.update")
                    .on("client", &m.personal_id)
                    .client(&m.personal_id),
            )
            .await?;
        } else {
            record.created_at = Set(now);
            record.created_by = Set(user.clone());
            record.date_deleted = Set(None);
            record.insert(&txn).await?;
            audit::record(
                &txn,
                now,
                &session.actor(),
                Event::new("client.create")
                    .on("client", &m.personal_id)
                    .client(&m.personal_id),
            )
            .await?;
        }
    }

    for (m, entry) in &entries {
        // Checked again inside the transaction: another intake may have just finished.
        if overlapping(&txn, &m.personal_id, &project.project_id, entry_date).await? {
            return Err(AppError::Conflict(format!(
                "{} already has an enrollment in this project that is open or ends after this date.",
                m.name()
            )));
        }
        let enrollment_id = new_id();
        let relationship =
            text(household, &format!("rel_{}", m.personal_id)).and_then(|r| r.parse::<i32>().ok());
        let mut row = enrollment::ActiveModel {
            enrollment_id: Set(enrollment_id.clone()),
            personal_id: Set(m.personal_id.clone()),
            project_id: Set(project.project_id.clone()),
            entry_date: Set(entry_date),
            household_id: Set(household_id.clone()),
            relationship_to_hoh: Set(relationship),
            enrollment_coc: Set(if relationship == Some(1) {
                enrollment_coc.clone()
            } else {
                None
            }),
            date_of_engagement: Set(enrollment_answers.date_of_engagement),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(user.clone()),
            date_deleted: Set(None),
            ..Default::default()
        };
        for (column, value) in &entry.enrollment {
            let column = enrollment::Column::from_str(column).map_err(|_| AppError::Internal)?;
            row.set(column, value.clone());
        }
        row.insert(&txn).await?;

        assessment::insert(
            &txn,
            &assessment::Recorded {
                enrollment_id: &enrollment_id,
                personal_id: &m.personal_id,
                stage: 1,
                information_date: entry_date,
                user_id: &session.user_id,
                now,
            },
            &entry.stage,
        )
        .await?;
        if enrollment_answers.assign_to_me {
            case_assignment::ActiveModel {
                case_assignment_id: Set(new_id()),
                personal_id: Set(m.personal_id.clone()),
                enrollment_id: Set(Some(enrollment_id.clone())),
                user_id: Set(session.user_id.clone()),
                organization_id: Set(project.organization_id.clone()),
                start_date: Set(entry_date),
                end_date: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(user.clone()),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            now,
            &session.actor(),
            Event::new("enrollment.create")
                .on("enrollment", &enrollment_id)
                .client(&m.personal_id)
                .detail(format!(
                    "household {household_id}, project {}",
                    project.project_id
                )),
        )
        .await?;
    }
    if let Some((personal_id, values)) = outreach {
        crate::features::profile::insert_record(
            &txn,
            crate::features::profile::api::ProfileKind::OutreachInformation,
            &personal_id,
            &project.organization_id,
            values,
            &session.user_id,
            now,
        )
        .await?;
    }
    let detail = format!("intake: {} enrolled in household {household_id}", entries.len());
    service::close(&txn, session, draft, &head_id, detail, now).await?;
    txn.commit().await?;
    Ok(crate::routes::client(&head_id))
}
