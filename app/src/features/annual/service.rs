//! The Annual Assessment Tool on the server. Which households are due depends on the
//! anniversary of the head of household's start date, which SQL cannot compute the same
//! way on SQLite and PostgreSQL; so the list is read one anniversary day at a time: the
//! start dates whose anniversary is that day are worked out here
//! (`domain::annual::starts_with_anniversary_on`, Feb 29 starts included) and looked up
//! among the open heads of household (`enrollments.exit_date IS NULL`, kept by
//! triggers, indexed with the project and start date). A page reads the days its rows
//! fall on; a count stops at `COUNT_LIMIT`. For due dates the owed anniversaries kept
//! per member answer (`stored`: today and the 304 days after) the list is one index
//! range of those instead.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ConnectionTrait, Value};

use super::api::{AnnualCounts, AnnualDuePage, AnnualDueRow, AnnualFilter, COUNT_LIMIT, PAGE_SIZE};
use super::households::due_in_households_of;
use crate::db::{marks, statement};
use crate::domain::access::CASE_WORK;
use crate::domain::annual::{ANNIVERSARIES, WINDOW_DAYS, starts_with_anniversary_on, window_containing};
use crate::error::{AppError, FieldError};
use crate::report::{
    Scope, audit_view, filter_choices, funder_choices, names_of, non_empty, projects_in_scope,
};
use crate::session::CurrentSession;
use crate::state::AppState;

/// How many anniversaries back the query looks at most (enrollments open for longer
/// are rare); never further back than the oldest open head of household in scope.
const YEARS_BACK: u32 = ANNIVERSARIES;

/// The due date asked for (today when none).
fn due_date(state: &AppState, filter: &AnnualFilter) -> Result<NaiveDate, AppError> {
    let due = FieldError::date("due", filter.due.as_deref())?;
    Ok(due.unwrap_or_else(|| state.today()))
}

impl<'a> From<&'a AnnualFilter> for Scope<'a> {
    fn from(f: &'a AnnualFilter) -> Self {
        Scope {
            organization_id: non_empty(&f.organization_id),
            project_id: non_empty(&f.project_id),
            funder: non_empty(&f.funder),
        }
    }
}

/// The members due on the filter's date, most urgent first, as far as they were read.
pub struct DueList {
    pub due: NaiveDate,
    pub rows: Vec<AnnualDueRow>,
    /// Every member due was read (else only the most urgent, at least as many as asked).
    pub complete: bool,
    /// How many members are due, counted up to the count asked for (all when none was).
    pub counted: usize,
}

impl DueList {
    fn read(due: NaiveDate, rows: Vec<AnnualDueRow>, complete: bool, count_to: Option<usize>) -> Self {
        let counted = count_to.map_or(rows.len(), |limit| rows.len().min(limit));
        DueList {
            due,
            rows,
            complete,
            counted,
        }
    }
}

/// The household members whose annual is due on the filter's date, most urgent first:
/// all of them, or (with `want`) at least the `want` most urgent when there are more;
/// and how many are due, counted up to `count_to`.
///
/// Without a client or "mine" filter the list is read from the owed anniversaries kept
/// per member (`stored::due`: one index range) when they answer the due date; else one
/// anniversary at a time, the most urgent first (the window closing soonest): the heads of household whose start
/// date has its anniversary on that day (equality look-ups in
/// `ix_enrollments_project_head_open_entry`), their open members, and no annual in
/// that one window — so reading stops at the day that completes `want` (a page's rows
/// and a count up to `COUNT_LIMIT`), not the window's last. With a client or "mine"
/// filter it is read from those clients' households.
pub async fn due_list(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
    want: Option<usize>,
    count_to: Option<usize>,
) -> Result<DueList, AppError> {
    let due = due_date(state, filter)?;
    let projects = projects_in_scope(state, session, filter.into()).await?;
    let project_ids: Vec<String> = projects.iter().map(|(id, _)| id.clone()).collect();
    let person = non_empty(&filter.personal_id);
    let mine = non_empty(&filter.mine) == Some("yes");
    if project_ids.is_empty() {
        return Ok(DueList::read(due, Vec::new(), true, count_to));
    }
    if person.is_some() || mine {
        let mine = mine.then_some(session.user_id.as_str());
        let rows = due_in_households_of(state, &project_ids, due, person, mine).await?;
        return Ok(DueList::read(due, rows, true, count_to));
    }
    if let Some(kept) = super::stored::due(state, &projects, due, want, count_to).await? {
        return Ok(DueList {
            due,
            rows: kept.rows,
            complete: kept.complete,
            counted: kept.counted,
        });
    }
    // Read far enough to count too.
    let want = want.map(|w| w.max(count_to.unwrap_or(0)));
    let mut rows: Vec<AnnualDueRow> = Vec::new();
    // Start dates are looked up back to the oldest open head of household's only.
    let Some(oldest) = oldest_open_head(state, &project_ids).await? else {
        return Ok(DueList::read(due, rows, true, count_to));
    };
    // A member of a household with two heads (imported data) is listed once.
    let mut seen = HashSet::new();
    let days = -WINDOW_DAYS..=WINDOW_DAYS;
    for offset in days.clone() {
        let anniversary = due + Duration::days(offset);
        let years_back = u32::try_from(anniversary.year() - oldest.year())
            .unwrap_or(0)
            .min(YEARS_BACK);
        let day = due_on_anniversary(state, &project_ids, due, anniversary, years_back).await?;
        rows.extend(day.into_iter().filter(|r| seen.insert(r.enrollment_id.clone())));
        if want.is_some_and(|w| rows.len() >= w) && offset < *days.end() {
            return Ok(DueList::read(due, rows, false, count_to));
        }
    }
    Ok(DueList::read(due, rows, true, count_to))
}

