//! Client search and the client dashboard (server only).
//!
//! Visibility: client demographics are shared across the CoC, but a client known only
//! to victim service providers (every enrollment in a VSP organization) is invisible
//! outside those organizations, and VSP enrollments are never shown to anyone else.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::api::{ClientDashboard, ClientSummary, DraftRow, EnrollmentRow, HouseholdMemberRow};
use crate::db::audit::{self, Event};
use crate::db::statement;
use crate::db::visibility::{client_name, organization_open, require_visible};
use crate::domain::access::Workgroup;
use crate::domain::codes::{
    NO_YES_REASONS_FOR_MISSING_DATA, PROJECT_TYPE, ProjectType, RELATIONSHIP_TO_HOH, SEX,
};
use crate::domain::dates::age_on;
use crate::domain::enrollment::{EnrollmentAction, EnrollmentState, menu};
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;

/// The enrollment actions whose workflows exist in this release.
pub const BUILT_ACTIONS: &[EnrollmentAction] = &[
    EnrollmentAction::ExitEnrollment,
    EnrollmentAction::EditExit,
    EnrollmentAction::EditProjectEntry,
    EnrollmentAction::UpdateAnnualAssessment,
    EnrollmentAction::MissedUpdateAnnualAssessment,
    EnrollmentAction::ViewHousehold,
    EnrollmentAction::Services,
    EnrollmentAction::ReEnter,
    EnrollmentAction::CeAssessment,
    EnrollmentAction::CeEvents,
];

/// A record's FY2024 retired elements, kept by an import as a JSON object, as
/// (label, value) lines; an unreadable object shows nothing (and says so in the log).
fn retired_lines(json: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<std::collections::BTreeMap<String, String>>(json) {
        Ok(elements) => crate::domain::retired::describe(&elements),
        Err(e) => {
            tracing::warn!(error = %e, "retired elements that do not read as a JSON object");
            Vec::new()
        }
    }
}

