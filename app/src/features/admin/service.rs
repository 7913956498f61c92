//! User administration and audit log queries.

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::api::{AccessEntry, OrganizationOption, PAGE_SIZE, UserFormChoices, UserPage, UserRow};
use crate::db::audit::{self, Event};
use crate::db::entities::{organization, session, user, user_access};
use crate::domain::access::{self, Workgroup};
use crate::error::AppError;
use crate::features::access::{NewUser, create_user, hash_password};
use crate::session::{ActingContext, CurrentSession};
use crate::state::AppState;

pub use super::audit::{export_audit, search_audit};

fn is_hmis_admin(context: &ActingContext) -> bool {
    context.workgroup == Workgroup::HmisAdmin
}

/// How far an administrator reaches into a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// See the user and manage their access in the administrator's organization.
    Access,
    /// Act on the account itself: password, enabled, sessions, two-step sign-in. An
    /// agency admin may only when every access the user has is in their organization;
    /// anyone who also works elsewhere is the HMIS admin's.
    Account,
}

/// The user `user_id`, if this administrator may manage them that far: HMIS admins
/// manage everyone; agency admins the users of their organization who are not HMIS
/// admins (and their accounts only when they work for no other organization).
async fn manageable(
    state: &AppState,
    admin: &CurrentSession,
    user_id: &str,
    reach: Reach,
) -> Result<user::Model, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let target = user::Entity::find_by_id(user_id.to_string())
        .one(&state.db)
        .await?
        .filter(|u| u.user_id != crate::db::SYSTEM_USER_ID)
        .ok_or(AppError::NotFound)?;
    if is_hmis_admin(context) {
        return Ok(target);
    }
    let rows = user_access::Entity::find()
        .filter(user_access::Column::UserId.eq(user_id))
        .all(&state.db)
        .await?;
    let access: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.organization_id.as_str(), r.workgroup.as_str()))
        .collect();
    let allowed = match reach {
        Reach::Access => access::agency_admin_may_see(&context.organization_id, &access),
        Reach::Account => access::agency_admin_may_manage_account(&context.organization_id, &access),
    };
    if allowed {
        Ok(target)
    } else {
        tracing::warn!(
            user_id,
            ?reach,
            "an agency admin was refused a user outside their reach"
        );
        Err(AppError::Forbidden)
    }
}

pub async fn list_users(
    state: &AppState,
    admin: &CurrentSession,
    search: Option<&str>,
    page: u64,
) -> Result<UserPage, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    // Hearth's own system user is nobody to manage.
    let mut query = user::Entity::find()
        .filter(user::Column::UserId.ne(crate::db::SYSTEM_USER_ID))
        .order_by_asc(user::Column::Username);
    if !is_hmis_admin(context) {
        query = query.filter(
            user::Column::UserId.in_subquery(
                Query::select()
                    .column(user_access::Column::UserId)
                    .from(user_access::Entity)
                    .and_where(user_access::Column::OrganizationId.eq(&context.organization_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(term) = search.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("{}%", term.to_lowercase().replace(['%', '_'], ""));
        query = query.filter(
            Condition::any()
                .add(user::Column::Username.like(&pattern))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::FirstName))).like(&pattern))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::LastName))).like(&pattern)),
        );
    }
    let paginator = query.paginate(&state.db, PAGE_SIZE);
    let pages = paginator.num_pages().await?;
    let users = user_rows(state, admin, paginator.fetch_page(page).await?).await?;
    Ok(UserPage { users, page, pages })
}

