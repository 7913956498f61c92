//! Which projects a report or list covers and what its filter offers, on the server:
//! the projects a user may list (their organization's, any for an HMIS admin, never
//! another organization's victim service provider projects), the organization and
//! project choices, client names for a page of rows, and the audit row every list view
//! and download writes.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Value};

use super::FilterChoice;
use crate::db::audit::{self, Event};
use crate::db::visibility::organization_open;
use crate::db::{marks, statement};
use crate::domain::access::{CASE_WORK, Workgroup};
use crate::domain::codes::FUNDING_SOURCE;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::format::full_name;

/// Which projects a list covers: an organization (HMIS admins only, other than their
/// own), a project, a HUD funding source code.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    pub organization_id: Option<&'a str>,
    pub project_id: Option<&'a str>,
    pub funder: Option<&'a str>,
}

/// The projects in scope for this user, by name: their organization's (any
/// organization's for an HMIS admin), never another organization's victim service
/// provider projects.
pub async fn projects_in_scope(
    state: &AppState,
    session: &CurrentSession,
    scope: Scope<'_>,
) -> Result<Vec<(String, String)>, AppError> {
    let context = session.require_workgroup(CASE_WORK)?;
    let admin = context.workgroup == Workgroup::HmisAdmin;
    let organization = match scope.organization_id {
        Some(o) if !admin && o != context.organization_id => return Err(AppError::Forbidden),
        Some(o) => Some(o.to_string()),
        None if admin => None,
        None => Some(context.organization_id.clone()),
    };
    let mut sql = String::from(
        "SELECT p.project_id, p.project_name, p.organization_id FROM projects p \
         JOIN organizations o ON o.organization_id = p.organization_id \
         WHERE p.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = Vec::new();
    organization_open("o", &context.organization_id).and_to(&mut sql, &mut values);
    if let Some(o) = &organization {
        sql.push_str(" AND p.organization_id = ?");
        values.push(o.clone().into());
    }
    if let Some(code) = scope.funder {
        let code: i32 = code
            .parse()
            .ok()
            .filter(|c| FUNDING_SOURCE.label(*c).is_some())
            .ok_or_else(|| AppError::field("funder", "Choose a funding source from the list."))?;
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM funders f WHERE f.project_id = p.project_id AND f.funder = ?)",
        );
        values.push(code.into());
    }
    sql.push_str(" ORDER BY p.project_name");
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut projects = Vec::with_capacity(rows.len());
    for row in rows {
        projects.push((row.try_get("", "project_id")?, row.try_get("", "project_name")?));
    }
    if let Some(wanted) = scope.project_id {
        if !projects.iter().any(|(id, _)| id == wanted) {
            // Another organization's project is refused; one the funder filter left
            // out simply lists nothing.
            let owner = db
                .query_one_raw(statement(
                    db.get_database_backend(),
                    "SELECT organization_id FROM projects WHERE project_id = ?",
                    vec![wanted.into()],
                ))
                .await?;
            let theirs: Option<String> = owner.map(|r| r.try_get("", "organization_id")).transpose()?;
            if !admin && theirs.is_some_and(|o| o != context.organization_id) {
                return Err(AppError::Forbidden);
            }
        }
        projects.retain(|(id, _)| id == wanted);
    }
    Ok(projects)
}

/// The organization choices (HMIS admins only) and the projects the organization
/// filter allows.
pub async fn filter_choices(
    state: &AppState,
    session: &CurrentSession,
    organization_id: Option<&str>,
) -> Result<(Vec<FilterChoice>, Vec<FilterChoice>), AppError> {
    let context = session.require_context()?;
    let organizations = if context.workgroup == Workgroup::HmisAdmin {
        let db = &state.db;
        let mut sql =
            String::from("SELECT o.organization_id, o.organization_name FROM organizations o WHERE 1 = 1");
        let mut values = Vec::new();
        organization_open("o", &context.organization_id).and_to(&mut sql, &mut values);
        sql.push_str(" ORDER BY o.organization_name");
        let rows = db
            .query_all_raw(statement(db.get_database_backend(), &sql, values))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(FilterChoice {
                value: row.try_get("", "organization_id")?,
                label: row.try_get("", "organization_name")?,
            });
        }
        out
    } else {
        Vec::new()
    };
    let scope = Scope {
        organization_id,
        ..Default::default()
    };
    let projects = projects_in_scope(state, session, scope)
        .await?
        .into_iter()
        .map(|(value, label)| FilterChoice { value, label })
        .collect();
    Ok((organizations, projects))
}

/// The display names of these clients, by PersonalID.
pub async fn names_of(
    db: &sea_orm::DatabaseConnection,
    mut ids: Vec<&str>,
) -> Result<HashMap<String, String>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    let mut names: HashMap<String, String> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let sql = format!(
            "SELECT personal_id, first_name, last_name FROM clients WHERE personal_id IN ({})",
            marks(chunk.len())
        );
        let values = chunk.iter().map(|id| Value::from(id.to_string())).collect();
        for row in db
            .query_all_raw(statement(db.get_database_backend(), &sql, values))
            .await?
        {
            let name = full_name([
                row.try_get("", "first_name")?,
                None,
                row.try_get("", "last_name")?,
                None,
            ]);
            names.insert(row.try_get("", "personal_id")?, name);
        }
    }
    Ok(names)
}

/// An audit row for a list view or download: the filter and the row count (IDs only,
/// no client data).
pub async fn audit_view(
    state: &AppState,
    session: &CurrentSession,
    action: &str,
    query: &str,
    count: impl std::fmt::Display,
) -> Result<(), AppError> {
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new(action).detail(match query {
            "" => format!("{count} rows"),
            query => format!("{query}; {count} rows"),
        }),
    )
    .await?;
    Ok(())
}
