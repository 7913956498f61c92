//! The data context: the organization and workgroup a user acts in, their location, and Back Date mode.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};

use super::super::api::{AccessOption, LocationOption, Next};
use crate::db::audit::{self, Actor, Event};
use crate::db::entities::{organization, project, session, user_access};
use crate::domain::access::{self, Workgroup};
use crate::domain::input::NOT_A_DATE;
use crate::error::{AppError, FieldError};
use crate::routes;
use crate::session::CurrentSession;
use crate::state::AppState;

// ---------------------------------------------------------------------------
// Context and Back Date

pub async fn access_options(
    state: &AppState,
    current: &CurrentSession,
) -> Result<Vec<AccessOption>, AppError> {
    let rows = user_access::Entity::find()
        .filter(user_access::Column::UserId.eq(&current.user_id))
        .find_also_related(organization::Entity)
        .order_by_asc(user_access::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(row, org)| {
            let workgroup = Workgroup::from_code(&row.workgroup)?;
            let org = org?;
            let current = current
                .context
                .as_ref()
                .is_some_and(|c| c.organization_id == org.organization_id && c.workgroup == workgroup);
            Some(AccessOption {
                user_access_id: row.user_access_id,
                organization_name: org.organization_name,
                workgroup,
                current,
            })
        })
        .collect())
}

pub async fn set_context(
    state: &AppState,
    current: &CurrentSession,
    user_access_id: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let row = user_access::Entity::find_by_id(user_access_id.to_string())
        .one(&state.db)
        .await?
        // Someone else's access row is as unknown as a missing one.
        .filter(|row| row.user_id == current.user_id)
        .ok_or_else(|| AppError::field("user_access_id", "Choose one of your contexts."))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.organization_id = Set(Some(row.organization_id.clone()));
    active.workgroup = Set(Some(row.workgroup.clone()));
    // A location belongs to an organization: a new context starts without one.
    active.location_project_id = Set(None);
    active.update(&txn).await?;
    let actor = Actor {
        organization_id: Some(row.organization_id.clone()),
        workgroup: Some(row.workgroup.clone()),
        ..current.actor()
    };
    let from = current
        .context
        .as_ref()
        .map(|c| format!("{} as {}", c.organization_id, c.workgroup.code()))
        .unwrap_or_else(|| "none".into());
    audit::record(
        &txn,
        now,
        &actor,
        Event::new("context_changed")
            .on("user_access", &row.user_access_id)
            .detail(format!("from {from}")),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::HOME.to_string(),
    })
}

/// The projects of the acting organization that are operating today.
pub async fn location_options(
    state: &AppState,
    current: &CurrentSession,
) -> Result<Vec<LocationOption>, AppError> {
    let context = current.require_context()?;
    let today = state.today();
    let current_id = context.location.as_ref().map(|(id, _)| id.clone());
    Ok(project::Entity::find()
        .filter(project::Column::OrganizationId.eq(&context.organization_id))
        .filter(project::Column::DateDeleted.is_null())
        .order_by_asc(project::Column::ProjectName)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.operating_end_date.is_none_or(|end| end >= today))
        .map(|p| LocationOption {
            current: Some(&p.project_id) == current_id.as_ref(),
            project_id: p.project_id,
            project_name: p.project_name,
        })
        .collect())
}

/// Sets or clears the location of the current context.
pub async fn set_location(
    state: &AppState,
    current: &CurrentSession,
    project_id: Option<&str>,
) -> Result<Next, AppError> {
    let context = current.require_context()?;
    if let Some(id) = project_id {
        let offered = location_options(state, current)
            .await?
            .iter()
            .any(|o| o.project_id == id);
        if !offered {
            return Err(AppError::field("project_id", "Choose a location from the list."));
        }
    }
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.location_project_id = Set(project_id.map(str::to_string));
    active.update(&txn).await?;
    let event = match project_id {
        Some(id) => Event::new("location_changed").on("project", id),
        None => Event::new("location_cleared"),
    };
    audit::record(
        &txn,
        now,
        &current.actor(),
        event.detail(format!("in {}", context.organization_id)),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

pub async fn set_back_date(
    state: &AppState,
    current: &CurrentSession,
    back_date: &str,
) -> Result<Next, AppError> {
    let date = FieldError::required_date("back_date", back_date, NOT_A_DATE)?;
    access::check_back_date(date, state.today()).map_err(|message| AppError::field("back_date", message))?;
    update_back_date(state, current, Some(date)).await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

pub async fn clear_back_date(state: &AppState, current: &CurrentSession) -> Result<Next, AppError> {
    update_back_date(state, current, None).await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

pub(super) async fn update_back_date(
    state: &AppState,
    current: &CurrentSession,
    date: Option<NaiveDate>,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.back_date = Set(date);
    active.update(&txn).await?;
    let event = match date {
        Some(d) => Event::new("back_date_set").detail(d.to_string()),
        None => Event::new("back_date_cleared"),
    };
    audit::record(&txn, state.now(), &current.actor(), event).await?;
    txn.commit().await?;
    Ok(())
}
