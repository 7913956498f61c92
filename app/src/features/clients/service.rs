//! Client search and the client dashboard (server only).
//!
//! Visibility: client demographics are shared across the CoC, but a client known only
//! to victim service providers (every enrollment in a VSP organization) is invisible
//! outside those organizations, and VSP enrollments are never shown to anyone else.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::api::{
    ClientDashboard, ClientHit, ClientSummary, DraftRow, EnrollmentRow, HouseholdMemberRow, PAGE_SIZE,
    SearchResults,
};
use crate::db::audit::{self, Event};
use crate::db::statement;
use crate::domain::access::Workgroup;
use crate::domain::codes::{
    NO_YES_REASONS_FOR_MISSING_DATA, PROJECT_TYPE, ProjectType, RELATIONSHIP_TO_HOH, SEX,
};
use crate::domain::dates::age_on;
use crate::domain::dedup::{ClientQuery, prefix_upper_bound};
use crate::domain::enrollment::{EnrollmentAction, EnrollmentState, menu};
use crate::error::AppError;
use crate::features::access::guard::CurrentSession;
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

/// SQL: the client `c` may be seen by someone acting in organization `?` — unless every
/// enrollment of theirs is with victim service providers other than that one.
/// Takes three values: true, the viewer's organization ID, false.
const VISIBLE: &str = "(NOT EXISTS (SELECT 1 FROM enrollments ve \
    JOIN projects vp ON vp.project_id = ve.project_id \
    JOIN organizations vo ON vo.organization_id = vp.organization_id \
    WHERE ve.personal_id = c.personal_id AND ve.date_deleted IS NULL \
    AND vo.victim_service_provider = ? AND vo.organization_id <> ?) \
  OR EXISTS (SELECT 1 FROM enrollments we \
    JOIN projects wp ON wp.project_id = we.project_id \
    JOIN organizations wo ON wo.organization_id = wp.organization_id \
    WHERE we.personal_id = c.personal_id AND we.date_deleted IS NULL \
    AND wo.victim_service_provider = ?))";

fn visible_values(organization_id: &str) -> Vec<Value> {
    vec![true.into(), organization_id.into(), false.into()]
}

/// "First Middle Last Suffix" from the parts on record.
pub fn full_name(parts: [Option<String>; 4]) -> String {
    let name = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        "(no name recorded)".to_string()
    } else {
        name
    }
}

fn name_of(row: &QueryResult) -> Result<String, DbErr> {
    Ok(full_name([
        row.try_get("", "first_name")?,
        row.try_get("", "middle_name")?,
        row.try_get("", "last_name")?,
        row.try_get("", "name_suffix")?,
    ]))
}

/// The SQL of a client search (`?` placeholders) and its values: indexed prefix ranges
/// on the name keys, equality on ID, date of birth and SSN last four, the visibility
/// rule, one page in name order (one row more than a page, to tell if more follow).
pub fn search_sql(query: &ClientQuery, organization_id: &str, page: u64) -> (String, Vec<Value>) {
    let mut sql = String::from(
        "SELECT c.personal_id, c.first_name, c.middle_name, c.last_name, c.name_suffix, c.dob, \
         c.ssn_last4, c.veteran_status FROM clients c WHERE c.date_deleted IS NULL",
    );
    let mut values: Vec<Value> = Vec::new();
    if let Some(id) = &query.personal_id {
        sql.push_str(" AND c.personal_id = ?");
        values.push(id.clone().into());
    }
    for (column, prefix) in [
        ("c.last_name_key", &query.last),
        ("c.first_name_key", &query.first),
    ] {
        if let Some(prefix) = prefix {
            // The range uses the index in any collation; LIKE keeps the match exact.
            sql.push_str(&format!(" AND {column} >= ? AND {column} LIKE ?"));
            values.push(prefix.clone().into());
            values.push(format!("{prefix}%").into());
            if let Some(upper) = prefix_upper_bound(prefix) {
                sql.push_str(&format!(" AND {column} < ?"));
                values.push(upper.into());
            }
        }
    }
    if let Some(dob) = query.dob {
        sql.push_str(" AND c.dob = ?");
        values.push(dob.into());
    }
    if let Some(last4) = &query.ssn_last4 {
        sql.push_str(" AND c.ssn_last4 = ?");
        values.push(last4.clone().into());
    }
    sql.push_str(" AND ");
    sql.push_str(VISIBLE);
    values.extend(visible_values(organization_id));
    sql.push_str(" ORDER BY c.last_name_key, c.first_name_key, c.personal_id LIMIT ? OFFSET ?");
    values.push(((PAGE_SIZE + 1) as i64).into());
    values.push(((page.min(10_000) * PAGE_SIZE) as i64).into());
    (sql, values)
}

/// One page of clients matching `query`, as the user may see them.
pub async fn search(
    state: &AppState,
    session: &CurrentSession,
    query: &ClientQuery,
    page: u64,
) -> Result<SearchResults, AppError> {
    let context = session.require_context()?;
    if query.is_empty() {
        return Ok(SearchResults {
            empty_query: true,
            ..Default::default()
        });
    }
    let db = &state.db;
    let (sql, values) = search_sql(query, &context.organization_id, page);
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let has_more = rows.len() as u64 > PAGE_SIZE;
    let today = state.today();
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows.iter().take(PAGE_SIZE as usize) {
        let dob: Option<NaiveDate> = row.try_get("", "dob")?;
        let veteran: i32 = row.try_get("", "veteran_status")?;
        hits.push(ClientHit {
            personal_id: row.try_get("", "personal_id")?,
            name: name_of(row)?,
            dob,
            age: dob.and_then(|d| age_on(d, today)),
            ssn_last4: row.try_get("", "ssn_last4")?,
            veteran: veteran == 1,
            enrollments: Vec::new(),
        });
    }
    let open = open_enrollments(db, &hits, &context.organization_id).await?;
    for hit in &mut hits {
        hit.enrollments = open.get(&hit.personal_id).cloned().unwrap_or_default();
    }
    let exact = match (&query.personal_id, hits.as_slice()) {
        (Some(_), [only]) => Some(only.personal_id.clone()),
        _ => None,
    };
    Ok(SearchResults {
        hits,
        page,
        has_more,
        exact,
        empty_query: false,
    })
}

