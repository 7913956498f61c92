//! The administrative exits done in an organization (agency admins and HMIS admins).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::api::{AdminExitDone, AdminExitsDonePage, DoneFilter};
use crate::db::statement;
use crate::db::visibility::organization_open;
use crate::domain::access::Workgroup;
use crate::domain::auto_exit::EXIT_METHOD_ADMIN;
use crate::error::AppError;
use crate::report::FilterChoice;
use crate::report::{audit_view, filter_choices, names_of, non_empty};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Administrative exits listed per page.
pub const PAGE_SIZE: usize = 50;

/// Administrative exits in the organization's projects (any, for an HMIS admin who
/// chose none), newest first (an audited list view).
pub async fn list(
    state: &AppState,
    session: &CurrentSession,
    filter: &DoneFilter,
    page: usize,
) -> Result<AdminExitsDonePage, AppError> {
    let context = session.require_workgroup(&[Workgroup::AgencyAdmin, Workgroup::HmisAdmin])?;
    let admin = context.workgroup == Workgroup::HmisAdmin;
    let organization = match non_empty(&filter.organization_id) {
        Some(o) if !admin && o != context.organization_id => return Err(AppError::Forbidden),
        Some(o) => Some(o.to_string()),
        None if admin => None,
        None => Some(context.organization_id.clone()),
    };
    let db = &state.db;
    let mut from = String::from(
        " FROM exits x JOIN enrollments e ON e.enrollment_id = x.enrollment_id \
         JOIN projects p ON p.project_id = e.project_id \
         JOIN organizations o ON o.organization_id = p.organization_id \
         WHERE x.exit_method = ? AND x.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = vec![EXIT_METHOD_ADMIN.into()];
    organization_open("o", &context.organization_id).and_to(&mut from, &mut values);
    if let Some(o) = &organization {
        from.push_str(" AND p.organization_id = ?");
        values.push(o.clone().into());
    }
    let total: i64 = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!("SELECT COUNT(*) AS n{from}"),
            values.clone(),
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let total = usize::try_from(total).unwrap_or(0);
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT x.personal_id, p.project_name, e.entry_date, x.exit_date, x.created_at{from} \
                 ORDER BY x.created_at DESC, x.exit_id DESC LIMIT {PAGE_SIZE} OFFSET {}",
                page * PAGE_SIZE
            ),
            values,
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let recorded: DateTime<Utc> = row.try_get("", "created_at")?;
        out.push(AdminExitDone {
            personal_id: row.try_get("", "personal_id")?,
            name: String::new(),
            project_name: row.try_get("", "project_name")?,
            entry_date: row.try_get("", "entry_date")?,
            exit_date: row.try_get("", "exit_date")?,
            recorded: state.stamp(recorded),
        });
    }
    let names = names_of(db, out.iter().map(|r| r.personal_id.as_str()).collect()).await?;
    for row in &mut out {
        row.name = names.get(&row.personal_id).cloned().unwrap_or_default();
    }
    audit_view(
        state,
        session,
        "admin_exits.view",
        &DoneFilter {
            organization_id: organization.clone(),
        }
        .query(),
        total,
    )
    .await?;
    let (organizations, organization_name) = if admin {
        let (choices, _) = filter_choices(state, session, None).await?;
        let name = organization
            .as_ref()
            .and_then(|o| choices.iter().find(|c| &c.value == o).map(|c| c.label.clone()))
            .unwrap_or_else(|| "All organizations".into());
        (choices, name)
    } else {
        (Vec::<FilterChoice>::new(), context.organization_name.clone())
    };
    Ok(AdminExitsDonePage {
        organization_name,
        rows: out,
        total,
        page,
        has_more: (page + 1) * PAGE_SIZE < total,
        organizations,
    })
}