/// One user this administrator may manage.
pub async fn get_user(state: &AppState, admin: &CurrentSession, user_id: &str) -> Result<UserRow, AppError> {
    let target = manageable(state, admin, user_id, Reach::Access).await?;
    user_rows(state, admin, vec![target])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The rows shown for `users`: two queries for all of them (access, sessions), not
/// one per user.
async fn user_rows(
    state: &AppState,
    admin: &CurrentSession,
    users: Vec<user::Model>,
) -> Result<Vec<UserRow>, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
    let access_rows = user_access::Entity::find()
        .filter(user_access::Column::UserId.is_in(ids.clone()))
        .find_also_related(organization::Entity)
        .order_by_asc(user_access::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let sessions = session::Entity::find()
        .select_only()
        .column(session::Column::UserId)
        .filter(session::Column::UserId.is_in(ids))
        .filter(session::Column::PendingSecondFactor.eq(false))
        .into_tuple::<String>()
        .all(&state.db)
        .await?;
    let now = state.now();
    Ok(users
        .into_iter()
        .map(|u| {
            let rows: Vec<_> = access_rows
                .iter()
                .filter(|(row, _)| row.user_id == u.user_id)
                .collect();
            let pairs: Vec<(&str, &str)> = rows
                .iter()
                .map(|(row, _)| (row.organization_id.as_str(), row.workgroup.as_str()))
                .collect();
            let account_managed = is_hmis_admin(context)
                || access::agency_admin_may_manage_account(&context.organization_id, &pairs);
            UserRow {
                account_managed,
                access: rows
                    .iter()
                    .filter_map(|(row, org)| {
                        Some(AccessEntry {
                            user_access_id: row.user_access_id.clone(),
                            organization_id: row.organization_id.clone(),
                            organization_name: org.as_ref()?.organization_name.clone(),
                            workgroup: Workgroup::from_code(&row.workgroup)?,
                        })
                    })
                    .collect(),
                open_sessions: sessions.iter().filter(|s| **s == u.user_id).count() as u64,
                full_name: u.full_name(),
                locked: access::is_locked(u.locked_until, now),
                is_active: u.may_sign_in(),
                must_change_password: u.must_change_password,
                second_factor: u.totp_secret.is_some(),
                username: u.username,
                user_id: u.user_id,
            }
        })
        .collect())
}

/// Checks that this administrator may hand out `workgroup` in `organization_id`:
/// agency admins only in their own organization and never HMIS admin.
async fn check_grant(
    state: &AppState,
    context: &ActingContext,
    organization_id: &str,
    workgroup: &str,
) -> Result<Workgroup, AppError> {
    let workgroup =
        Workgroup::from_code(workgroup).ok_or_else(|| AppError::field("workgroup", "Choose a workgroup."))?;
    if workgroup == Workgroup::HmisAdmin && !is_hmis_admin(context) {
        return Err(AppError::Forbidden);
    }
    if !is_hmis_admin(context) && organization_id != context.organization_id {
        return Err(AppError::Forbidden);
    }
    if organization::Entity::find_by_id(organization_id.to_string())
        .one(&state.db)
        .await?
        .is_none_or(|o| o.date_deleted.is_some())
    {
        return Err(AppError::field("organization_id", "Choose an organization."));
    }
    Ok(workgroup)
}

pub async fn add_access(
    state: &AppState,
    admin: &CurrentSession,
    user_id: &str,
    organization_id: &str,
    workgroup: &str,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let target = manageable(state, admin, user_id, Reach::Account).await?;
    let workgroup = check_grant(state, context, organization_id, workgroup).await?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let exists = user_access::Entity::find()
        .filter(user_access::Column::UserId.eq(&target.user_id))
        .filter(user_access::Column::OrganizationId.eq(organization_id))
        .filter(user_access::Column::Workgroup.eq(workgroup.code()))
        .one(&txn)
        .await?
        .is_some();
    if exists {
        return Err(AppError::Conflict(format!(
            "{} already has that access.",
            target.username
        )));
    }
    let user_access_id = crate::db::new_id();
    user_access::ActiveModel {
        user_access_id: Set(user_access_id.clone()),
        user_id: Set(target.user_id.clone()),
        organization_id: Set(organization_id.to_string()),
        workgroup: Set(workgroup.code().to_string()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("access_granted")
            .on("user", &target.user_id)
            .detail(format!("{} in {organization_id}", workgroup.code())),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove_access(
    state: &AppState,
    admin: &CurrentSession,
    user_access_id: &str,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let row = user_access::Entity::find_by_id(user_access_id.to_string())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    manageable(state, admin, &row.user_id, Reach::Access).await?;
    if !is_hmis_admin(context) && row.organization_id != context.organization_id {
        return Err(AppError::Forbidden);
    }
    if row.user_id == admin.user_id {
        return Err(AppError::Conflict(
            "You cannot remove your own access; ask another administrator.".into(),
        ));
    }
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    // Sessions acting in that access end now, not at their next timeout.
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(&row.user_id))
        .filter(session::Column::OrganizationId.eq(&row.organization_id))
        .filter(session::Column::Workgroup.eq(&row.workgroup))
        .exec(&txn)
        .await?;
    user_access::Entity::delete_by_id(row.user_access_id.clone())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("access_revoked")
            .on("user", &row.user_id)
            .detail(format!("{} in {}", row.workgroup, row.organization_id)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn reset_two_step(state: &AppState, admin: &CurrentSession, user_id: &str) -> Result<(), AppError> {
    let target = manageable(state, admin, user_id, Reach::Account).await?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::PendingSecondFactor.eq(true))
        .exec(&txn)
        .await?;
    crate::features::access::clear_second_factor(&txn, target, now).await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("second_factor_reset").on("user", user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The organizations an administrator manages, by name: every one for HMIS admins, their
/// own for agency admins.
pub async fn managed_organizations(
    db: &impl sea_orm::ConnectionTrait,
    context: &ActingContext,
) -> Result<Vec<OrganizationOption>, AppError> {
    let mut query = organization::Entity::find()
        .filter(organization::Column::DateDeleted.is_null())
        .order_by_asc(organization::Column::OrganizationName);
    if !is_hmis_admin(context) {
        query = query.filter(organization::Column::OrganizationId.eq(&context.organization_id));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|o| OrganizationOption {
            organization_id: o.organization_id,
            organization_name: o.organization_name,
        })
        .collect())
}

pub async fn user_form_options(
    state: &AppState,
    admin: &CurrentSession,
) -> Result<UserFormChoices, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let organizations = managed_organizations(&state.db, context).await?;
    let workgroups = Workgroup::ALL
        .into_iter()
        .filter(|w| is_hmis_admin(context) || *w != Workgroup::HmisAdmin)
        .collect();
    Ok(UserFormChoices {
        organizations,
        workgroups,
    })
}

/// The user-creation form.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub organization_id: String,
    pub workgroup: String,
    pub temporary_password: String,
}

pub async fn create_account(
    state: &AppState,
    admin: &CurrentSession,
    form: NewAccount,
) -> Result<String, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let workgroup = check_grant(state, context, &form.organization_id, &form.workgroup).await?;
    let now = state.now();
    let user_id = create_user(
        &state.db,
        NewUser {
            username: form.username,
            first_name: form.first_name,
            last_name: form.last_name,
            email: None,
            password: form.temporary_password,
            access: vec![(form.organization_id, workgroup)],
        },
        now,
    )
    .await
    .map_err(|e| match e {
        // The password field of this form is the temporary one.
        AppError::Validation(mut errors) => {
            for error in &mut errors {
                if error.field == "password" {
                    error.field = "temporary_password".into();
                }
            }
            AppError::Validation(errors)
        }
        other => other,
    })?;
    let mut active = user::Entity::find_by_id(user_id.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::Internal)?
        .into_active_model();
    active.must_change_password = Set(true);
    active.update(&state.db).await?;
    audit::record(
        &state.db,
        now,
        &admin.actor(),
        Event::new("user_created").on("user", &user_id),
    )
    .await?;
    Ok(user_id)
}

pub async fn reset_password(
    state: &AppState,
    admin: &CurrentSession,
    user_id: &str,
    temporary_password: &str,
) -> Result<(), AppError> {
    let target = manageable(state, admin, user_id, Reach::Account).await?;
    let problems = access::password_problems(temporary_password, &target.username);
    if !problems.is_empty() {
        return Err(AppError::field("temporary_password", problems.join(" ")));
    }
    let hash = hash_password(temporary_password.to_string()).await?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = target.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(true);
    active.failed_logins = Set(0);
    active.locked_until = Set(None);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("password_reset").on("user", user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_active(
    state: &AppState,
    admin: &CurrentSession,
    user_id: &str,
    active: bool,
) -> Result<(), AppError> {
    let target = manageable(state, admin, user_id, Reach::Account).await?;
    if target.user_id == admin.user_id && !active {
        return Err(AppError::Conflict("You cannot disable your own account.".into()));
    }
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model = target.into_active_model();
    model.is_active = Set(active);
    if active {
        // Enabling an account also restores one its source system had deleted.
        model.date_deleted = Set(None);
    }
    model.updated_at = Set(now);
    model.update(&txn).await?;
    if !active {
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
    }
    let action = if active { "user_enabled" } else { "user_disabled" };
    audit::record(&txn, now, &admin.actor(), Event::new(action).on("user", user_id)).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn end_sessions(state: &AppState, admin: &CurrentSession, user_id: &str) -> Result<u64, AppError> {
    manageable(state, admin, user_id, Reach::Account).await?;
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let ended = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        &admin.actor(),
        Event::new("sessions_ended")
            .on("user", user_id)
            .detail(ended.rows_affected.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(ended.rows_affected)
}
