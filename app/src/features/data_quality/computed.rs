//! The counts whose records Rust works out rather than SQL: annual assessments missed
//! (`domain::annual::missed_windows`, from the kept first unsettled window) and
//! households past their auto-exit age (the sweep's reads).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use sea_orm::ConnectionTrait;

use super::sql::{Dialect, SOURCE, Source, lit, universe};
use crate::db::statement;
use crate::domain::annual::missed_windows;
use crate::domain::auto_exit::{Standing, due_cutoff};
use crate::domain::data_quality::{MISSING_ANNUAL, PAST_AUTO_EXIT};
use crate::error::AppError;
use crate::features::auto_exit::{inactivity_projects as auto_exit_projects, next_batch};
use crate::state::AppState;

use super::service::*;

/// Codes whose records Rust works out.
pub(super) const COMPUTED: [&str; 2] = [MISSING_ANNUAL, PAST_AUTO_EXIT];

/// A record before names are read.
pub(super) struct Raw {
    pub(super) enrollment_id: String,
    pub(super) personal_id: String,
    pub(super) project_id: String,
    pub(super) entry_date: NaiveDate,
    pub(super) exit_date: Option<NaiveDate>,
    pub(super) note_num: Option<i64>,
    pub(super) note_date: Option<NaiveDate>,
}

/// The open enrollments with an annual window closed by the period's end (or today)
/// without an annual, worked out from the source rows of `source` (`Rows` or
/// `Marked`), with how many windows and the last, ordered as the records are.
/// `only`: these enrollments (a caseload's), else every one in the universe.
pub(super) async fn missed_from_rows(
    db: &impl ConnectionTrait,
    d: &Dialect,
    period: &Period,
    only: Option<&[String]>,
    source: Source<'_>,
) -> Result<Vec<Raw>, AppError> {
    if source == Source::Marked(&[]) {
        return Ok(Vec::new());
    }
    let as_of = period.to.min(period.today);
    let (cte, values) = universe(d, period, only, source);
    // A first window closes a year and 30 days after the head's start.
    let latest_start = as_of - Duration::days(395);
    let sql = format!(
        "{cte}SELECT u.enrollment_id, u.personal_id, u.project_id, u.entry_date, u.exit_date, \
         h.entry_date AS head_entry, a.information_date AS annual FROM u \
         JOIN enrollments h ON h.household_id = u.household_id AND h.relationship_to_hoh = 1 AND h.date_deleted IS NULL \
         LEFT JOIN assessment_events a ON a.enrollment_id = u.enrollment_id AND a.data_collection_stage = 5 \
         AND a.date_deleted IS NULL \
         WHERE u.exit_date IS NULL AND h.entry_date <= {}",
        lit(latest_start)
    );
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    // Each member after the head of household who started first.
    let mut by_enrollment: BTreeMap<String, (Raw, NaiveDate, Vec<NaiveDate>)> = BTreeMap::new();
    for row in rows {
        let enrollment_id: String = row.try_get("", "enrollment_id")?;
        let annual: Option<NaiveDate> = row.try_get("", "annual")?;
        let head_entry: NaiveDate = row.try_get("", "head_entry")?;
        let entry = match by_enrollment.get_mut(&enrollment_id) {
            Some(entry) => entry,
            None => {
                let raw = Raw {
                    enrollment_id: enrollment_id.clone(),
                    personal_id: row.try_get("", "personal_id")?,
                    project_id: row.try_get("", "project_id")?,
                    entry_date: row.try_get("", "entry_date")?,
                    exit_date: row.try_get("", "exit_date")?,
                    note_num: None,
                    note_date: None,
                };
                by_enrollment
                    .entry(enrollment_id)
                    .or_insert((raw, head_entry, Vec::new()))
            }
        };
        entry.1 = entry.1.min(head_entry);
        if let Some(annual) = annual
            && !entry.2.contains(&annual)
        {
            entry.2.push(annual);
        }
    }
    let mut out: Vec<Raw> = by_enrollment
        .into_values()
        .filter_map(|(mut raw, head_entry, annuals)| {
            let missed = missed_windows(head_entry, raw.entry_date, as_of, &annuals);
            let last = missed.last()?;
            raw.note_num = Some(missed.len() as i64);
            raw.note_date = Some(last.closes);
            Some(raw)
        })
        .collect();
    in_record_order(&mut out);
    Ok(out)
}