/// The projects of the open enrollments of `hits` (one query), as the viewer may see them.
async fn open_enrollments(
    db: &impl ConnectionTrait,
    hits: &[ClientHit],
    organization_id: &str,
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    let mut open: HashMap<String, Vec<String>> = HashMap::new();
    if hits.is_empty() {
        return Ok(open);
    }
    let marks = crate::db::marks(hits.len());
    let sql = format!(
        "SELECT e.personal_id, p.project_name FROM enrollments e \
         JOIN projects p ON p.project_id = e.project_id \
         JOIN organizations o ON o.organization_id = p.organization_id \
         LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
         WHERE e.personal_id IN ({marks}) AND e.date_deleted IS NULL AND x.exit_id IS NULL \
         AND (o.victim_service_provider = ? OR o.organization_id = ?) \
         ORDER BY e.entry_date DESC"
    );
    let mut values: Vec<Value> = hits.iter().map(|h| h.personal_id.clone().into()).collect();
    values.push(false.into());
    values.push(organization_id.into());
    for row in db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        let personal_id: String = row.try_get("", "personal_id")?;
        open.entry(personal_id)
            .or_default()
            .push(row.try_get("", "project_name")?);
    }
    Ok(open)
}

/// Refuses (as "not found") a client the user may not see.
pub async fn require_visible(
    db: &impl ConnectionTrait,
    session: &CurrentSession,
    personal_id: &str,
) -> Result<(), AppError> {
    let context = session.require_context()?;
    let sql = format!(
        "SELECT c.personal_id FROM clients c WHERE c.personal_id = ? AND c.date_deleted IS NULL AND {VISIBLE}"
    );
    let mut values: Vec<Value> = vec![personal_id.into()];
    values.extend(visible_values(&context.organization_id));
    match db
        .query_one_raw(statement(db.get_database_backend(), &sql, values))
        .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::NotFound),
    }
}

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
        name: name_of(&row)?,
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
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT e.enrollment_id, e.household_id, e.entry_date, e.relationship_to_hoh, \
             p.project_name, p.project_type, o.organization_id, o.organization_name, x.exit_date \
             FROM enrollments e \
             JOIN projects p ON p.project_id = e.project_id \
             JOIN organizations o ON o.organization_id = p.organization_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.personal_id = ? AND e.date_deleted IS NULL \
             AND (o.victim_service_provider = ? OR o.organization_id = ?) \
             ORDER BY (CASE WHEN x.exit_date IS NULL THEN 0 ELSE 1 END), e.entry_date DESC",
            vec![
                personal_id.into(),
                false.into(),
                context.organization_id.clone().into(),
            ],
        ))
        .await?;
    let ce_exiters = crate::features::coordinated_entry::settings::ce_exiters(db).await?;
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
        use crate::features::caseload::service::{annual_alert, annual_dates, head_entry_dates};
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

    let reassign_options = if crate::features::caseload::service::may_reassign(session) {
        Some(crate::features::caseload::service::case_manager_options(db, &context.organization_id).await?)
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
                name: name_of(&row)?,
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

/// An enrollment as one user may reach it.
#[derive(Clone, Debug)]
pub struct EnrollmentAccess {
    pub enrollment_id: String,
    pub personal_id: String,
    pub client_name: String,
    pub project_id: String,
    pub project_name: String,
    pub project_type: Option<i32>,
    pub organization_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    /// The user acts in the owning organization (or is an HMIS admin).
    pub editable: bool,
}

/// Loads an enrollment the user may see: never another organization's victim service
/// provider enrollment (that is "not found").
pub async fn enrollment_access(
    db: &impl ConnectionTrait,
    session: &CurrentSession,
    enrollment_id: &str,
) -> Result<EnrollmentAccess, AppError> {
    let context = session.require_context()?;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT e.enrollment_id, e.personal_id, e.project_id, e.entry_date, p.project_name, p.project_type, \
             o.organization_id, o.organization_name, o.victim_service_provider, x.exit_date, \
             c.first_name, c.middle_name, c.last_name, c.name_suffix \
             FROM enrollments e JOIN projects p ON p.project_id = e.project_id \
             JOIN organizations o ON o.organization_id = p.organization_id \
             JOIN clients c ON c.personal_id = e.personal_id \
             LEFT JOIN exits x ON x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL \
             WHERE e.enrollment_id = ? AND e.date_deleted IS NULL",
            vec![enrollment_id.into()],
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    let organization_id: String = row.try_get("", "organization_id")?;
    let vsp: bool = row.try_get("", "victim_service_provider")?;
    let own = organization_id == context.organization_id;
    if vsp && !own {
        return Err(AppError::NotFound);
    }
    Ok(EnrollmentAccess {
        enrollment_id: row.try_get("", "enrollment_id")?,
        personal_id: row.try_get("", "personal_id")?,
        client_name: name_of(&row)?,
        project_id: row.try_get("", "project_id")?,
        project_name: row.try_get("", "project_name")?,
        project_type: row.try_get("", "project_type")?,
        organization_name: row.try_get("", "organization_name")?,
        entry_date: row.try_get("", "entry_date")?,
        exit_date: row.try_get("", "exit_date")?,
        editable: own || context.workgroup == Workgroup::HmisAdmin,
    })
}