pub(super) const DUE_COLUMNS: &str = "m.enrollment_id, m.personal_id, m.entry_date, h.entry_date AS head_entry, \
     h.personal_id AS head_id, p.project_name";

/// The open heads of household of these projects (`h`) with their project (`p`) and
/// open members who joined by the due date (`m`).
pub(super) fn households_sql(projects: usize) -> String {
    format!(
        "FROM enrollments h JOIN projects p ON p.project_id = h.project_id \
         JOIN enrollments m ON m.household_id = h.household_id AND m.date_deleted IS NULL \
         AND m.exit_date IS NULL AND m.entry_date <= ? \
         WHERE h.project_id IN ({}) AND h.relationship_to_hoh = 1 AND h.exit_date IS NULL \
         AND h.date_deleted IS NULL",
        marks(projects)
    )
}

/// A row of `DUE_COLUMNS` with the window of the due date it falls in, if any.
pub(super) fn due_row(row: &sea_orm::QueryResult, due: NaiveDate) -> Result<Option<AnnualDueRow>, AppError> {
    let head_entry: NaiveDate = row.try_get("", "head_entry")?;
    let Some(w) = window_containing(head_entry, due) else {
        return Ok(None);
    };
    Ok(Some(AnnualDueRow {
        enrollment_id: row.try_get("", "enrollment_id")?,
        personal_id: row.try_get("", "personal_id")?,
        client_name: String::new(),
        head_personal_id: row.try_get("", "head_id")?,
        head_name: String::new(),
        project_name: row.try_get("", "project_name")?,
        entry_date: row.try_get("", "entry_date")?,
        head_entry_date: head_entry,
        anniversary: w.anniversary,
        opens: w.opens,
        closes: w.closes,
        days_left: (w.closes - due).num_days(),
    }))
}

/// Most urgent first; a household's members together, its head first.
pub(super) fn by_urgency(rows: &mut [AnnualDueRow]) {
    rows.sort_by(|a, b| {
        (
            a.days_left,
            &a.project_name,
            &a.head_personal_id,
            a.personal_id != a.head_personal_id,
            &a.enrollment_id,
        )
            .cmp(&(
                b.days_left,
                &b.project_name,
                &b.head_personal_id,
                b.personal_id != b.head_personal_id,
                &b.enrollment_id,
            ))
    });
}

/// The start date of the oldest open head of household of these projects: each
/// project's first entry of `ix_enrollments_project_head_open_entry` (ordered by the
/// index's own columns: PostgreSQL would answer `MIN(entry_date)` from
/// `ix_enrollments_project_entry`, reading every exited enrollment first — 4 s at 1M).
async fn oldest_open_head(state: &AppState, project_ids: &[String]) -> Result<Option<NaiveDate>, AppError> {
    let sql = format!(
        "SELECT MIN(t.oldest) AS oldest FROM (SELECT (SELECT h.entry_date FROM enrollments h \
         WHERE h.project_id = p.project_id AND h.relationship_to_hoh = 1 AND h.exit_date IS NULL \
         AND h.date_deleted IS NULL ORDER BY h.relationship_to_hoh, h.exit_date, h.entry_date LIMIT 1) AS oldest \
         FROM projects p WHERE p.project_id IN ({})) t",
        marks(project_ids.len())
    );
    let values = project_ids.iter().map(|id| Value::from(id.clone())).collect();
    let db = &state.db;
    let row = db
        .query_one_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    Ok(row.map(|r| r.try_get("", "oldest")).transpose()?.flatten())
}