/// The client dashboard: header, enrollments with households and menus, drafts.
/// The view is audited.
pub async fn dashboard(
    state: &AppState,
    session: &CurrentSession,
    personal_id: &str,
) -> Result<ClientDashboard, AppError> {
    let context = session.require_context()?;
    let db = &state.db;
    let backend = db.get_database_backend();
    require_visible(db, session, personal_id).await?;
    let today = state.today();
    let hmis_admin = context.workgroup == Workgroup::HmisAdmin;

    let row = db
        .query_one_raw(statement(
            backend,
            "SELECT * FROM clients WHERE personal_id = ?",
            vec![personal_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let dob: Option<NaiveDate> = row.try_get("", "dob")?;
    let veteran: i32 = row.try_get("", "veteran_status")?;
    let sex: Option<i32> = row.try_get("", "sex")?;
    let mut race = Vec::new();
    for (column, label) in crate::domain::codes::RACES {
        let value: i32 = row.try_get("", column)?;
        if value == 1 {
            race.push(label.to_string());
        }
    }
    let client = ClientSummary {
        personal_id: personal_id.to_string(),
        name: client_name(&row)?,
        dob,
        age: dob.and_then(|d| age_on(d, today)),
        veteran_status: NO_YES_REASONS_FOR_MISSING_DATA
            .label(veteran)
            .unwrap_or("Data not collected")
            .to_string(),
        veteran: veteran == 1,
        ssn_last4: row.try_get("", "ssn_last4")?,
        sex: sex.and_then(|s| SEX.label(s)).map(str::to_string),
        race,
        retired: match db
            .query_one_raw(statement(
                backend,
                "SELECT elements FROM retired_client_elements WHERE personal_id = ?",
                vec![personal_id.into()],
            ))
            .await?
        {
            Some(row) => retired_lines(&row.try_get::<String>("", "elements")?),
            None => Vec::new(),
        },
    };

    // Enrollments the viewer may see: not another organization's VSP enrollments.
    let mut sql = String::from(
        "SELECT e.enrollment_id, e.household_id, e.entry_date, e.relationship_to_hoh, \
         p.project_name, p.project_type, o.organization_id, o.organization_name, x.exit_date \
         FROM enrollments e \
         JOIN projects p ON p.project_id = e.project_id \
         JOIN organizations o ON o.organization_id = p.organization_id \
         LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
         WHERE e.personal_id = ? AND e.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = vec![personal_id.into()];
    organization_open("o", &context.organization_id).and_to(&mut sql, &mut values);
    sql.push_str(" ORDER BY (CASE WHEN x.exit_date IS NULL THEN 0 ELSE 1 END), e.entry_date DESC");
    let rows = db.query_all_raw(statement(backend, &sql, values)).await?;

    let ce_exiters = crate::db::settings::ce_exiters(db).await?;
    let mut enrollments = Vec::with_capacity(rows.len());
    for row in &rows {
        let organization_id: String = row.try_get("", "organization_id")?;
        let exit_date: Option<NaiveDate> = row.try_get("", "exit_date")?;
        let editable = hmis_admin || organization_id == context.organization_id;
        let relationship: Option<i32> = row.try_get("", "relationship_to_hoh")?;
        let project_type: Option<i32> = row.try_get("", "project_type")?;
        enrollments.push(EnrollmentRow {
            enrollment_id: row.try_get("", "enrollment_id")?,
            household_id: row.try_get("", "household_id")?,
            project_name: row.try_get("", "project_name")?,
            project_type: project_type
                .and_then(|t| PROJECT_TYPE.label(t))
                .map(str::to_string),
            organization_name: row.try_get("", "organization_name")?,
            entry_date: row.try_get("", "entry_date")?,
            exit_date,
            relationship: relationship_label(relationship),
            household: Vec::new(),
            assessments: Vec::new(),
            editable,
            menu: menu(
                EnrollmentState {
                    exit_date,
                    editable,
                    hmis_admin,
                    today,
                    coordinated_entry: project_type == Some(ProjectType::CoordinatedEntry.code()),
                    workgroup: context.workgroup,
                    ce_exiters: ce_exiters.clone(),
                },
                BUILT_ACTIONS,
            ),
            retired: Vec::new(),
        });
    }
    let households = household_members(db, &enrollments, today).await?;
    // By key: the client's own enrollments.
    let ids: Vec<Value> = enrollments
        .iter()
        .map(|e| e.enrollment_id.clone().into())
        .collect();
    let mut retired = Vec::new();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let sql = format!(
            "SELECT enrollment_id, elements FROM retired_enrollment_elements WHERE enrollment_id IN ({})",
            crate::db::marks(chunk.len())
        );
        retired.extend(db.query_all_raw(statement(backend, &sql, chunk.to_vec())).await?);
    }
    for row in retired {
        let enrollment_id: String = row.try_get("", "enrollment_id")?;
        if let Some(e) = enrollments.iter_mut().find(|e| e.enrollment_id == enrollment_id) {
            e.retired = retired_lines(&row.try_get::<String>("", "elements")?);
        }
    }
    let assessments = db
        .query_all_raw(statement(
            backend,
            "SELECT enrollment_id, data_collection_stage, information_date FROM assessment_events \
             WHERE personal_id = ? AND date_deleted IS NULL ORDER BY information_date, data_collection_stage",
            vec![personal_id.into()],
        ))
        .await?;
    for row in assessments {
        let enrollment_id: String = row.try_get("", "enrollment_id")?;
        let stage: i32 = row.try_get("", "data_collection_stage")?;
        let label = match stage {
            1 => "Entry",
            2 => "Update",
            3 => "Exit",
            5 => "Annual",
            _ => "Assessment",
        };
        if let Some(e) = enrollments.iter_mut().find(|e| e.enrollment_id == enrollment_id) {
            e.assessments
                .push((label.to_string(), row.try_get("", "information_date")?));
        }
    }
    for enrollment in &mut enrollments {
        enrollment.household = households
            .get(&enrollment.household_id)
            .cloned()
            .unwrap_or_default();
    }

    let drafts = client_drafts(state, session, personal_id).await?;
    let mut alerts: Vec<String> = drafts
        .iter()
        .map(|d| format!("{} in progress ({})", d.kind, d.owner))
        .collect();
    if client.veteran {
        alerts.push("Veteran".to_string());
    }
    // Annual assessments due or overdue on the client's open, editable enrollments.
    {
        use crate::db::annual::{annual_dates, head_entry_dates};
        use crate::ui::format::annual_alert;
        let open: Vec<&EnrollmentRow> = enrollments
            .iter()
            .filter(|e| e.exit_date.is_none() && e.editable)
            .collect();
        let heads = head_entry_dates(db, open.iter().map(|e| e.household_id.as_str())).await?;
        let annuals = annual_dates(db, open.iter().map(|e| e.enrollment_id.as_str())).await?;
        for e in open {
            if let Some(start) = heads.get(&e.household_id) {
                let on_record = annuals.get(&e.enrollment_id).cloned().unwrap_or_default();
                if let Some(alert) = annual_alert(crate::domain::annual::status(*start, today, &on_record)) {
                    alerts.push(format!("{alert} ({})", e.project_name));
                }
            }
        }
    }
    let case_managers = db
        .query_all_raw(statement(
            backend,
            "SELECT DISTINCT u.first_name, u.last_name FROM case_assignments a \
             JOIN users u ON u.user_id = a.user_id \
             WHERE a.personal_id = ? AND a.end_date IS NULL ORDER BY u.first_name, u.last_name",
            vec![personal_id.into()],
        ))
        .await?
        .iter()
        .map(user_name)
        .collect::<Result<Vec<_>, _>>()?;

    let reassign_options = if crate::features::caseload::may_reassign(session) {
        Some(crate::features::caseload::case_manager_options(db, &context.organization_id).await?)
    } else {
        None
    };

    audit::record_view(
        state,
        state.now(),
        &session.actor(),
        Event::new("client.view")
            .on("client", personal_id)
            .client(personal_id),
    )
    .await?;

    Ok(ClientDashboard {
        client,
        enrollments,
        drafts,
        alerts,
        case_managers,
        reassign_options,
    })
}

/// A user's full name from `first_name` and `last_name` columns.
fn user_name(row: &QueryResult) -> Result<String, DbErr> {
    let first: String = row.try_get("", "first_name")?;
    let last: String = row.try_get("", "last_name")?;
    Ok(format!("{first} {last}"))
}

pub fn relationship_label(code: Option<i32>) -> String {
    code.and_then(|c| RELATIONSHIP_TO_HOH.label(c))
        .unwrap_or("Not recorded")
        .to_string()
}

/// The members of the households of `enrollments` (one query).
async fn household_members(
    db: &impl ConnectionTrait,
    enrollments: &[EnrollmentRow],
    today: NaiveDate,
) -> Result<HashMap<String, Vec<HouseholdMemberRow>>, DbErr> {
    let mut households: HashMap<String, Vec<HouseholdMemberRow>> = HashMap::new();
    if enrollments.is_empty() {
        return Ok(households);
    }
    let ids: Vec<&String> = enrollments.iter().map(|e| &e.household_id).collect();
    let marks = crate::db::marks(ids.len());
    let sql = format!(
        "SELECT e.household_id, e.personal_id, e.relationship_to_hoh, e.entry_date, x.exit_date, \
         c.first_name, c.middle_name, c.last_name, c.name_suffix, c.dob \
         FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id \
         LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
         WHERE e.household_id IN ({marks}) AND e.date_deleted IS NULL \
         ORDER BY e.household_id, (CASE WHEN e.relationship_to_hoh = 1 THEN 0 ELSE 1 END), e.entry_date"
    );
    let values: Vec<Value> = ids.iter().map(|id| (*id).clone().into()).collect();
    for row in db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        let dob: Option<NaiveDate> = row.try_get("", "dob")?;
        let household_id: String = row.try_get("", "household_id")?;
        households
            .entry(household_id)
            .or_default()
            .push(HouseholdMemberRow {
                personal_id: row.try_get("", "personal_id")?,
                name: client_name(&row)?,
                relationship: relationship_label(row.try_get("", "relationship_to_hoh")?),
                age: dob.and_then(|d| age_on(d, today)),
                entry_date: row.try_get("", "entry_date")?,
                exit_date: row.try_get("", "exit_date")?,
            });
    }
    Ok(households)
}

/// Workflows in progress for this client in the user's organization.
async fn client_drafts(
    state: &AppState,
    session: &CurrentSession,
    personal_id: &str,
) -> Result<Vec<DraftRow>, AppError> {
    let context = session.require_context()?;
    let admin = matches!(context.workgroup, Workgroup::HmisAdmin | Workgroup::AgencyAdmin);
    let db = &state.db;
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT d.draft_id, d.kind, d.user_id, d.updated_at, u.first_name, u.last_name FROM workflow_drafts d \
             JOIN users u ON u.user_id = d.user_id \
             WHERE d.personal_id = ? AND d.organization_id = ? ORDER BY d.updated_at DESC",
            vec![personal_id.into(), context.organization_id.clone().into()],
        ))
        .await?;
    let mut drafts = Vec::with_capacity(rows.len());
    for row in rows {
        let user_id: String = row.try_get("", "user_id")?;
        let kind: String = row.try_get("", "kind")?;
        let mine = user_id == session.user_id;
        let updated_at = row.try_get("", "updated_at")?;
        drafts.push(DraftRow {
            draft_id: row.try_get("", "draft_id")?,
            kind: crate::features::workflows::api::WorkflowKind::from_code(&kind)
                .map(|k| k.label().to_string())
                .unwrap_or(kind),
            owner: user_name(&row)?,
            updated_at,
            saved_at: state.stamp(updated_at),
            mine,
            can_discard: mine || admin,
        });
    }
    Ok(drafts)
}