/// Records in the order of every count: by start date, then enrollment.
pub(super) fn in_record_order(raws: &mut [Raw]) {
    raws.sort_by(|a, b| (a.entry_date, &a.enrollment_id).cmp(&(b.entry_date, &b.enrollment_id)));
}

/// The kept condition "missed an annual window by the period's end (or today)".
pub(super) fn missed_kept(period: &Period) -> String {
    format!(
        "u.annual_missed < {} AND u.exit_date IS NULL",
        lit(period.to.min(period.today))
    )
}

/// How many open enrollments missed an annual window, and the records — all, or the
/// first `upto` in record order. From kept facts the first unsettled window of each
/// enrollment says whether it missed one (`annual_missed`), the records of those
/// shown are worked out from the source rows, and the marked households are worked
/// out whole.
pub(super) async fn missing_annuals(
    db: &impl ConnectionTrait,
    d: &Dialect,
    period: &Period,
    only: Option<&[String]>,
    source: Source<'_>,
    upto: Option<usize>,
) -> Result<(usize, Vec<Raw>), AppError> {
    let Some(stale) = source.kept() else {
        let mut all = missed_from_rows(db, d, period, only, source).await?;
        let total = all.len();
        all.truncate(upto.unwrap_or(total));
        return Ok((total, all));
    };
    let backend = db.get_database_backend();
    let (cte, values) = universe(d, period, only, source);
    let when = missed_kept(period);
    // Counted apart only when the records read are cut short.
    let counted = match upto {
        Some(_) => Some(
            db.query_one_raw(statement(
                backend,
                &format!("{cte}SELECT COUNT(*) AS n{SOURCE} WHERE {when}"),
                values.clone(),
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0),
        ),
        None => None,
    };
    let limit = upto.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let ids: Vec<String> = db
        .query_all_raw(statement(
            backend,
            &format!("{cte}SELECT u.enrollment_id{SOURCE} WHERE {when} ORDER BY u.entry_date, u.enrollment_id{limit}"),
            values,
        ))
        .await?
        .iter()
        .map(|r| r.try_get("", "enrollment_id"))
        .collect::<Result<_, _>>()?;
    let marked = missed_from_rows(db, d, period, only, Source::Marked(stale)).await?;
    let kept = counted.map_or(ids.len(), |n| usize::try_from(n).unwrap_or(0));
    let total = kept + marked.len();
    let mut rows = marked;
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        rows.extend(missed_from_rows(db, d, period, Some(chunk), Source::Rows).await?);
    }
    in_record_order(&mut rows);
    rows.truncate(upto.unwrap_or(total));
    Ok((total, rows))
}

/// Open enrollments of projects with an auto-exit setting whose household is past it.
pub(super) async fn past_auto_exit(state: &AppState, period: &Period) -> Result<Vec<Raw>, AppError> {
    let ids: Vec<String> = period.projects.iter().map(|(id, _)| id.clone()).collect();
    let db = &state.db;
    let today = period.today;
    let mut out = Vec::new();
    for project in auto_exit_projects(db, &ids).await? {
        let cutoff = due_cutoff(today, project.setting.exit_days);
        let mut after = None;
        while let Some(batch) = next_batch(db, &project, cutoff, after.as_ref(), today, Standing::Due).await?
        {
            for household in batch.households {
                for m in &household.members {
                    out.push(Raw {
                        enrollment_id: m.enrollment_id.clone(),
                        personal_id: m.personal_id.clone(),
                        project_id: project.id.clone(),
                        entry_date: m.activity.entry_date,
                        exit_date: None,
                        note_num: Some(i64::from(project.setting.exit_days)),
                        note_date: Some(household.last_activity),
                    });
                }
            }
            after = Some(batch.next);
        }
    }
    in_record_order(&mut out);
    Ok(out)
}

/// How many records a code Rust works out has, and the records — all, or at least
/// the first `upto`; missing annuals read in the snapshot of `db`.
pub(super) async fn computed(
    state: &AppState,
    db: &impl ConnectionTrait,
    d: &Dialect,
    source: Source<'_>,
    period: &Period,
    code: &str,
    upto: Option<usize>,
) -> Result<(usize, Vec<Raw>), AppError> {
    match code {
        MISSING_ANNUAL => missing_annuals(db, d, period, None, source, upto).await,
        _ => {
            let all = past_auto_exit(state, period).await?;
            Ok((all.len(), all))
        }
    }
}
