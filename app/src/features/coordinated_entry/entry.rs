//! The priority list entry a CE assessment keeps (`ce_priority`): written in the assessment's transaction from the latest assessment, and rebuilt for every enrollment after an import or demo data.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Value};

use super::service::*;
use crate::db::entities::ce_priority;
use crate::db::statement;
use crate::domain::ce::{self, ChronicFacts, HouseholdType};
use crate::domain::codes::{DestinationGroup, PRIOR_LIVING_SITUATION, PROJECT_TYPE, ProjectType};
use crate::domain::dates::age_on;
use crate::error::AppError;

/// Writes (or removes) the priority list entry of a head of household's CE enrollment
/// from its latest assessment and the household as recorded now.
pub async fn refresh_entry(
    db: &impl ConnectionTrait,
    enrollment_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let latest = db
        .query_one_raw(statement(
            backend,
            "SELECT a.assessment_id, a.assessment_date, a.prioritization_status, \
             (SELECT r.assessment_result FROM assessment_results r WHERE r.assessment_id = a.assessment_id \
              AND r.assessment_result_type = ? AND r.date_deleted IS NULL) AS score, \
             (SELECT r.assessment_result FROM assessment_results r WHERE r.assessment_id = a.assessment_id \
              AND r.assessment_result_type = ? AND r.date_deleted IS NULL) AS sought \
             FROM assessments a WHERE a.enrollment_id = ? AND a.date_deleted IS NULL \
             ORDER BY a.assessment_date DESC, a.created_at DESC, a.assessment_id DESC",
            vec![SCORE_RESULT.into(), SOUGHT_RESULT.into(), enrollment_id.into()],
        ))
        .await?;
    ce_priority::Entity::delete_by_id(enrollment_id.to_string())
        .exec(db)
        .await?;
    let Some(latest) = latest else {
        return Ok(());
    };
    let head = db
        .query_one_raw(statement(
            backend,
            "SELECT e.household_id, e.personal_id, e.living_situation, e.date_to_street_essh, \
             e.times_homeless_past_three_years, e.months_homeless_past_three_years, e.disabling_condition, \
             c.dob, c.veteran_status, (e.exit_date IS NULL AND e.date_deleted IS NULL) AS enrollment_open \
             FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id WHERE e.enrollment_id = ?",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let assessed: NaiveDate = latest.try_get("", "assessment_date")?;
    let household_id: String = head.try_get("", "household_id")?;
    let members = db
        .query_all_raw(statement(
            backend,
            "SELECT c.dob FROM enrollments m JOIN clients c ON c.personal_id = m.personal_id \
             WHERE m.household_id = ? AND m.date_deleted IS NULL AND m.exit_date IS NULL",
            vec![household_id.clone().into()],
        ))
        .await?;
    let mut ages = Vec::with_capacity(members.len());
    for m in members {
        let dob: Option<NaiveDate> = m.try_get("", "dob")?;
        ages.push(dob.and_then(|d| age_on(d, assessed)));
    }
    let living: Option<i32> = head.try_get("", "living_situation")?;
    let homeless_since: Option<NaiveDate> = head.try_get("", "date_to_street_essh")?;
    let disabling: Option<i32> = head.try_get("", "disabling_condition")?;
    let veteran: i32 = head.try_get("", "veteran_status")?;
    let chronic = ce::is_chronic(ChronicFacts {
        disabling_condition: disabling == Some(1),
        literally_homeless: living
            .and_then(|l| DestinationGroup::of(&PRIOR_LIVING_SITUATION, l))
            .is_some_and(|g| g == DestinationGroup::Homeless),
        homeless_since,
        times_homeless: head.try_get("", "times_homeless_past_three_years")?,
        months_homeless: head.try_get("", "months_homeless_past_three_years")?,
        on: assessed,
    });
    let status: i32 = latest.try_get("", "prioritization_status")?;
    let score: Option<String> = latest.try_get("", "score")?;
    let sought: Option<String> = latest.try_get("", "sought")?;
    ce_priority::ActiveModel {
        enrollment_id: Set(enrollment_id.to_string()),
        household_id: Set(household_id),
        personal_id: Set(head.try_get("", "personal_id")?),
        assessment_id: Set(latest.try_get("", "assessment_id")?),
        assessment_date: Set(assessed),
        score: Set(score.and_then(|s| s.trim().parse().ok()).unwrap_or(0)),
        placed: Set(status == 1),
        homeless_since: Set(homeless_since),
        household_type: Set(HouseholdType::of(&ages).code()),
        chronic: Set(chronic),
        veteran: Set(veteran == 1),
        head_dob: Set(head.try_get("", "dob")?),
        project_type_sought: Set(sought.and_then(|label| {
            PROJECT_TYPE
                .values
                .iter()
                .find(|c| c.label == label)
                .map(|c| c.code)
        })),
        updated_at: Set(now),
        enrollment_open: Set(head.try_get("", "enrollment_open")?),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Rebuilds every priority list entry from the CE assessments recorded (after an HMIS
/// CSV import or demo data, which write assessments without the list), inside the
/// caller's transaction. Returns how many enrollments it looked at.
pub async fn rebuild_list(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT DISTINCT a.enrollment_id FROM assessments a \
             JOIN enrollments e ON e.enrollment_id = a.enrollment_id \
             JOIN projects p ON p.project_id = e.project_id \
             WHERE a.date_deleted IS NULL AND e.date_deleted IS NULL AND e.relationship_to_hoh = 1 \
             AND p.project_type = ?",
            vec![Value::from(ProjectType::CoordinatedEntry.code())],
        ))
        .await?;
    let now = chrono::Utc::now();
    let mut n = 0;
    for row in rows {
        let id: String = row.try_get("", "enrollment_id")?;
        refresh_entry(db, &id, now).await?;
        n += 1;
    }
    Ok(n)
}
