//! Services and contacts on the server.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::api::{ContactRow, EnrollmentServices, ServiceRow};
use crate::db::audit::{self, Event};
use crate::db::entities::{current_living_situation, service};
use crate::db::visibility::{EnrollmentAccess, enrollment_access};
use crate::db::{begin_write, new_id, statement};
use crate::domain::codes::{CURRENT_LIVING_SITUATION, ProjectType, RECORD_TYPE};
use crate::domain::input::NOT_A_DATE;
use crate::domain::services::{
    check_date_in_enrollment, records_contacts, type_provided_list, valid_service,
};
use crate::error::{AppError, FieldError};
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::Choice;

fn contacts_recorded(access: &EnrollmentAccess) -> bool {
    access
        .project_type
        .and_then(ProjectType::from_code)
        .is_some_and(records_contacts)
}

/// Every service a project can record, grouped by record type.
pub fn service_choices() -> Vec<Choice> {
    let mut choices = Vec::new();
    for record_type in RECORD_TYPE.values {
        if let Some(list) = type_provided_list(record_type.code) {
            for provided in list.values {
                choices.push(Choice {
                    value: format!("{}:{}", record_type.code, provided.code),
                    label: provided.label.to_string(),
                    group: Some(record_type.label.to_string()),
                });
            }
        }
    }
    choices
}

/// A choice of [`service_choices`] ("record type:type provided") as codes, when it
/// names a service of the HUD lists.
pub fn parse_choice(chosen: &str) -> Option<(i32, i32)> {
    chosen
        .split_once(':')
        .and_then(|(r, t)| Some((r.parse::<i32>().ok()?, t.parse::<i32>().ok()?)))
        .filter(|(r, t)| valid_service(*r, *t))
}

pub async fn services(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<EnrollmentServices, AppError> {
    let db = &state.db;
    let access = enrollment_access(db, session, enrollment_id).await?;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT s.date_provided, s.record_type, s.type_provided, u.first_name, u.last_name FROM services s \
             LEFT JOIN users u ON u.user_id = s.created_by \
             WHERE s.enrollment_id = ? AND s.date_deleted IS NULL ORDER BY s.date_provided DESC LIMIT 500",
            vec![enrollment_id.into()],
        ))
        .await?;
    let mut services = Vec::with_capacity(rows.len());
    for row in rows {
        let record_type: i32 = row.try_get("", "record_type")?;
        let type_provided: i32 = row.try_get("", "type_provided")?;
        let first: Option<String> = row.try_get("", "first_name")?;
        let last: Option<String> = row.try_get("", "last_name")?;
        services.push(ServiceRow {
            date_provided: row.try_get("", "date_provided")?,
            record_type: RECORD_TYPE.label(record_type).unwrap_or("Unknown").to_string(),
            type_provided: type_provided_list(record_type)
                .and_then(|l| l.label(type_provided))
                .unwrap_or("Unknown")
                .to_string(),
            recorded_by: first.zip(last).map(|(f, l)| format!("{f} {l}")),
        });
    }
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT information_date, current_living_situation, location_details FROM current_living_situations \
             WHERE enrollment_id = ? AND date_deleted IS NULL ORDER BY information_date DESC LIMIT 500",
            vec![enrollment_id.into()],
        ))
        .await?;
    let mut contacts = Vec::with_capacity(rows.len());
    for row in rows {
        let situation: i32 = row.try_get("", "current_living_situation")?;
        contacts.push(ContactRow {
            information_date: row.try_get("", "information_date")?,
            living_situation: CURRENT_LIVING_SITUATION
                .label(situation)
                .unwrap_or("Unknown")
                .to_string(),
            location_details: row.try_get("", "location_details")?,
        });
    }
    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("services.view")
            .on("enrollment", enrollment_id)
            .client(&access.personal_id),
    )
    .await?;
    Ok(EnrollmentServices {
        records_contacts: contacts_recorded(&access),
        enrollment_id: access.enrollment_id,
        personal_id: access.personal_id,
        client_name: access.client_name,
        project_name: access.project_name,
        organization_name: access.organization_name,
        entry_date: access.entry_date,
        exit_date: access.exit_date,
        editable: access.editable,
        services,
        contacts,
        service_choices: service_choices(),
    })
}

