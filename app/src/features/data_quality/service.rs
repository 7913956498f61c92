//! The data-quality report on the database. The universe is every enrollment of the
//! projects in scope active in the period (started by its end, not exited before its
//! start). Completeness, timeliness and most integrity checks are conditions on one
//! row of facts per enrollment, so the whole table is one pass (`COUNT(*) FILTER (WHERE
//! …)` per count: a third faster on SQLite than `SUM(CASE …)`), and a count's records
//! are the same condition with a page's `LIMIT`. Missing annuals and households past
//! their auto-exit age follow rules in Rust (`domain::annual`, the auto-exit sweep's
//! reads).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use sea_orm::ConnectionTrait;

use super::api::{DqFilter, DqRecord, DqRecordsPage, DqReport};
use super::kept;
use super::sql::{Condition, Dialect, SOURCE, Source, conditions, universe};
use crate::db::{begin_read, statement};
use crate::domain::auto_exit::{Standing, due_cutoff};
use crate::domain::data_quality::{
    CHILD_HEAD, EXIT_BEFORE_ENTRY, HEAD_EXITED_FIRST, HEADS_NOT_ONE, INTEGRITY, MISSING_ANNUAL, OVERLAPPING,
    PAST_AUTO_EXIT, title_of,
};
use crate::error::{AppError, FieldError};
use crate::features::auto_exit::{inactive_among as among, inactivity_projects as auto_exit_projects};
use crate::report::{Scope, audit_view, filter_choices, names_of, non_empty, projects_in_scope};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::format::format_date;

use super::computed::*;

/// Records per page.
pub const PAGE_SIZE: usize = 50;

/// What the report covers, checked.
pub struct Period {
    pub projects: Vec<(String, String)>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// The projects are a quarter of all or more: reading every kept fact is faster
    /// than reading them through the index by project.
    pub wide: bool,
}

