//! Server functions and DTOs of services and contacts.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::fields::Choice;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub date_provided: NaiveDate,
    /// "Bed Night", "SSVF Service", …
    pub record_type: String,
    pub type_provided: String,
    pub recorded_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub information_date: NaiveDate,
    /// 4.12 current living situation label.
    pub living_situation: String,
    pub location_details: Option<String>,
}

/// The Services page of one enrollment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentServices {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_name: String,
    pub organization_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    pub editable: bool,
    pub services: Vec<ServiceRow>,
    /// The project records 4.12 contacts.
    pub records_contacts: bool,
    pub contacts: Vec<ContactRow>,
    /// Services offered, grouped by record type; value "record_type:type_provided".
    pub service_choices: Vec<Choice>,
}

/// An enrollment's services and contacts. The view is audited.
#[server(prefix = "/api", endpoint = "get_enrollment_services")]
pub async fn get_enrollment_services(enrollment_id: String) -> Result<EnrollmentServices, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::services(&state, &session, &enrollment_id).await)
}

/// Records a service on the enrollment (`service` is "record_type:type_provided").
#[server(prefix = "/api", endpoint = "add_service")]
pub async fn add_service(
    enrollment_id: String,
    date_provided: String,
    service: String,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(
        super::service::add_service(&state, &session, &enrollment_id, &date_provided, &service).await,
    )
}

/// Records a current living situation contact (4.12) on the enrollment.
#[server(prefix = "/api", endpoint = "add_contact")]
pub async fn add_contact(
    enrollment_id: String,
    information_date: String,
    current_living_situation: String,
    location_details: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(
        super::service::add_contact(
            &state,
            &session,
            &enrollment_id,
            &information_date,
            &current_living_situation,
            location_details,
        )
        .await,
    )
}

/// The address of an enrollment's Services page.
pub fn services_path(enrollment_id: &str) -> String {
    format!("/enrollments/{enrollment_id}/services")
}
