//! Accounts and organizations: creating users (with their first access) and organizations.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::db::entities::{organization, user, user_access};
use crate::domain::access::{self, Workgroup};
use crate::error::AppError;

use super::*;

// ---------------------------------------------------------------------------
// Users

/// What an administrator (or the CLI) gives to create a user.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub password: String,
    pub access: Vec<(String, Workgroup)>,
}

/// Creates a user and their access rows in one transaction, after checking the
/// password policy. Returns the new UserID.
pub async fn create_user(
    db: &sea_orm::DatabaseConnection,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let username = normalize_username(&new.username);
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AppError::field(
            "username",
            "Use 1–64 letters, digits, dots, dashes or underscores.",
        ));
    }
    if new.first_name.trim().is_empty() {
        return Err(AppError::field("first_name", "First name is required."));
    }
    let problems = access::password_problems(&new.password, &username);
    if !problems.is_empty() {
        return Err(AppError::field("password", problems.join(" ")));
    }
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("username", "That username is taken."));
    }
    let password_hash = hash_password(new.password).await?;
    let user_id = crate::db::new_id();
    let txn = crate::db::begin_write(db).await?;
    user::ActiveModel {
        user_id: Set(user_id.clone()),
        username: Set(username),
        first_name: Set(new.first_name.trim().to_string()),
        last_name: Set(new.last_name.trim().to_string()),
        email: Set(new.email),
        password_hash: Set(password_hash),
        is_active: Set(true),
        must_change_password: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (organization_id, workgroup) in new.access {
        user_access::ActiveModel {
            user_access_id: Set(crate::db::new_id()),
            user_id: Set(user_id.clone()),
            organization_id: Set(organization_id),
            workgroup: Set(workgroup.code().to_string()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(user_id)
}

pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Creates an organization. Returns its OrganizationID.
pub async fn create_organization(
    db: &impl ConnectionTrait,
    name: &str,
    coordinated_entry: bool,
    victim_service_provider: bool,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let organization_id = crate::db::new_id();
    organization::ActiveModel {
        organization_id: Set(organization_id.clone()),
        organization_name: Set(name.to_string()),
        victim_service_provider: Set(victim_service_provider),
        coordinated_entry: Set(coordinated_entry),
        created_at: Set(now),
        updated_at: Set(now),
        date_deleted: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(organization_id)
}