/// The projects and the period of a filter (the year to today when no dates).
pub async fn period(
    state: &AppState,
    session: &CurrentSession,
    filter: &DqFilter,
) -> Result<Period, AppError> {
    session.require_workgroup(super::REVIEWERS)?;
    let today = state.today();
    let to = FieldError::date("to", filter.to.as_deref())?.unwrap_or(today);
    let from = match FieldError::date("from", filter.from.as_deref())? {
        Some(from) => from,
        None => to - Duration::days(364),
    };
    if from > to {
        return Err(AppError::field(
            "from",
            "The first day must not be after the last day.",
        ));
    }
    let projects = projects_in_scope(
        state,
        session,
        Scope {
            organization_id: non_empty(&filter.organization_id),
            project_id: non_empty(&filter.project_id),
            funder: None,
        },
    )
    .await?;
    let all: i64 = state
        .db
        .query_one_raw(statement(
            state.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM projects",
            vec![],
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(Period {
        wide: i64::try_from(projects.len())
            .unwrap_or(i64::MAX)
            .saturating_mul(4)
            >= all,
        projects,
        from,
        to,
        today,
    })
}

/// Every count of the report.
pub async fn counts(state: &AppState, period: &Period) -> Result<BTreeMap<String, usize>, AppError> {
    let mut counts = BTreeMap::new();
    if period.projects.is_empty() {
        return Ok(counts);
    }
    let d = Dialect::of(state);
    let conditions = conditions(period);
    let mut sums: Vec<String> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| format!("COUNT(*) FILTER (WHERE {}) AS k{i}", c.when))
        .collect();
    let txn = begin_read(&state.db).await?;
    let stale = kept::stale(&txn).await?;
    let source = Source::of(stale.as_deref());
    if source.kept().is_some() {
        // Missed annuals of the kept facts, in the same pass.
        sums.push(format!(
            "COUNT(*) FILTER (WHERE {}) AS missed",
            missed_kept(period)
        ));
    }
    let mut missed_kept_count = 0;
    let (cte, values) = universe(&d, period, None, source);
    let sql = format!("{cte}SELECT COUNT(*) AS enrollments, {}{SOURCE}", sums.join(", "));
    if let Some(row) = txn
        .query_one_raw(statement(txn.get_database_backend(), &sql, values))
        .await?
    {
        let n: i64 = row.try_get("", "enrollments")?;
        counts.insert("enrollments".to_string(), usize::try_from(n).unwrap_or(0));
        for (i, c) in conditions.iter().enumerate() {
            let n: Option<i64> = row.try_get("", &format!("k{i}"))?;
            counts.insert(c.code.clone(), usize::try_from(n.unwrap_or(0)).unwrap_or(0));
        }
        if source.kept().is_some() {
            let n: Option<i64> = row.try_get("", "missed")?;
            missed_kept_count = usize::try_from(n.unwrap_or(0)).unwrap_or(0);
        }
    }
    for code in COMPUTED {
        let n = if code == MISSING_ANNUAL
            && let Some(stale) = source.kept()
        {
            missed_kept_count
                + missed_from_rows(&txn, &d, period, None, Source::Marked(stale))
                    .await?
                    .len()
        } else {
            computed(state, &txn, &d, source, period, code, Some(0)).await?.0
        };
        counts.insert(code.to_string(), n);
    }
    txn.commit().await?;
    Ok(counts)
}

/// Integrity errors per enrollment among `enrollments` ((enrollment ID, household ID):
/// a caseload's open enrollments) in an organization's projects, over the report's
/// default period — the caseload dashboard's count. Read for these enrollments only: the
/// checks that are conditions as columns of one query per chunk, missing annuals for the
/// chunk, and households past their auto-exit age among theirs.
pub async fn integrity_errors(
    state: &AppState,
    session: &CurrentSession,
    organization_id: &str,
    enrollments: &[(String, String)],
) -> Result<HashMap<String, usize>, AppError> {
    let filter = DqFilter {
        organization_id: Some(organization_id.to_string()),
        ..Default::default()
    };
    let period = period(state, session, &filter).await?;
    let mut out: HashMap<String, usize> = HashMap::new();
    if period.projects.is_empty() || enrollments.is_empty() {
        return Ok(out);
    }
    let db = &state.db;
    let d = Dialect::of(state);
    let checks: Vec<Condition> = conditions(&period)
        .into_iter()
        .filter(|c| INTEGRITY.iter().any(|i| i.code == c.code))
        .collect();
    let errors = checks
        .iter()
        .map(|c| format!("CASE WHEN {} THEN 1 ELSE 0 END", c.when))
        .collect::<Vec<_>>()
        .join(" + ");
    let ids: Vec<String> = enrollments.iter().map(|(e, _)| e.clone()).collect();
    let txn = begin_read(db).await?;
    let stale = kept::stale(&txn).await?;
    let source = Source::of(stale.as_deref());
    let backend = txn.get_database_backend();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let (cte, values) = universe(&d, &period, Some(chunk), source);
        let sql = format!("{cte}SELECT u.enrollment_id, CAST({errors} AS BIGINT) AS n{SOURCE}");
        for row in txn.query_all_raw(statement(backend, &sql, values)).await? {
            let n: i64 = row.try_get("", "n")?;
            if n > 0 {
                *out.entry(row.try_get("", "enrollment_id")?).or_default() += usize::try_from(n).unwrap_or(0);
            }
        }
        for raw in missing_annuals(&txn, &d, &period, Some(chunk), source, None)
            .await?
            .1
        {
            *out.entry(raw.enrollment_id).or_default() += 1;
        }
    }
    txn.commit().await?;
    // Past the auto-exit age: every open member of a due household (as `past_auto_exit`).
    let households: Vec<&str> = {
        let mut h: Vec<&str> = enrollments.iter().map(|(_, h)| h.as_str()).collect();
        h.sort_unstable();
        h.dedup();
        h
    };
    let wanted: HashSet<&str> = enrollments.iter().map(|(e, _)| e.as_str()).collect();
    let project_ids: Vec<String> = period.projects.iter().map(|(id, _)| id.clone()).collect();
    for project in auto_exit_projects(db, &project_ids).await? {
        let cutoff = due_cutoff(period.today, project.setting.exit_days);
        for household in among(db, &project, cutoff, &households, period.today, Standing::Due).await? {
            for m in household.members {
                if wanted.contains(m.enrollment_id.as_str()) {
                    *out.entry(m.enrollment_id).or_default() += 1;
                }
            }
        }
    }
    Ok(out)
}

