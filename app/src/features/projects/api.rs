//! Server functions for projects, their CoCs and funding sources. Agency admins manage
//! their organization's projects; HMIS admins manage every project.

// A server function takes one argument per form field, so that the same form posts
// without JavaScript.
#![allow(clippy::too_many_arguments)]

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::features::admin::api::OrganizationOption;

/// One project in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub project_id: String,
    pub project_name: String,
    pub organization_name: String,
    /// 2.02.6 ProjectType code.
    pub project_type: Option<i32>,
    pub operating_start_date: NaiveDate,
    pub operating_end_date: Option<NaiveDate>,
    /// 2.03.1 CoC codes of the project.
    pub coc_codes: Vec<String>,
    /// Funding sources on record.
    pub funders: usize,
    pub ce_participating: bool,
}

impl ProjectRow {
    /// Still operating on `today`.
    pub fn operating(&self, today: NaiveDate) -> bool {
        self.operating_end_date.is_none_or(|end| end >= today)
    }
}

/// What a project administrator sees: the projects and where new ones may go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectList {
    pub projects: Vec<ProjectRow>,
    /// The organizations this administrator may add projects to.
    pub organizations: Vec<OrganizationOption>,
}

/// A project's 2.02 descriptor as stored (and as the edit form shows it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectFields {
    pub project_id: Option<String>,
    pub organization_id: String,
    pub project_name: String,
    pub project_common_name: Option<String>,
    pub project_type: Option<i32>,
    pub housing_type: Option<i32>,
    pub rrh_sub_type: Option<i32>,
    pub target_population: Option<i32>,
    /// 2.02.3 Continuum project (funded or counted by the CoC).
    pub continuum_project: bool,
    pub operating_start_date: Option<NaiveDate>,
    pub operating_end_date: Option<NaiveDate>,
    pub auto_exit_days: Option<i32>,
    pub auto_alert_days: Option<i32>,
    pub ce_participating: bool,
}

/// 2.06 Funding source of a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunderRow {
    pub funder_id: String,
    pub funder: i32,
    pub other_funder: Option<String>,
    pub grant_id: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// 2.03 CoC information of a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectCocRow {
    pub project_coc_id: String,
    pub coc_code: String,
    pub geocode: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub geography_type: Option<i32>,
}

/// One project with its CoCs and funding sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub fields: ProjectFields,
    pub organization_name: String,
    pub cocs: Vec<ProjectCocRow>,
    pub funders: Vec<FunderRow>,
}

/// The projects this administrator manages.
#[server(prefix = "/api", endpoint = "list_projects")]
pub async fn list_projects() -> Result<ProjectList, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::list(&state, &session).await)
}

/// One project, for its page.
#[server(prefix = "/api", endpoint = "get_project")]
pub async fn get_project(project_id: String) -> Result<ProjectDetail, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::detail(&state, &session, &project_id).await)
}

/// Creates (no `project_id`) or updates a project; answers its ID. A new project's
/// page opens next (a redirect when the form was posted without JavaScript).
#[server(prefix = "/api", endpoint = "save_project")]
pub async fn save_project(
    project_id: Option<String>,
    organization_id: Option<String>,
    project_name: String,
    project_common_name: Option<String>,
    project_type: Option<String>,
    housing_type: Option<String>,
    rrh_sub_type: Option<String>,
    target_population: Option<String>,
    continuum_project: Option<String>,
    operating_start_date: Option<String>,
    operating_end_date: Option<String>,
    auto_exit_days: Option<String>,
    auto_alert_days: Option<String>,
    ce_participating: Option<String>,
) -> Result<String, AppError> {
    use super::service::optional_code;
    use crate::domain::input::optional_text;
    use crate::error::FieldError;
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let is_new = project_id.as_deref().is_none_or(str::is_empty);
    let parsed = (|| {
        Ok(ProjectFields {
            project_id: optional_text(project_id),
            organization_id: optional_text(organization_id).unwrap_or_default(),
            project_name,
            project_common_name: optional_text(project_common_name),
            project_type: optional_code("project_type", project_type)?,
            housing_type: optional_code("housing_type", housing_type)?,
            rrh_sub_type: optional_code("rrh_sub_type", rrh_sub_type)?,
            target_population: optional_code("target_population", target_population)?,
            continuum_project: continuum_project.is_some(),
            operating_start_date: FieldError::date("operating_start_date", operating_start_date.as_deref())?,
            operating_end_date: FieldError::date("operating_end_date", operating_end_date.as_deref())?,
            auto_exit_days: optional_code("auto_exit_days", auto_exit_days)?,
            auto_alert_days: optional_code("auto_alert_days", auto_alert_days)?,
            ce_participating: ce_participating.is_some(),
        })
    })();
    let result = match parsed {
        Ok(fields) => super::service::save(&state, &session, fields).await,
        Err(e) => Err(e),
    };
    if is_new {
        crate::state::respond_then_go(result, |id| crate::routes::admin_project(id))
    } else {
        crate::state::respond(result)
    }
}

/// Adds a 2.06 funding source to a project.
#[server(prefix = "/api", endpoint = "add_funder")]
pub async fn add_funder(
    project_id: String,
    funder: Option<String>,
    other_funder: Option<String>,
    grant_id: String,
    funder_start_date: Option<String>,
    funder_end_date: Option<String>,
) -> Result<(), AppError> {
    use super::service::optional_code;
    use crate::error::FieldError;
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let parsed = (|| {
        Ok(crate::domain::projects::FunderDraft {
            funder: optional_code("funder", funder)?,
            other_funder: other_funder.unwrap_or_default(),
            grant_id,
            start_date: FieldError::date("funder_start_date", funder_start_date.as_deref())?,
            end_date: FieldError::date("funder_end_date", funder_end_date.as_deref())?,
        })
    })();
    let result = match parsed {
        Ok(draft) => super::service::add_funder(&state, &session, &project_id, draft).await,
        Err(e) => Err(e),
    };
    crate::state::respond(result)
}

/// Removes a funding source (kept as deleted, for the export's history).
#[server(prefix = "/api", endpoint = "remove_funder")]
pub async fn remove_funder(funder_id: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::remove_funder(&state, &session, &funder_id).await)
}

/// Adds the 2.03 CoC information of a project.
#[server(prefix = "/api", endpoint = "add_project_coc")]
pub async fn add_project_coc(
    project_id: String,
    coc_code: String,
    geocode: String,
    city: Option<String>,
    state_code: Option<String>,
    zip: Option<String>,
    geography_type: Option<String>,
) -> Result<(), AppError> {
    use super::service::{NewProjectCoc, optional_code};
    use crate::domain::input::optional_text;
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    let parsed = optional_code("geography_type", geography_type).map(|geography_type| NewProjectCoc {
        coc_code,
        geocode,
        city: optional_text(city),
        state: optional_text(state_code),
        zip: optional_text(zip),
        geography_type,
    });
    let result = match parsed {
        Ok(coc) => super::service::add_project_coc(&state, &session, &project_id, coc).await,
        Err(e) => Err(e),
    };
    crate::state::respond(result)
}

/// Removes a project's CoC row.
#[server(prefix = "/api", endpoint = "remove_project_coc")]
pub async fn remove_project_coc(project_coc_id: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(admin())?;
    crate::state::respond(super::service::remove_project_coc(&state, &session, &project_coc_id).await)
}

/// Project administration is for agency admins (their organization) and HMIS admins.
#[cfg(feature = "ssr")]
fn admin() -> Result<crate::session::CurrentSession, AppError> {
    crate::session::require(&[crate::domain::access::Workgroup::AgencyAdmin])
}
