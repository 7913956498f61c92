//! Server functions for organizations.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// HUD's OrganizationName is S200.
pub const MAX_NAME_LEN: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRow {
    pub organization_id: String,
    pub organization_name: String,
    /// 2.01.3 Victim service provider.
    pub victim_service_provider: bool,
    /// The CoC's Coordinated Entry organization (at most one).
    pub coordinated_entry: bool,
    /// Users with access to it.
    pub users: u64,
}

/// What this administrator sees and may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationList {
    pub organizations: Vec<OrganizationRow>,
    /// HMIS admins create organizations and set the VSP and CE flags.
    pub may_create: bool,
}

/// The organizations this administrator manages: all for HMIS admins, their own for
/// agency admins.
#[server(prefix = "/api", endpoint = "list_organizations")]
pub async fn list_organizations() -> Result<OrganizationList, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::AgencyAdmin,
    ]))?;
    crate::state::respond(super::service::list(&state, &session).await)
}

/// Creates (no `organization_id`) or updates an organization. Check boxes arrive as
/// "on" when ticked and not at all otherwise.
#[server(prefix = "/api", endpoint = "save_organization")]
pub async fn save_organization(
    organization_id: Option<String>,
    organization_name: String,
    victim_service_provider: Option<String>,
    coordinated_entry: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::AgencyAdmin,
    ]))?;
    let form = super::service::OrganizationForm {
        organization_id: organization_id.filter(|id| !id.is_empty()),
        organization_name,
        victim_service_provider: victim_service_provider.is_some(),
        coordinated_entry: coordinated_entry.is_some(),
    };
    crate::state::respond(super::service::save(&state, &session, form).await)
}
