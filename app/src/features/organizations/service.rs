//! Organizations on the database.

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ExprTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::api::{MAX_NAME_LEN, OrganizationList, OrganizationRow};
use crate::db::audit::{self, Event};
use crate::db::entities::{organization, user_access};
use crate::domain::access::Workgroup;
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;

pub async fn list(state: &AppState, admin: &CurrentSession) -> Result<OrganizationList, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let hmis = context.workgroup == Workgroup::HmisAdmin;
    let mut query = organization::Entity::find()
        .filter(organization::Column::DateDeleted.is_null())
        .order_by_asc(organization::Column::OrganizationName);
    if !hmis {
        query = query.filter(organization::Column::OrganizationId.eq(&context.organization_id));
    }
    let organizations = query.all(&state.db).await?;
    let ids: Vec<String> = organizations.iter().map(|o| o.organization_id.clone()).collect();
    // One grouped count for the page, not a query per organization.
    let counts: Vec<(String, i64)> = user_access::Entity::find()
        .select_only()
        .column(user_access::Column::OrganizationId)
        .column_as(Expr::col(user_access::Column::UserId).count_distinct(), "users")
        .filter(user_access::Column::OrganizationId.is_in(ids))
        .group_by(user_access::Column::OrganizationId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(OrganizationList {
        organizations: organizations
            .into_iter()
            .map(|o| OrganizationRow {
                users: counts
                    .iter()
                    .find(|(id, _)| *id == o.organization_id)
                    .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
                organization_id: o.organization_id,
                organization_name: o.organization_name,
                victim_service_provider: o.victim_service_provider,
                coordinated_entry: o.coordinated_entry,
            })
            .collect(),
        may_create: hmis,
    })
}

/// The organization form.
#[derive(Clone, Debug)]
pub struct OrganizationForm {
    pub organization_id: Option<String>,
    pub organization_name: String,
    pub victim_service_provider: bool,
    pub coordinated_entry: bool,
}

/// Creates or updates an organization; returns its ID. HMIS admins do everything;
/// agency admins may only rename their own organization (the VSP and CE flags are
/// CoC decisions and stay as they are).
pub async fn save(
    state: &AppState,
    admin: &CurrentSession,
    form: OrganizationForm,
) -> Result<String, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let hmis = context.workgroup == Workgroup::HmisAdmin;
    let name = form.organization_name.trim().to_string();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push("Enter the organization's name.");
    } else if name.chars().count() > MAX_NAME_LEN {
        problems.push("Use at most 200 characters.");
    }
    let existing = match &form.organization_id {
        Some(id) => {
            let found = organization::Entity::find_by_id(id.clone())
                .one(&state.db)
                .await?
                .filter(|o| o.date_deleted.is_none())
                .ok_or(AppError::NotFound)?;
            if !hmis && found.organization_id != context.organization_id {
                return Err(AppError::Forbidden);
            }
            Some(found)
        }
        None if hmis => None,
        None => return Err(AppError::Forbidden),
    };
    if let Some(problem) = problems.first() {
        return Err(AppError::field("organization_name", *problem));
    }
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let same_name = organization::Entity::find()
        .filter(organization::Column::DateDeleted.is_null())
        .filter(
            Expr::expr(Func::lower(Expr::col(organization::Column::OrganizationName)))
                .eq(name.to_lowercase()),
        )
        .all(&txn)
        .await?;
    if same_name
        .iter()
        .any(|o| Some(&o.organization_id) != form.organization_id.as_ref())
    {
        return Err(AppError::Validation(vec![FieldError::new(
            "organization_name",
            "Another organization already has that name.",
        )]));
    }
    let (victim_service_provider, coordinated_entry) = match (&existing, hmis) {
        (_, true) => (form.victim_service_provider, form.coordinated_entry),
        (Some(org), false) => (org.victim_service_provider, org.coordinated_entry),
        (None, false) => return Err(AppError::Forbidden),
    };
    let organization_id = match existing {
        Some(org) => {
            let id = org.organization_id.clone();
            let mut active = org.into_active_model();
            active.organization_name = Set(name.clone());
            active.victim_service_provider = Set(victim_service_provider);
            active.coordinated_entry = Set(coordinated_entry);
            active.updated_at = Set(now);
            active.update(&txn).await?;
            audit::record(
                &txn,
                now,
                &admin.actor(),
                Event::new("organization_updated").on("organization", &id),
            )
            .await?;
            id
        }
        None => {
            let id = crate::features::access::create_organization(
                &txn,
                &name,
                coordinated_entry,
                victim_service_provider,
                now,
            )
            .await?;
            audit::record(
                &txn,
                now,
                &admin.actor(),
                Event::new("organization_created").on("organization", &id),
            )
            .await?;
            id
        }
    };
    if coordinated_entry {
        // The CoC has one Coordinated Entry organization.
        let others = organization::Entity::update_many()
            .col_expr(organization::Column::CoordinatedEntry, Expr::value(false))
            .col_expr(organization::Column::UpdatedAt, Expr::value(now))
            .filter(organization::Column::CoordinatedEntry.eq(true))
            .filter(organization::Column::OrganizationId.ne(&organization_id))
            .exec(&txn)
            .await?;
        if others.rows_affected > 0 {
            audit::record(
                &txn,
                now,
                &admin.actor(),
                Event::new("coordinated_entry_moved")
                    .on("organization", &organization_id)
                    .detail("the previous Coordinated Entry organization is no longer one"),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(organization_id)
}