/// The members due whose household's anniversary is `anniversary` (within 30 days of
/// the due date), with no annual recorded in that window.
async fn due_on_anniversary(
    state: &AppState,
    project_ids: &[String],
    due: NaiveDate,
    anniversary: NaiveDate,
    years_back: u32,
) -> Result<Vec<AnnualDueRow>, AppError> {
    let starts = starts_with_anniversary_on(anniversary, years_back);
    if starts.is_empty() {
        return Ok(Vec::new());
    }
    let near = Duration::days(WINDOW_DAYS);
    let sql = format!(
        "SELECT {DUE_COLUMNS} {} AND h.entry_date IN ({}) \
         AND NOT EXISTS (SELECT 1 FROM assessment_events a WHERE a.enrollment_id = m.enrollment_id \
         AND a.data_collection_stage = 5 AND a.date_deleted IS NULL AND a.information_date BETWEEN ? AND ?)",
        households_sql(project_ids.len()),
        marks(starts.len())
    );
    let mut values: Vec<Value> = vec![due.into()];
    values.extend(project_ids.iter().map(|id| Value::from(id.clone())));
    values.extend(starts.into_iter().map(Value::from));
    values.push((anniversary - near).into());
    values.push((anniversary + near).into());
    let db = &state.db;
    let mut rows = Vec::new();
    for row in db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        rows.extend(due_row(&row, due)?.filter(|r| r.anniversary == anniversary));
    }
    by_urgency(&mut rows);
    Ok(rows)
}

/// Reads the client and head-of-household names of the rows (only the rows shown, so
/// a long list costs one lookup per row on the page, not per row due).
async fn fill_names(state: &AppState, rows: &mut [AnnualDueRow]) -> Result<(), AppError> {
    let ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.personal_id.as_str(), r.head_personal_id.as_str()])
        .collect();
    let names = names_of(&state.db, ids).await?;
    for row in rows {
        row.client_name = names.get(&row.personal_id).cloned().unwrap_or_default();
        row.head_name = names.get(&row.head_personal_id).cloned().unwrap_or_default();
    }
    Ok(())
}

/// One page of the tool, with the filters' choices (an audited list view).
pub async fn page(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
    page: usize,
) -> Result<AnnualDuePage, AppError> {
    let want = (page + 1) * PAGE_SIZE + 1;
    let list = due_list(state, session, filter, Some(want), Some(COUNT_LIMIT + 1)).await?;
    let (total, more) = (list.counted.min(COUNT_LIMIT), list.counted > COUNT_LIMIT);
    let has_more = list.rows.len() > (page + 1) * PAGE_SIZE;
    let mut rows: Vec<AnnualDueRow> = list
        .rows
        .into_iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    fill_names(state, &mut rows).await?;
    let counted = if more {
        format!("more than {total}")
    } else {
        total.to_string()
    };
    audit_view(state, session, "annual_tool.view", &filter.query(), &counted).await?;
    let (organizations, projects) =
        filter_choices(state, session, non_empty(&filter.organization_id)).await?;
    let funders = funder_choices();
    Ok(AnnualDuePage {
        due: list.due,
        has_more,
        rows,
        total,
        more,
        page,
        organizations,
        projects,
        funders,
    })
}

/// Every row of the filter, for the CSV download (audited).
pub async fn export(
    state: &AppState,
    session: &CurrentSession,
    filter: &AnnualFilter,
) -> Result<Vec<AnnualDueRow>, AppError> {
    let mut rows = due_list(state, session, filter, None, None).await?.rows;
    fill_names(state, &mut rows).await?;
    audit_view(state, session, "annual_tool.export", &filter.query(), rows.len()).await?;
    Ok(rows)
}

/// The home page's counts; none for users who do no case work.
pub async fn counts(state: &AppState, session: &CurrentSession) -> Result<Option<AnnualCounts>, AppError> {
    if session.require_workgroup(CASE_WORK).is_err() {
        return Ok(None);
    }
    // The acting organization's (an HMIS admin's too, as the card says).
    let organization_id = session.require_context()?.organization_id.clone();
    let all = AnnualFilter {
        organization_id: Some(organization_id.clone()),
        ..Default::default()
    };
    let organization = due_list(state, session, &all, Some(0), Some(COUNT_LIMIT + 1))
        .await?
        .counted;
    let mine = AnnualFilter {
        mine: Some("yes".into()),
        ..all
    };
    let mine = due_list(state, session, &mine, None, None).await?.counted;
    Ok(Some(AnnualCounts {
        organization_id,
        organization: organization.min(COUNT_LIMIT),
        organization_more: organization > COUNT_LIMIT,
        mine,
    }))
}
