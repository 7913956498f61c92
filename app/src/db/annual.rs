//! What the annual-assessment rules (`domain::annual`) need from the database, read for
//! many households at once in chunks under both databases' parameter limits: the head
//! of household's start date per household and the annual assessments per enrollment.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};

use super::{marks, statement};
use crate::error::AppError;

/// The rows of `sql` (given the `?, ?, …` of a chunk) for every chunk of `ids`: large
/// caseloads stay under both databases' parameter limits.
async fn in_chunks(
    db: &impl ConnectionTrait,
    ids: Vec<Value>,
    sql: impl Fn(&str) -> String,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let query = statement(
            db.get_database_backend(),
            &sql(&marks(chunk.len())),
            chunk.to_vec(),
        );
        rows.extend(db.query_all_raw(query).await?);
    }
    Ok(rows)
}

/// The head of household's project start date per household.
pub async fn head_entry_dates<'a>(
    db: &impl ConnectionTrait,
    households: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, NaiveDate>, AppError> {
    let ids: Vec<Value> = households.map(|h| h.into()).collect();
    let mut heads = HashMap::new();
    let rows = in_chunks(db, ids, |marks| {
        format!(
            "SELECT household_id, entry_date FROM enrollments WHERE household_id IN ({marks}) \
             AND relationship_to_hoh = 1 AND date_deleted IS NULL"
        )
    })
    .await?;
    for row in rows {
        heads.insert(row.try_get("", "household_id")?, row.try_get("", "entry_date")?);
    }
    Ok(heads)
}

/// The information dates of annual assessments (stage 5) per enrollment.
pub async fn annual_dates<'a>(
    db: &impl ConnectionTrait,
    enrollments: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Vec<NaiveDate>>, AppError> {
    let ids: Vec<Value> = enrollments.map(|e| e.into()).collect();
    let mut annuals: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    let rows = in_chunks(db, ids, |marks| {
        format!(
            "SELECT enrollment_id, information_date FROM assessment_events WHERE enrollment_id IN ({marks}) \
             AND data_collection_stage = 5 AND date_deleted IS NULL"
        )
    })
    .await?;
    for row in rows {
        annuals
            .entry(row.try_get("", "enrollment_id")?)
            .or_default()
            .push(row.try_get("", "information_date")?);
    }
    Ok(annuals)
}
