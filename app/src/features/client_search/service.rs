//! Client search on the server: indexed name-key prefixes, ID (whole, or the short
//! ID's eight characters), date of birth and SSN last four, with the visibility rule,
//! one page at a time.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::api::{ClientHit, PAGE_SIZE, SearchResults};
use crate::db::statement;
use crate::db::visibility::{client_name, client_visible, organization_open};
use crate::domain::dates::age_on;
use crate::domain::dedup::{ClientQuery, prefix_upper_bound};
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;

/// The SQL of a client search (`?` placeholders) and its values: indexed prefix ranges
/// on the name keys, equality on ID, date of birth and SSN last four, the visibility
/// rule, one page in name order (one row more than a page, to tell if more follow).
pub fn search_sql(query: &ClientQuery, organization_id: &str, page: u64) -> (String, Vec<Value>) {
    let mut sql = String::from(
        "SELECT c.personal_id, c.first_name, c.middle_name, c.last_name, c.name_suffix, c.dob, \
         c.ssn_last4, c.veteran_status FROM clients c WHERE c.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = Vec::new();
    if let Some(id) = &query.personal_id {
        sql.push_str(" AND c.personal_id = ?");
        values.push(id.clone().into());
    }
    if let Some(short) = &query.short_id {
        // The expression of the index `ix_clients_short_id`, as written there.
        sql.push_str(" AND substr(c.personal_id, 25, 8) = ?");
        values.push(short.clone().into());
    }
    for (column, prefix) in [
        ("c.last_name_key", &query.last),
        ("c.first_name_key", &query.first),
    ] {
        if let Some(prefix) = prefix {
            // The range uses the index in any collation; LIKE keeps the match exact.
            sql.push_str(&format!(" AND {column} >= ? AND {column} LIKE ?"));
            values.push(prefix.clone().into());
            values.push(format!("{prefix}%").into());
            if let Some(upper) = prefix_upper_bound(prefix) {
                sql.push_str(&format!(" AND {column} < ?"));
                values.push(upper.into());
            }
        }
    }
    if let Some(dob) = query.dob {
        sql.push_str(" AND c.dob = ?");
        values.push(dob.into());
    }
    if let Some(last4) = &query.ssn_last4 {
        sql.push_str(" AND c.ssn_last4 = ?");
        values.push(last4.clone().into());
    }
    client_visible("c", organization_id).and_to(&mut sql, &mut values);
    sql.push_str(" ORDER BY c.last_name_key, c.first_name_key, c.personal_id LIMIT ? OFFSET ?");
    values.push(((PAGE_SIZE + 1) as i64).into());
    values.push(((page.min(10_000) * PAGE_SIZE) as i64).into());
    (sql, values)
}

/// One page of clients matching `query`, as the user may see them.
pub async fn search(
    state: &AppState,
    session: &CurrentSession,
    query: &ClientQuery,
    page: u64,
) -> Result<SearchResults, AppError> {
    let context = session.require_context()?;
    if query.is_empty() {
        return Ok(SearchResults {
            empty_query: true,
            ..Default::default()
        });
    }
    let db = &state.db;
    let (sql, values) = search_sql(query, &context.organization_id, page);
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let has_more = rows.len() as u64 > PAGE_SIZE;
    let today = state.today();
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows.iter().take(PAGE_SIZE as usize) {
        let dob: Option<NaiveDate> = row.try_get("", "dob")?;
        let veteran: i32 = row.try_get("", "veteran_status")?;
        hits.push(ClientHit {
            personal_id: row.try_get("", "personal_id")?,
            name: client_name(row)?,
            dob,
            age: dob.and_then(|d| age_on(d, today)),
            ssn_last4: row.try_get("", "ssn_last4")?,
            veteran: veteran == 1,
            enrollments: Vec::new(),
        });
    }
    let open = open_enrollments(db, &hits, &context.organization_id).await?;
    for hit in &mut hits {
        hit.enrollments = open.get(&hit.personal_id).cloned().unwrap_or_default();
    }
    let by_id = query.personal_id.is_some() || query.short_id.is_some();
    let exact = match (by_id, hits.as_slice()) {
        (true, [only]) => Some(only.personal_id.clone()),
        _ => None,
    };
    Ok(SearchResults {
        hits,
        page,
        has_more,
        exact,
        empty_query: false,
    })
}

/// The projects of the open enrollments of `hits` (one query), as the viewer may see them.
async fn open_enrollments(
    db: &impl ConnectionTrait,
    hits: &[ClientHit],
    organization_id: &str,
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    let mut open: HashMap<String, Vec<String>> = HashMap::new();
    if hits.is_empty() {
        return Ok(open);
    }
    let marks = crate::db::marks(hits.len());
    let mut sql = format!(
        "SELECT e.personal_id, p.project_name FROM enrollments e \
         JOIN projects p ON p.project_id = e.project_id \
         JOIN organizations o ON o.organization_id = p.organization_id \
         LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
         WHERE e.personal_id IN ({marks}) AND e.date_deleted IS NULL AND x.exit_id IS NULL"
    );
    let mut values: Vec<Value> = hits.iter().map(|h| h.personal_id.clone().into()).collect();
    organization_open("o", organization_id).and_to(&mut sql, &mut values);
    sql.push_str(" ORDER BY e.entry_date DESC");
    for row in db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        let personal_id: String = row.try_get("", "personal_id")?;
        open.entry(personal_id)
            .or_default()
            .push(row.try_get("", "project_name")?);
    }
    Ok(open)
}