/// The enrollment, when the user may record on it.
async fn writable(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<EnrollmentAccess, AppError> {
    session.require_workgroup(crate::domain::access::CASE_WORK)?;
    let access = enrollment_access(&state.db, session, enrollment_id).await?;
    if !access.editable {
        return Err(AppError::Forbidden);
    }
    Ok(access)
}

fn date_field(
    field: &str,
    typed: &str,
    access: &EnrollmentAccess,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let date = FieldError::required_date(field, typed, NOT_A_DATE)?;
    check_date_in_enrollment(date, access.entry_date, access.exit_date, today).map_err(|message| {
        FieldError {
            field: field.into(),
            message,
        }
    })?;
    Ok(date)
}

pub async fn add_service(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    date_provided: &str,
    chosen: &str,
) -> Result<(), AppError> {
    let access = writable(state, session, enrollment_id).await?;
    let mut errors = Vec::new();
    let date = date_field("date_provided", date_provided, &access, state.today())
        .map_err(|e| errors.push(e))
        .ok();
    let codes = parse_choice(chosen);
    if codes.is_none() {
        errors.push(FieldError::new("service", "Choose a service from the list."));
    }
    let (Some(date), Some((record_type, type_provided))) = (date, codes) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let services_id = new_id();
    let row = service::ActiveModel {
        services_id: Set(services_id.clone()),
        enrollment_id: Set(access.enrollment_id.clone()),
        personal_id: Set(access.personal_id.clone()),
        date_provided: Set(date),
        record_type: Set(record_type),
        type_provided: Set(type_provided),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(Some(session.user_id.clone())),
        date_deleted: Set(None),
        ..Default::default()
    };
    insert_audited(
        state,
        session,
        row,
        Event::new("service.create")
            .on("service", &services_id)
            .client(&access.personal_id),
    )
    .await
}

pub async fn add_contact(
    state: &AppState,
    session: &CurrentSession,
    enrollment_id: &str,
    information_date: &str,
    situation: &str,
    location_details: Option<String>,
) -> Result<(), AppError> {
    let access = writable(state, session, enrollment_id).await?;
    if !contacts_recorded(&access) {
        return Err(AppError::Conflict(
            "This project does not record current living situation contacts.".into(),
        ));
    }
    let mut errors = Vec::new();
    let date = date_field("information_date", information_date, &access, state.today())
        .map_err(|e| errors.push(e))
        .ok();
    let code = situation
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| CURRENT_LIVING_SITUATION.contains(*c));
    if code.is_none() {
        errors.push(FieldError::new(
            "current_living_situation",
            "Choose the living situation.",
        ));
    }
    let details = location_details
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    if details.as_ref().is_some_and(|d| d.chars().count() > 250) {
        errors.push(FieldError::new("location_details", "At most 250 characters."));
    }
    let (Some(date), Some(code), true) = (date, code, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let id = new_id();
    let row = current_living_situation::ActiveModel {
        current_living_sit_id: Set(id.clone()),
        enrollment_id: Set(access.enrollment_id.clone()),
        personal_id: Set(access.personal_id.clone()),
        information_date: Set(date),
        current_living_situation: Set(code),
        location_details: Set(details),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(Some(session.user_id.clone())),
        date_deleted: Set(None),
        ..Default::default()
    };
    insert_audited(
        state,
        session,
        row,
        Event::new("contact.create")
            .on("current_living_situation", &id)
            .client(&access.personal_id),
    )
    .await
}

/// Inserts one row and its audit entry in one transaction.
async fn insert_audited<A>(
    state: &AppState,
    session: &CurrentSession,
    row: A,
    event: Event<'_>,
) -> Result<(), AppError>
where
    A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    <A::Entity as sea_orm::EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let txn = begin_write(&state.db).await?;
    row.insert(&txn).await?;
    audit::record(&txn, state.now(), &session.actor(), event).await?;
    txn.commit().await?;
    Ok(())
}
