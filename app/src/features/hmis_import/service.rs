//! Import jobs on the database: queueing one for an uploaded file, listing them, and
//! each job's report — its findings, stored one row each when the job ends
//! (`import_findings`), read a page at a time or all at once for the CSV download.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::api::{
    FindingAction, FindingKind, ImportFinding, ImportJob, ImportReportPage, ImportResult, JobState,
    REPORT_PAGE_SIZE, ReportFilter,
};
use crate::db::audit::{self, Event};
use crate::db::entities::{import_finding, job_run, user};
use crate::domain::access::Workgroup;
use crate::error::AppError;
use crate::jobs;
use crate::report::non_empty;
use crate::session::CurrentSession;
use crate::state::AppState;

/// Imports listed on the page.
const RECENT: u64 = 10;
/// Import steps the progress bar counts: check the files, import them.
pub const STEPS: i32 = 2;

/// What an import job was given (kept as JSON in `job_runs.params`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ImportParams {
    pub file_name: String,
}

pub async fn recent(state: &AppState, admin: &CurrentSession) -> Result<Vec<ImportJob>, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    let rows = jobs::recent(&state.db, jobs::JobKind::HmisImport, RECENT).await?;
    Ok(rows
        .into_iter()
        .map(|(row, started_by)| import_job(state, row, started_by))
        .collect())
}

/// An import job's row as the pages show it.
fn import_job(state: &AppState, row: job_run::Model, started_by: Option<String>) -> ImportJob {
    let params: ImportParams = row
        .params
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    let job_state = JobState::from_status(&row.status);
    // A running import's progress is in this process's memory (its row waits for the
    // import's transaction on SQLite).
    let live = job_state
        .busy()
        .then(|| state.jobs.live.get(&row.job_run_id))
        .flatten();
    let (progress, total, message) = match live {
        Some(live) => (live.progress, live.total, Some(live.message)),
        None => (row.progress, row.total.unwrap_or(STEPS), row.message),
    };
    ImportJob {
        state: job_state,
        started: state.stamp(row.started_at),
        started_by,
        file_name: params.file_name,
        progress,
        total,
        message,
        result: row
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default(),
        job_run_id: row.job_run_id,
    }
}

/// Refuses unless this session may import (HMIS admins).
pub fn may_import(admin: &CurrentSession) -> Result<(), AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin]).map(|_| ())
}

/// Queues the import of a file already saved at `state.jobs.import_path(id)`.
pub async fn queue(
    state: &AppState,
    admin: &CurrentSession,
    id: &str,
    file_name: &str,
) -> Result<(), AppError> {
    may_import(admin)?;
    let params = serde_json::to_string(&ImportParams {
        file_name: file_name.to_string(),
    })
    .map_err(|e| {
        tracing::error!(error = %e, "import parameters could not be encoded");
        AppError::Internal
    })?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    jobs::NewJob {
        id: id.to_string(),
        kind: jobs::JobKind::HmisImport,
        status: jobs::JobState::Queued,
        at: now,
        total: Some(STEPS),
        message: "Waiting to start",
        created_by: Some(admin.user_id.clone()),
        params,
    }
    .row()
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("hmis_import_started").on("job_run", id),
    )
    .await?;
    txn.commit().await?;
    state.jobs.wake.notify_one();
    Ok(())
}

/// Stores what an import found.
pub fn result_json(result: &ImportResult) -> Option<String> {
    serde_json::to_string(result).ok()
}

// ---------------------------------------------------------------------------
// The import report

/// Findings per `INSERT`: 9 values each, under 30,000 bound values per statement
/// (SQLite takes 32,766, PostgreSQL 65,535).
const FINDINGS_PER_INSERT: usize = 3_000;
/// The longest value a finding keeps, in characters (a 10,000-character cell that is
/// "too long" shows its start, then "…").
const VALUE_CHARS: usize = 1_000;
/// The longest file and column names the table holds.
const FILE_CHARS: usize = 40;
const COLUMN_CHARS: usize = 64;

/// Stores the findings of import job `job_run_id` as its report, numbered 0, 1, … in
/// the order given, replacing any it had (a job run again reports afresh). One write
/// transaction (a savepoint inside the caller's, when `db` is a transaction); a few
/// thousand findings per `INSERT`. The caller decides how many to keep.
///
/// Values are stored so that every database takes them: NUL (which PostgreSQL refuses)
/// shows as ␀, a value is cut to [`VALUE_CHARS`], file and column names to their
/// columns.
pub async fn store_findings<C>(db: &C, job_run_id: &str, findings: &[ImportFinding]) -> Result<(), AppError>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = crate::db::begin_write(db).await?;
    import_finding::Entity::delete_many()
        .filter(import_finding::Column::JobRunId.eq(job_run_id))
        .exec(&txn)
        .await?;
    for (n, chunk) in findings.chunks(FINDINGS_PER_INSERT).enumerate() {
        let first = n * FINDINGS_PER_INSERT;
        let rows = chunk
            .iter()
            .enumerate()
            .map(|(i, finding)| finding_row(job_run_id, first + i, finding))
            .collect();
        crate::db::insert_all(&txn, rows).await?;
    }
    txn.commit().await?;
    Ok(())
}