/// The report page (an audited list view).
pub async fn report(
    state: &AppState,
    session: &CurrentSession,
    filter: &DqFilter,
) -> Result<DqReport, AppError> {
    let period = period(state, session, filter).await?;
    let mut counts = counts(state, &period).await?;
    let enrollments = counts.remove("enrollments").unwrap_or(0);
    audit_view(state, session, "data_quality.view", &filter.query(), enrollments).await?;
    let (organizations, projects) =
        filter_choices(state, session, non_empty(&filter.organization_id)).await?;
    Ok(DqReport {
        from: period.from,
        to: period.to,
        enrollments,
        counts,
        organizations,
        projects,
    })
}

/// The records of one count: `limit` None for all of them (the CSV).
async fn raw_records(
    state: &AppState,
    period: &Period,
    code: &str,
    page: Option<usize>,
) -> Result<(usize, Vec<Raw>), AppError> {
    if period.projects.is_empty() {
        return Ok((0, Vec::new()));
    }
    let d = Dialect::of(state);
    let txn = begin_read(&state.db).await?;
    let stale = kept::stale(&txn).await?;
    let source = Source::of(stale.as_deref());
    let read = records_in_snapshot(state, &txn, &d, source, period, code, page).await;
    txn.commit().await?;
    read
}

async fn records_in_snapshot(
    state: &AppState,
    db: &impl ConnectionTrait,
    d: &Dialect,
    source: Source<'_>,
    period: &Period,
    code: &str,
    page: Option<usize>,
) -> Result<(usize, Vec<Raw>), AppError> {
    if COMPUTED.contains(&code) {
        let upto = page.map(|p| (p + 1) * PAGE_SIZE);
        let (total, all) = computed(state, db, d, source, period, code, upto).await?;
        let rows = match page {
            Some(p) => all.into_iter().skip(p * PAGE_SIZE).take(PAGE_SIZE).collect(),
            None => all,
        };
        return Ok((total, rows));
    }
    let backend = db.get_database_backend();
    let condition = conditions(period)
        .into_iter()
        .find(|c| c.code == code)
        .ok_or_else(|| AppError::field("check", "Choose a count of the report."))?;
    let (cte, values) = universe(d, period, None, source);
    let total: i64 = db
        .query_one_raw(statement(
            backend,
            &format!("{cte}SELECT COUNT(*) AS n{SOURCE} WHERE {}", condition.when),
            values.clone(),
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let limit = match page {
        Some(p) => format!(" LIMIT {PAGE_SIZE} OFFSET {}", p * PAGE_SIZE),
        None => String::new(),
    };
    let sql = format!(
        "{cte}SELECT u.enrollment_id, u.personal_id, u.project_id, u.entry_date, u.exit_date, \
         {} AS note_num, {} AS note_date{SOURCE} WHERE {} ORDER BY u.entry_date, u.enrollment_id{limit}",
        condition.note_num.as_deref().unwrap_or("NULL"),
        condition.note_date.as_deref().unwrap_or("NULL"),
        condition.when
    );
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Raw {
            enrollment_id: row.try_get("", "enrollment_id")?,
            personal_id: row.try_get("", "personal_id")?,
            project_id: row.try_get("", "project_id")?,
            entry_date: row.try_get("", "entry_date")?,
            exit_date: row.try_get("", "exit_date")?,
            note_num: note_num(&row)?,
            note_date: row.try_get("", "note_date").ok().flatten(),
        })
    }
    Ok((usize::try_from(total).unwrap_or(0), out))
}

/// A note number as either database returns it (an integer or, from SQLite's
/// arithmetic, sometimes a float).
fn note_num(row: &sea_orm::QueryResult) -> Result<Option<i64>, AppError> {
    if let Ok(n) = row.try_get::<Option<i64>>("", "note_num") {
        return Ok(n);
    }
    if let Ok(n) = row.try_get::<Option<i32>>("", "note_num") {
        return Ok(n.map(i64::from));
    }
    Ok(row.try_get::<Option<f64>>("", "note_num")?.map(|f| f as i64))
}

