//! Server functions for user administration and the audit log.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::access::Workgroup;
use crate::error::AppError;

/// Rows per page in admin lists.
pub const PAGE_SIZE: u64 = 25;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub user_id: String,
    pub username: String,
    pub full_name: String,
    pub is_active: bool,
    pub locked: bool,
    pub must_change_password: bool,
    pub access: Vec<AccessEntry>,
    pub open_sessions: u64,
    /// Two-step sign-in is on.
    pub second_factor: bool,
    /// This administrator may act on the account (password, enabled, sessions, two-step
    /// sign-in): false for an agency admin when the user also works elsewhere.
    pub account_managed: bool,
}

/// One access row of a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub user_access_id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub workgroup: Workgroup,
}

impl AccessEntry {
    /// "Case Manager · Riverside Family Shelter"
    pub fn label(&self) -> String {
        format!("{} · {}", self.workgroup.label(), self.organization_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserRow>,
    pub page: u64,
    pub pages: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationOption {
    pub organization_id: String,
    pub organization_name: String,
}

/// What the user-creation form offers this administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFormChoices {
    pub organizations: Vec<OrganizationOption>,
    pub workgroups: Vec<Workgroup>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    /// `at` in the CoC's time zone, as people read it.
    pub when: String,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub organization_id: Option<String>,
    pub workgroup: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub personal_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub page: u64,
    pub has_more: bool,
}

crate::report::filter! {
    /// Filters of the audit log search; dates are CoC calendar dates (YYYY-MM-DD).
    pub struct AuditFilter {
        username,
        personal_id,
        from,
        to,
    }
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::session::CurrentSession, AppError> {
    crate::state::respond(crate::session::require(&[Workgroup::AgencyAdmin]))
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(search: Option<String>, page: Option<u64>) -> Result<UserPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(
        super::service::list_users(&state, &session, search.as_deref(), page.unwrap_or(0)).await,
    )
}

#[server(prefix = "/api", endpoint = "user_form_options")]
pub async fn user_form_options() -> Result<UserFormChoices, AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::user_form_options(&state, &session).await)
}

/// Creates a user with one access row and a temporary password they must change.
#[server(prefix = "/api", endpoint = "create_user")]
pub async fn create_user_account(
    username: String,
    first_name: String,
    last_name: String,
    organization_id: String,
    workgroup: String,
    temporary_password: String,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    let form = super::service::NewAccount {
        username,
        first_name,
        last_name,
        organization_id,
        workgroup,
        temporary_password,
    };
    crate::state::respond(super::service::create_account(&state, &session, form).await)
}

/// Sets a temporary password; the user must change it at next sign-in. Their
/// sessions end.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_user_password(user_id: String, temporary_password: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(
        super::service::reset_password(&state, &session, &user_id, &temporary_password).await,
    )
}

/// Disables or re-enables an account. Disabling ends its sessions.
#[server(prefix = "/api", endpoint = "set_user_active")]
pub async fn set_user_active(user_id: String, active: bool) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::set_active(&state, &session, &user_id, active).await)
}

/// One user, for the user page.
#[server(prefix = "/api", endpoint = "get_user")]
pub async fn get_user(user_id: String) -> Result<UserRow, AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::get_user(&state, &session, &user_id).await)
}

/// Gives a user access to an organization in a workgroup.
#[server(prefix = "/api", endpoint = "add_user_access")]
pub async fn add_user_access(
    user_id: String,
    organization_id: String,
    workgroup: String,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(
        super::service::add_access(&state, &session, &user_id, &organization_id, &workgroup).await,
    )
}

/// Takes an access row away; sessions acting in it end.
#[server(prefix = "/api", endpoint = "remove_user_access")]
pub async fn remove_user_access(user_access_id: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::remove_access(&state, &session, &user_access_id).await)
}

/// Turns off a user's two-step sign-in (a lost phone); they sign in with the
/// password alone until they enrol again.
#[server(prefix = "/api", endpoint = "reset_user_two_step")]
pub async fn reset_user_two_step(user_id: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::reset_two_step(&state, &session, &user_id).await)
}

/// Signs a user out everywhere.
#[server(prefix = "/api", endpoint = "end_user_sessions")]
pub async fn end_user_sessions(user_id: String) -> Result<u64, AppError> {
    let state = crate::state::use_app_state()?;
    let session = admin()?;
    crate::state::respond(super::service::end_sessions(&state, &session, &user_id).await)
}

/// Searches the audit log (HMIS admins).
#[server(prefix = "/api", endpoint = "search_audit_log")]
pub async fn search_audit_log(
    #[server(default)] filter: AuditFilter,
    page: Option<u64>,
) -> Result<AuditPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[Workgroup::HmisAdmin]))?;
    crate::state::respond(super::service::search_audit(&state, &session, &filter, page.unwrap_or(0)).await)
}