fn finding_row(job_run_id: &str, seq: usize, f: &ImportFinding) -> import_finding::ActiveModel {
    import_finding::ActiveModel {
        job_run_id: Set(job_run_id.to_string()),
        seq: Set(i64::try_from(seq).unwrap_or(i64::MAX)),
        file: Set(storable(&f.file, FILE_CHARS)),
        line: Set(i64::try_from(f.line).unwrap_or(i64::MAX)),
        column_name: Set(f.column.as_deref().map(|c| storable(c, COLUMN_CHARS))),
        value: Set(f.value.as_deref().map(|v| storable(v, VALUE_CHARS))),
        kind: Set(f.kind.as_str().to_string()),
        action: Set(f.action.as_str().to_string()),
        message: Set(storable(&f.message, usize::MAX)),
    }
}

/// `text` as every database stores it: NUL shown as ␀, at most `max` characters (the
/// last one "…" when cut).
fn storable(text: &str, max: usize) -> String {
    let shown = text.chars().map(|c| if c == '\0' { '\u{2400}' } else { c });
    if text.chars().count() <= max {
        return shown.collect();
    }
    let mut cut: String = shown.take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The report's filter, checked: (file, kind), each `None` for "any".
fn checked_filter(filter: &ReportFilter) -> Result<(Option<&str>, Option<FindingKind>), AppError> {
    let file = non_empty(&filter.file);
    if file.is_some_and(|f| f.chars().count() > FILE_CHARS) {
        return Err(AppError::field(
            "file",
            format!("A file name is at most {FILE_CHARS} characters: choose a file from the list."),
        ));
    }
    let kind = match non_empty(&filter.kind) {
        None => None,
        Some(k) => Some(FindingKind::parse(k).ok_or_else(|| {
            AppError::field(
                "kind",
                "There is no such kind of problem: choose one from the list.",
            )
        })?),
    };
    Ok((file, kind))
}

/// The report's query string, for the audit log (file and kind names, never values).
fn filter_detail(file: Option<&str>, kind: Option<FindingKind>) -> String {
    ReportFilter {
        file: file.map(str::to_string),
        kind: kind.map(|k| k.as_str().to_string()),
    }
    .query()
}

/// The import job `job_run_id`: `NotFound` unless it exists and is an import.
async fn import_job_by_id(state: &AppState, job_run_id: &str) -> Result<ImportJob, AppError> {
    let row = job_run::Entity::find_by_id(job_run_id.to_string())
        .one(&state.db)
        .await?
        .filter(|r| r.kind == jobs::JobKind::HmisImport.code())
        .ok_or(AppError::NotFound)?;
    let started_by = match row.created_by.as_deref() {
        Some(id) => user::Entity::find_by_id(id.to_string())
            .one(&state.db)
            .await?
            .map(|u| u.username),
        None => None,
    };
    Ok(import_job(state, row, started_by))
}

/// The job's findings, filtered, in report order.
fn findings_query(
    job_run_id: &str,
    file: Option<&str>,
    kind: Option<FindingKind>,
) -> sea_orm::Select<import_finding::Entity> {
    let mut query = import_finding::Entity::find().filter(import_finding::Column::JobRunId.eq(job_run_id));
    if let Some(file) = file {
        query = query.filter(import_finding::Column::File.eq(file));
    }
    if let Some(kind) = kind {
        query = query.filter(import_finding::Column::Kind.eq(kind.as_str()));
    }
    query.order_by_asc(import_finding::Column::Seq)
}

/// A stored finding as the report shows it (`None`, logged, for a kind or action this
/// version of Hearth does not know).
fn finding(row: import_finding::Model) -> Option<ImportFinding> {
    let (Some(kind), Some(action)) = (FindingKind::parse(&row.kind), FindingAction::parse(&row.action))
    else {
        tracing::warn!(job_run_id = %row.job_run_id, seq = row.seq, "an import finding of an unknown kind or action");
        return None;
    };
    Some(ImportFinding {
        file: row.file,
        line: u64::try_from(row.line).unwrap_or_default(),
        column: row.column_name,
        value: row.value,
        kind,
        action,
        message: row.message,
    })
}

/// One page of an import's report, filtered by file and kind, with the files and kinds
/// it has (the filter's choices). HMIS admins; an audited view.
pub async fn report_page(
    state: &AppState,
    admin: &CurrentSession,
    job_run_id: &str,
    filter: &ReportFilter,
    page: usize,
) -> Result<ImportReportPage, AppError> {
    may_import(admin)?;
    let (file, kind) = checked_filter(filter)?;
    let job = import_job_by_id(state, job_run_id).await?;
    // Kept findings per (file, kind), one pass over the job's index entries: the
    // filter's choices and how many match.
    let groups: Vec<(String, String, i64)> = import_finding::Entity::find()
        .select_only()
        .column(import_finding::Column::File)
        .column(import_finding::Column::Kind)
        .column_as(Expr::col(import_finding::Column::Seq).count(), "n")
        .filter(import_finding::Column::JobRunId.eq(job_run_id))
        .group_by(import_finding::Column::File)
        .group_by(import_finding::Column::Kind)
        .into_tuple()
        .all(&state.db)
        .await?;
    let matching: u64 = groups
        .iter()
        .filter(|(f, k, _)| file.is_none_or(|file| file == f) && kind.is_none_or(|kind| kind.as_str() == k))
        .map(|(_, _, n)| u64::try_from(*n).unwrap_or_default())
        .sum();
    let mut files: Vec<String> = groups.iter().map(|(f, _, _)| f.clone()).collect();
    files.sort();
    files.dedup();
    let mut kinds: Vec<FindingKind> = groups
        .iter()
        .filter_map(|(_, k, _)| FindingKind::parse(k))
        .collect();
    kinds.sort();
    kinds.dedup();
    let offset = page.saturating_mul(REPORT_PAGE_SIZE);
    let mut rows: Vec<ImportFinding> = if (offset as u64) < matching {
        findings_query(job_run_id, file, kind)
            .offset(offset as u64)
            .limit((REPORT_PAGE_SIZE + 1) as u64)
            .all(&state.db)
            .await?
            .into_iter()
            .filter_map(finding)
            .collect()
    } else {
        Vec::new()
    };
    let has_more = rows.len() > REPORT_PAGE_SIZE;
    rows.truncate(REPORT_PAGE_SIZE);
    audit::record_view(
        state,
        state.now(),
        &admin.actor(),
        Event::new("hmis_import.report_view")
            .on("job_run", job_run_id)
            .detail(format!(
                "{} page {} ({} of {matching} findings)",
                filter_detail(file, kind),
                page.saturating_add(1),
                rows.len()
            )),
    )
    .await?;
    Ok(ImportReportPage {
        job,
        rows,
        page,
        has_more,
        matching,
        files,
        kinds,
    })
}

/// Every kept finding of an import's report that the filter matches, in report order,
/// for the CSV download. HMIS admins; audited.
pub async fn report_rows(
    state: &AppState,
    admin: &CurrentSession,
    job_run_id: &str,
    filter: &ReportFilter,
) -> Result<Vec<ImportFinding>, AppError> {
    may_import(admin)?;
    let (file, kind) = checked_filter(filter)?;
    import_job_by_id(state, job_run_id).await?;
    let rows: Vec<ImportFinding> = findings_query(job_run_id, file, kind)
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(finding)
        .collect();
    audit::record_view(
        state,
        state.now(),
        &admin.actor(),
        Event::new("hmis_import.report_download")
            .on("job_run", job_run_id)
            .detail(format!("{} ({} findings)", filter_detail(file, kind), rows.len())),
    )
    .await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stored_as_every_database_takes_them() {
        assert_eq!(storable("plain", 10), "plain");
        assert_eq!(storable("a\0b", 10), "a\u{2400}b");
        assert_eq!(storable("abcdef", 4), "abc…");
        assert_eq!(storable("ñññ", 3), "ñññ");
    }

    #[test]
    fn the_filter_takes_known_kinds_and_short_file_names() {
        let filter = |file: &str, kind: &str| ReportFilter {
            file: Some(file.into()),
            kind: Some(kind.into()),
        };
        assert_eq!(checked_filter(&filter("", " ")).unwrap(), (None, None));
        assert_eq!(
            checked_filter(&filter("Client.csv", "not_a_date")).unwrap(),
            (Some("Client.csv"), Some(FindingKind::NotADate))
        );
        let err = checked_filter(&filter("Client.csv", "bogus")).unwrap_err();
        assert!(err.message_for("kind").is_some(), "{err:?}");
        let err = checked_filter(&filter(&"x".repeat(41), "")).unwrap_err();
        assert!(err.message_for("file").is_some(), "{err:?}");
    }
}