/// What is wrong with a record, in words.
fn detail(code: &str, raw: &Raw) -> String {
    let date = raw.note_date.map(format_date).unwrap_or_default();
    let num = raw.note_num.unwrap_or(0);
    match code {
        EXIT_BEFORE_ENTRY => format!("Exit date {date} is before the start"),
        OVERLAPPING => format!("Another enrollment in the project started {date}"),
        HEADS_NOT_ONE => format!("{num} heads of household in the household"),
        HEAD_EXITED_FIRST => format!("The head of household exited {date}"),
        MISSING_ANNUAL => format!("{num} window(s) missed; the latest closed {date}"),
        PAST_AUTO_EXIT => format!("Last service or contact {date}; the project exits after {num} days"),
        CHILD_HEAD => format!("Born {date}"),
        c if c.starts_with("start_lag_") || c.starts_with("exit_lag_") => {
            format!("Entered {num} day(s) later")
        }
        _ => String::new(),
    }
}

async fn named(
    state: &AppState,
    period: &Period,
    code: &str,
    raws: Vec<Raw>,
) -> Result<Vec<DqRecord>, AppError> {
    let names = names_of(&state.db, raws.iter().map(|r| r.personal_id.as_str()).collect()).await?;
    let projects: HashMap<&str, &str> = period
        .projects
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    Ok(raws
        .into_iter()
        .map(|raw| DqRecord {
            detail: detail(code, &raw),
            name: names.get(&raw.personal_id).cloned().unwrap_or_default(),
            project_name: projects
                .get(raw.project_id.as_str())
                .map(|p| p.to_string())
                .unwrap_or_default(),
            personal_id: raw.personal_id,
            enrollment_id: raw.enrollment_id,
            entry_date: raw.entry_date,
            exit_date: raw.exit_date,
        })
        .collect())
}

fn title(code: &str) -> Result<String, AppError> {
    title_of(code).ok_or_else(|| AppError::field("check", "Choose a count of the report."))
}

/// One page of a count's records (an audited list view).
pub async fn records_page(
    state: &AppState,
    session: &CurrentSession,
    filter: &DqFilter,
    code: &str,
    page: usize,
) -> Result<DqRecordsPage, AppError> {
    let title = title(code)?;
    let period = period(state, session, filter).await?;
    let (total, raws) = raw_records(state, &period, code, Some(page)).await?;
    let rows = named(state, &period, code, raws).await?;
    audit_view(
        state,
        session,
        "data_quality.records",
        &format!("{}&check={code}", filter.query()),
        total,
    )
    .await?;
    Ok(DqRecordsPage {
        title,
        from: period.from,
        to: period.to,
        rows,
        total,
        page,
        has_more: (page + 1) * PAGE_SIZE < total,
    })
}

/// The CSV download: a count's records, or every count (audited).
pub async fn export(
    state: &AppState,
    session: &CurrentSession,
    filter: &DqFilter,
    code: Option<&str>,
) -> Result<Export, AppError> {
    let period = period(state, session, filter).await?;
    let export = match code {
        Some(code) => {
            let title = title(code)?;
            let (_, raws) = raw_records(state, &period, code, None).await?;
            Export::Records(title, named(state, &period, code, raws).await?)
        }
        None => {
            let counts = counts(state, &period).await?;
            Export::Counts(
                counts
                    .into_iter()
                    .filter(|(code, _)| code != "enrollments")
                    .map(|(code, n)| (title_of(&code).unwrap_or_default(), code, n))
                    .collect(),
            )
        }
    };
    let rows = match &export {
        Export::Records(_, rows) => rows.len(),
        Export::Counts(rows) => rows.len(),
    };
    audit_view(
        state,
        session,
        "data_quality.export",
        &format!("{}&check={}", filter.query(), code.unwrap_or("")),
        rows,
    )
    .await?;
    Ok(export)
}

/// What the CSV holds.
pub enum Export {
    /// (title, records)
    Records(String, Vec<DqRecord>),
    /// (title, code, count)
    Counts(Vec<(String, String, usize)>),
}
