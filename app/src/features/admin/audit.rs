//! The audit log as admins read it: searched a page at a time, or exported whole for the
//! CSV, each filter's dates read in the CoC's time zone.

use chrono::{Duration, TimeZone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::api::{AuditFilter, AuditPage, AuditRow, PAGE_SIZE};
use crate::db::audit::{self, Event};
use crate::db::entities::audit_log;
use crate::domain::access::Workgroup;
use crate::domain::input::NOT_A_DATE;
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;

/// The audit rows matching `filter`, newest first, one page at a time.
pub async fn search_audit(
    state: &AppState,
    admin: &CurrentSession,
    filter: &AuditFilter,
    page: u64,
) -> Result<AuditPage, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    // The views queued until now are part of the log being read.
    state.views.flush().await;
    let mut rows = audit_query(state, filter)?
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .all(&state.db)
        .await?;
    let has_more = rows.len() as u64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let detail = format!("page {page}");
    let mut event = Event::new("audit_log_viewed").detail(detail);
    event.personal_id = filter
        .personal_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    audit::record(&state.db, state.now(), &admin.actor(), event).await?;
    Ok(AuditPage {
        rows: rows.into_iter().map(|row| audit_row(state, row)).collect(),
        page,
        has_more,
    })
}

/// Every matching row for the CSV download (bounded), newest first.
pub async fn export_audit(
    state: &AppState,
    admin: &CurrentSession,
    filter: &AuditFilter,
    limit: u64,
) -> Result<Vec<AuditRow>, AppError> {
    admin.require_workgroup(&[Workgroup::HmisAdmin])?;
    state.views.flush().await;
    let rows = audit_query(state, filter)?.limit(limit).all(&state.db).await?;
    audit::record(
        &state.db,
        state.now(),
        &admin.actor(),
        Event::new("audit_log_exported").detail(rows.len().to_string()),
    )
    .await?;
    Ok(rows.into_iter().map(|row| audit_row(state, row)).collect())
}

pub(super) fn audit_row(state: &AppState, row: audit_log::Model) -> AuditRow {
    AuditRow {
        at: row.at,
        when: state.stamp_seconds(row.at),
        username: row.username,
        ip: row.ip,
        organization_id: row.organization_id,
        workgroup: row.workgroup,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        personal_id: row.personal_id,
        detail: row.detail,
    }
}

pub(super) fn audit_query(
    state: &AppState,
    filter: &AuditFilter,
) -> Result<sea_orm::Select<audit_log::Entity>, AppError> {
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::AuditId);
    if let Some(username) = filter
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        query = query.filter(audit_log::Column::Username.eq(username.to_lowercase()));
    }
    if let Some(personal_id) = filter
        .personal_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        query = query.filter(audit_log::Column::PersonalId.eq(personal_id));
    }
    let day_start = |field: &'static str, text: &str| -> Result<chrono::DateTime<chrono::Utc>, AppError> {
        let date = FieldError::required_date(field, text, NOT_A_DATE)?;
        let local = date.and_hms_opt(0, 0, 0).ok_or(AppError::Internal)?;
        state
            .time_zone
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or_else(|| AppError::field(field, "That date does not exist in the CoC's time zone."))
    };
    if let Some(from) = filter.from.as_deref().filter(|f| !f.trim().is_empty()) {
        query = query.filter(audit_log::Column::At.gte(day_start("from", from)?));
    }
    if let Some(to) = filter.to.as_deref().filter(|t| !t.trim().is_empty()) {
        // Through the end of that day in the CoC's zone.
        let end = day_start("to", to)? + Duration::days(1);
        query = query.filter(audit_log::Column::At.lt(end));
    }
    Ok(query)
}
