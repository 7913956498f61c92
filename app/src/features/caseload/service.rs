//! Case assignments on the server.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::api::{CaseManagerOption, CaseloadRow};
use crate::db::annual::{annual_dates, head_entry_dates};
use crate::db::audit::{self, Event};
use crate::db::entities::case_assignment;
use crate::db::visibility::{client_name, require_visible};
use crate::db::{begin_write, new_id, statement};
use crate::domain::access::Workgroup;
use crate::domain::annual::status;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::format::annual_alert;

/// Workgroups that may reassign cases (HMIS admins always may).
pub const REASSIGNERS: &[Workgroup] = &[Workgroup::Supervisor, Workgroup::AgencyAdmin];

pub async fn my_case_assignments(
    state: &AppState,
    session: &CurrentSession,
) -> Result<Vec<CaseloadRow>, AppError> {
    let context = session.require_context()?;
    rows_for(state, &session.user_id, &context.organization_id).await
}

/// A user's active case assignments in an organization, with what is due.
pub(crate) async fn rows_for(
    state: &AppState,
    user_id: &str,
    organization_id: &str,
) -> Result<Vec<CaseloadRow>, AppError> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT a.personal_id, c.first_name, c.middle_name, c.last_name, c.name_suffix, \
             e.enrollment_id, e.household_id, e.entry_date, p.project_name, x.exit_date \
             FROM case_assignments a JOIN clients c ON c.personal_id = a.personal_id \
             LEFT JOIN enrollments e ON e.enrollment_id = a.enrollment_id AND e.date_deleted IS NULL \
             LEFT JOIN projects p ON p.project_id = e.project_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE a.user_id = ? AND a.organization_id = ? AND a.end_date IS NULL \
             ORDER BY c.last_name_key, c.first_name_key, e.entry_date DESC LIMIT 500",
            vec![user_id.into(), organization_id.into()],
        ))
        .await?;
    struct Raw {
        row: CaseloadRow,
        enrollment_id: Option<String>,
        household_id: Option<String>,
    }
    let mut raws = Vec::with_capacity(rows.len());
    for r in &rows {
        raws.push(Raw {
            row: CaseloadRow {
                personal_id: r.try_get("", "personal_id")?,
                name: client_name(r)?,
                project_name: r.try_get("", "project_name")?,
                entry_date: r.try_get("", "entry_date")?,
                exit_date: r.try_get("", "exit_date")?,
                due: Vec::new(),
            },
            enrollment_id: r.try_get("", "enrollment_id")?,
            household_id: r.try_get("", "household_id")?,
        });
    }
    let open: Vec<&Raw> = raws.iter().filter(|r| r.row.exit_date.is_none()).collect();
    let heads = head_entry_dates(db, open.iter().filter_map(|r| r.household_id.as_deref())).await?;
    let annuals = annual_dates(db, open.iter().filter_map(|r| r.enrollment_id.as_deref())).await?;
    let today = state.today();
    let drafts = draft_clients(db, user_id).await?;
    Ok(raws
        .into_iter()
        .map(|mut raw| {
            if raw.row.exit_date.is_none()
                && let Some(start) = raw.household_id.as_ref().and_then(|h| heads.get(h))
            {
                let on_record = raw
                    .enrollment_id
                    .as_ref()
                    .and_then(|e| annuals.get(e))
                    .cloned()
                    .unwrap_or_default();
                if let Some(alert) = annual_alert(status(*start, today, &on_record)) {
                    raw.row.due.push(alert);
                }
            }
            if drafts.contains(&raw.row.personal_id) {
                raw.row.due.push("Draft in progress".into());
            }
            raw.row
        })
        .collect())
}

async fn draft_clients(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<String>, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT personal_id FROM workflow_drafts WHERE user_id = ? AND personal_id IS NOT NULL",
            vec![user_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "personal_id").map_err(AppError::from))
        .collect()
}

/// The organization's users who can take a case (case managers and supervisors).
pub async fn case_manager_options(
    db: &impl ConnectionTrait,
    organization_id: &str,
) -> Result<Vec<CaseManagerOption>, AppError> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT DISTINCT u.user_id, u.first_name, u.last_name FROM user_access a \
             JOIN users u ON u.user_id = a.user_id \
             WHERE a.organization_id = ? AND a.workgroup IN (?, ?) AND u.is_active = ? \
             ORDER BY u.first_name, u.last_name",
            vec![
                organization_id.into(),
                Workgroup::CaseManager.code().into(),
                Workgroup::Supervisor.code().into(),
                true.into(),
            ],
        ))
        .await?;
    let mut options = Vec::with_capacity(rows.len());
    for row in rows {
        let first: String = row.try_get("", "first_name")?;
        let last: String = row.try_get("", "last_name")?;
        options.push(CaseManagerOption {
            user_id: row.try_get("", "user_id")?,
            name: format!("{first} {last}"),
        });
    }
    Ok(options)
}

/// Whether the session may reassign cases in its organization.
pub fn may_reassign(session: &CurrentSession) -> bool {
    session.require_workgroup(REASSIGNERS).is_ok()
}

pub async fn reassign(
    state: &AppState,
    session: &CurrentSession,
    personal_id: &str,
    user_id: &str,
) -> Result<String, AppError> {
    let context = session.require_workgroup(REASSIGNERS)?;
    let db = &state.db;
    require_visible(db, session, personal_id).await?;
    let options = case_manager_options(db, &context.organization_id).await?;
    if !options.iter().any(|o| o.user_id == user_id) {
        return Err(AppError::field(
            "user_id",
            "Choose a case manager or supervisor of your organization.",
        ));
    }
    let today = state.today();
    let now = state.now();
    let backend = db.get_database_backend();
    // The client's open enrollments in this organization's projects.
    let open = db
        .query_all_raw(statement(
            backend,
            "SELECT e.enrollment_id FROM enrollments e JOIN projects p ON p.project_id = e.project_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.personal_id = ? AND p.organization_id = ? AND e.date_deleted IS NULL AND x.exit_id IS NULL",
            vec![personal_id.into(), context.organization_id.clone().into()],
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "enrollment_id"))
        .collect::<Result<Vec<_>, _>>()?;
    let txn = begin_write(db).await?;
    txn.execute_raw(statement(
        backend,
        "UPDATE case_assignments SET end_date = ?, updated_at = ? \
         WHERE personal_id = ? AND organization_id = ? AND end_date IS NULL",
        vec![
            today.into(),
            now.into(),
            personal_id.into(),
            context.organization_id.clone().into(),
        ],
    ))
    .await?;
    let enrollments: Vec<Option<String>> = if open.is_empty() {
        vec![None]
    } else {
        open.into_iter().map(Some).collect()
    };
    for enrollment_id in enrollments {
        case_assignment::ActiveModel {
            case_assignment_id: Set(new_id()),
            personal_id: Set(personal_id.to_string()),
            enrollment_id: Set(enrollment_id),
            user_id: Set(user_id.to_string()),
            organization_id: Set(context.organization_id.clone()),
            start_date: Set(today),
            end_date: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(Some(session.user_id.clone())),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        now,
        &session.actor(),
        Event::new("case_assignment.reassign")
            .on("user", user_id)
            .client(personal_id),
    )
    .await?;
    txn.commit().await?;
    Ok(crate::routes::client(personal_id))
}
