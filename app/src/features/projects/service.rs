//! Projects, project CoCs and funders on the database.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    Set,
};

use super::api::{FunderRow, ProjectCocRow, ProjectDetail, ProjectFields, ProjectList, ProjectRow};
use crate::db::audit::{self, Event};
use crate::db::entities::{funder, organization, project, project_coc};
use crate::domain::access::Workgroup;
use crate::domain::codes::{GEOGRAPHY_TYPE, ProjectType};
use crate::domain::input::optional_text;
use crate::domain::projects::{self, FunderDraft, Problem, ProjectDraft};
use crate::error::{AppError, FieldError};
use crate::features::admin::managed_organizations;
use crate::session::{ActingContext, CurrentSession};
use crate::state::AppState;

// ---------------------------------------------------------------------------
// Form values

/// A select or number box: `None` when empty, a field error when not a whole number.
pub fn optional_code(field: &str, value: Option<String>) -> Result<Option<i32>, AppError> {
    match optional_text(value) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| AppError::field(field, "Enter a whole number.")),
    }
}

fn invalid(problems: Vec<Problem>) -> Result<(), AppError> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(AppError::Validation(
        problems
            .into_iter()
            .map(|(field, message)| FieldError::new(field, message))
            .collect(),
    ))
}

// ---------------------------------------------------------------------------
// Reading

fn is_hmis_admin(context: &ActingContext) -> bool {
    context.workgroup == Workgroup::HmisAdmin
}

pub async fn list(state: &AppState, admin: &CurrentSession) -> Result<ProjectList, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let mut query = project::Entity::find()
        .filter(project::Column::DateDeleted.is_null())
        .find_also_related(organization::Entity)
        .order_by_asc(project::Column::ProjectName);
    if !is_hmis_admin(context) {
        query = query.filter(project::Column::OrganizationId.eq(&context.organization_id));
    }
    let rows = query.all(&state.db).await?;
    let ids: Vec<String> = rows.iter().map(|(p, _)| p.project_id.clone()).collect();
    // One query each for the page's CoCs and funders, not one per project.
    let cocs = project_coc::Entity::find()
        .filter(project_coc::Column::ProjectId.is_in(ids.clone()))
        .filter(project_coc::Column::DateDeleted.is_null())
        .order_by_asc(project_coc::Column::CocCode)
        .all(&state.db)
        .await?;
    let funders = funder::Entity::find()
        .filter(funder::Column::ProjectId.is_in(ids))
        .filter(funder::Column::DateDeleted.is_null())
        .all(&state.db)
        .await?;
    let projects = rows
        .into_iter()
        .map(|(p, org)| ProjectRow {
            coc_codes: cocs
                .iter()
                .filter(|c| c.project_id == p.project_id)
                .map(|c| c.coc_code.clone())
                .collect(),
            funders: funders.iter().filter(|f| f.project_id == p.project_id).count(),
            organization_name: org.map(|o| o.organization_name).unwrap_or_default(),
            project_id: p.project_id,
            project_name: p.project_name,
            project_type: p.project_type,
            operating_start_date: p.operating_start_date,
            operating_end_date: p.operating_end_date,
            ce_participating: p.ce_participating,
        })
        .collect();
    Ok(ProjectList {
        projects,
        organizations: managed_organizations(&state.db, context).await?,
    })
}

/// The project, if this administrator manages it: `NotFound` when there is none,
/// `Forbidden` when it belongs to another organization.
async fn managed_project(
    db: &impl ConnectionTrait,
    context: &ActingContext,
    project_id: &str,
) -> Result<project::Model, AppError> {
    let found = project::Entity::find_by_id(project_id.to_string())
        .one(db)
        .await?
        .filter(|p| p.date_deleted.is_none())
        .ok_or(AppError::NotFound)?;
    if !is_hmis_admin(context) && found.organization_id != context.organization_id {
        return Err(AppError::Forbidden);
    }
    Ok(found)
}

pub async fn detail(
    state: &AppState,
    admin: &CurrentSession,
    project_id: &str,
) -> Result<ProjectDetail, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let p = managed_project(&state.db, context, project_id).await?;
    let organization_name = organization::Entity::find_by_id(p.organization_id.clone())
        .one(&state.db)
        .await?
        .map(|o| o.organization_name)
        .unwrap_or_default();
    let cocs = project_coc::Entity::find()
        .filter(project_coc::Column::ProjectId.eq(project_id))
        .filter(project_coc::Column::DateDeleted.is_null())
        .order_by_asc(project_coc::Column::CocCode)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| ProjectCocRow {
            project_coc_id: c.project_coc_id,
            coc_code: c.coc_code,
            geocode: c.geocode,
            city: c.city,
            state: c.state,
            zip: c.zip,
            geography_type: c.geography_type,
        })
        .collect();
    let funders = funder::Entity::find()
        .filter(funder::Column::ProjectId.eq(project_id))
        .filter(funder::Column::DateDeleted.is_null())
        .order_by_asc(funder::Column::StartDate)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|f| FunderRow {
            funder_id: f.funder_id,
            funder: f.funder,
            other_funder: f.other_funder,
            grant_id: f.grant_id,
            start_date: f.start_date,
            end_date: f.end_date,
        })
        .collect();
    Ok(ProjectDetail {
        fields: ProjectFields {
            project_id: Some(p.project_id),
            organization_id: p.organization_id,
            project_name: p.project_name,
            project_common_name: p.project_common_name,
            project_type: p.project_type,
            housing_type: p.housing_type,
            rrh_sub_type: p.rrh_sub_type,
            target_population: p.target_population,
            continuum_project: p.continuum_project == 1,
            operating_start_date: Some(p.operating_start_date),
            operating_end_date: p.operating_end_date,
            auto_exit_days: p.auto_exit_days,
            auto_alert_days: p.auto_alert_days,
            ce_participating: p.ce_participating,
        },
        organization_name,
        cocs,
        funders,
    })
}

// ---------------------------------------------------------------------------
// Writing

/// Creates or updates a project; answers its ID.
pub async fn save(
    state: &AppState,
    admin: &CurrentSession,
    fields: ProjectFields,
) -> Result<String, AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let project_type = match fields.project_type {
        Some(code) => Some(
            ProjectType::from_code(code)
                .ok_or_else(|| AppError::field("project_type", "Choose a project type from the list."))?,
        ),
        None => None,
    };
    let draft = ProjectDraft {
        project_name: fields.project_name.clone(),
        project_type,
        housing_type: fields.housing_type,
        rrh_sub_type: fields.rrh_sub_type,
        target_population: fields.target_population,
        operating_start_date: fields.operating_start_date,
        operating_end_date: fields.operating_end_date,
        auto_exit_days: fields.auto_exit_days,
        auto_alert_days: fields.auto_alert_days,
    };
    let mut problems = projects::check_project(&draft);
    if fields
        .project_common_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > projects::MAX_NAME_LEN)
    {
        problems.push(("project_common_name", "Use at most 200 characters."));
    }
    let (Some(start), Some(project_type)) = (fields.operating_start_date, project_type) else {
        invalid(problems)?;
        return Err(AppError::Internal);
    };
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = match &fields.project_id {
        Some(id) => Some(managed_project(&txn, context, id).await?),
        None => None,
    };
    // A new project goes to an organization this admin manages; an existing one stays
    // where it is unless an HMIS admin moves it.
    let organization_id = match (&existing, fields.organization_id.as_str()) {
        (Some(p), "") => p.organization_id.clone(),
        (_, "") => {
            problems.push((
                "organization_id",
                "Choose the organization that runs the project.",
            ));
            String::new()
        }
        (_, id) => {
            if !is_hmis_admin(context) && id != context.organization_id {
                return Err(AppError::Forbidden);
            }
            let exists = organization::Entity::find_by_id(id.to_string())
                .one(&txn)
                .await?
                .is_some_and(|o| o.date_deleted.is_none());
            if !exists {
                problems.push(("organization_id", "Choose an organization from the list."));
            }
            id.to_string()
        }
    };
    invalid(problems)?;
    let name = fields.project_name.trim().to_string();
    let (id, action) = match existing {
        Some(found) => {
            let id = found.project_id.clone();
            let mut active = found.into_active_model();
            active.organization_id = Set(organization_id);
            active.project_name = Set(name);
            active.project_common_name = Set(fields.project_common_name);
            active.project_type = Set(Some(project_type.code()));
            active.housing_type = Set(fields.housing_type);
            active.rrh_sub_type = Set(fields.rrh_sub_type);
            active.residential_affiliation = Set(None);
            active.target_population = Set(fields.target_population);
            active.continuum_project = Set(i32::from(fields.continuum_project));
            active.operating_start_date = Set(start);
            active.operating_end_date = Set(fields.operating_end_date);
            active.auto_exit_days = Set(fields.auto_exit_days);
            active.auto_alert_days = Set(fields.auto_alert_days);
            active.ce_participating = Set(fields.ce_participating);
            active.updated_at = Set(now);
            active.update(&txn).await?;
            (id, "project_updated")
        }
        None => {
            let id = crate::db::new_id();
            project::ActiveModel {
                project_id: Set(id.clone()),
                organization_id: Set(organization_id),
                project_name: Set(name),
                project_common_name: Set(fields.project_common_name),
                operating_start_date: Set(start),
                operating_end_date: Set(fields.operating_end_date),
                continuum_project: Set(i32::from(fields.continuum_project)),
                project_type: Set(Some(project_type.code())),
                housing_type: Set(fields.housing_type),
                rrh_sub_type: Set(fields.rrh_sub_type),
                residential_affiliation: Set(None),
                target_population: Set(fields.target_population),
                hopwa_med_assisted_living_fac: Set(None),
                pit_count: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(Some(admin.user_id.clone())),
                date_deleted: Set(None),
                auto_exit_days: Set(fields.auto_exit_days),
                auto_alert_days: Set(fields.auto_alert_days),
                ce_participating: Set(fields.ce_participating),
            }
            .insert(&txn)
            .await?;
            (id, "project_created")
        }
    };
    sync_ce_participation(
        &txn,
        &id,
        fields.ce_participating,
        state.today(),
        now,
        &admin.user_id,
    )
    .await?;
    audit::record(&txn, now, &admin.actor(), Event::new(action).on("project", &id)).await?;
    txn.commit().await?;
    Ok(id)
}

/// Keeps HUD 2.09 (CEParticipation.csv) in step with "takes part in Coordinated
/// Entry": a period that receives referrals opens today when the project joins, and
/// the open period ends today when it leaves.
async fn sync_ce_participation(
    db: &impl sea_orm::ConnectionTrait,
    project_id: &str,
    participating: bool,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    user_id: &str,
) -> Result<(), AppError> {
    use crate::db::entities::ce_participation;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let open = ce_participation::Entity::find()
        .filter(ce_participation::Column::ProjectId.eq(project_id))
        .filter(ce_participation::Column::CeParticipationStatusEndDate.is_null())
        .filter(ce_participation::Column::DateDeleted.is_null())
        .one(db)
        .await?;
    match (participating, open) {
        (true, None) => {
            ce_participation::ActiveModel {
                ce_participation_id: Set(crate::db::new_id()),
                project_id: Set(project_id.to_string()),
                access_point: Set(0),
                prevention_assessment: Set(None),
                crisis_assessment: Set(None),
                housing_assessment: Set(None),
                direct_services: Set(None),
                receives_referrals: Set(Some(1)),
                ce_participation_status_start_date: Set(today),
                ce_participation_status_end_date: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(Some(user_id.to_string())),
                date_deleted: Set(None),
            }
            .insert(db)
            .await?;
        }
        (false, Some(period)) => {
            let mut active = period.into_active_model();
            active.ce_participation_status_end_date = Set(Some(today));
            active.updated_at = Set(now);
            active.update(db).await?;
        }
        _ => {}
    }
    Ok(())
}

pub async fn add_funder(
    state: &AppState,
    admin: &CurrentSession,
    project_id: &str,
    draft: FunderDraft,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    managed_project(&state.db, context, project_id).await?;
    invalid(projects::check_funder(&draft))?;
    let (Some(funder_code), Some(start_date)) = (draft.funder, draft.start_date) else {
        return Err(AppError::Internal);
    };
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let id = crate::db::new_id();
    funder::ActiveModel {
        funder_id: Set(id.clone()),
        project_id: Set(project_id.to_string()),
        funder: Set(funder_code),
        other_funder: Set(
            (funder_code == projects::FUNDER_LOCAL_OR_OTHER).then(|| draft.other_funder.trim().to_string())
        ),
        grant_id: Set(draft.grant_id.trim().to_string()),
        start_date: Set(start_date),
        end_date: Set(draft.end_date),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(Some(admin.user_id.clone())),
        date_deleted: Set(None),
    }
    .insert(&txn)
    .await?;
    audited(
        txn,
        state,
        admin,
        "funder_added",
        project_id,
        format!("funder {id}"),
    )
    .await
}

pub async fn remove_funder(
    state: &AppState,
    admin: &CurrentSession,
    funder_id: &str,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let found = funder::Entity::find_by_id(funder_id.to_string())
        .one(&state.db)
        .await?
        .filter(|f| f.date_deleted.is_none())
        .ok_or(AppError::NotFound)?;
    managed_project(&state.db, context, &found.project_id).await?;
    let project_id = found.project_id.clone();
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = found.into_active_model();
    active.date_deleted = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audited(
        txn,
        state,
        admin,
        "funder_removed",
        &project_id,
        format!("funder {funder_id}"),
    )
    .await
}

/// Records a change to a project's descriptor in the audit log and commits it.
async fn audited(
    txn: sea_orm::DatabaseTransaction,
    state: &AppState,
    admin: &CurrentSession,
    action: &str,
    project_id: &str,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        &txn,
        state.now(),
        &admin.actor(),
        Event::new(action).on("project", project_id).detail(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// 2.03 CoC information, as entered.
#[derive(Clone, Debug)]
pub struct NewProjectCoc {
    pub coc_code: String,
    pub geocode: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub geography_type: Option<i32>,
}

pub async fn add_project_coc(
    state: &AppState,
    admin: &CurrentSession,
    project_id: &str,
    coc: NewProjectCoc,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    managed_project(&state.db, context, project_id).await?;
    let mut problems = projects::check_coc(&coc.coc_code, &coc.geocode);
    if coc.geography_type.is_some_and(|g| !GEOGRAPHY_TYPE.contains(g)) {
        problems.push(("geography_type", "Choose a geography type from the list."));
    }
    if coc
        .state
        .as_ref()
        .is_some_and(|s| s.len() != 2 || !s.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        problems.push(("state_code", "Use the two-letter state code."));
    }
    if coc
        .zip
        .as_ref()
        .is_some_and(|z| z.len() != 5 || !z.bytes().all(|b| b.is_ascii_digit()))
    {
        problems.push(("zip", "Use the five-digit ZIP code."));
    }
    if coc.city.as_ref().is_some_and(|c| c.chars().count() > 50) {
        problems.push(("city", "Use at most 50 characters."));
    }
    let coc_code = coc.coc_code.trim().to_string();
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let already = project_coc::Entity::find()
        .filter(project_coc::Column::ProjectId.eq(project_id))
        .filter(project_coc::Column::CocCode.eq(&coc_code))
        .filter(project_coc::Column::DateDeleted.is_null())
        .one(&txn)
        .await?;
    if already.is_some() {
        problems.push(("coc_code", "The project already has this CoC."));
    }
    invalid(problems)?;
    let id = crate::db::new_id();
    project_coc::ActiveModel {
        project_coc_id: Set(id.clone()),
        project_id: Set(project_id.to_string()),
        coc_code: Set(coc_code),
        geocode: Set(coc.geocode.trim().to_string()),
        address1: Set(None),
        address2: Set(None),
        city: Set(coc.city),
        state: Set(coc.state.map(|s| s.to_ascii_uppercase())),
        zip: Set(coc.zip),
        geography_type: Set(coc.geography_type),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(Some(admin.user_id.clone())),
        date_deleted: Set(None),
    }
    .insert(&txn)
    .await?;
    audited(
        txn,
        state,
        admin,
        "project_coc_added",
        project_id,
        format!("project CoC {id}"),
    )
    .await
}

pub async fn remove_project_coc(
    state: &AppState,
    admin: &CurrentSession,
    project_coc_id: &str,
) -> Result<(), AppError> {
    let context = admin.require_workgroup(&[Workgroup::AgencyAdmin])?;
    let found = project_coc::Entity::find_by_id(project_coc_id.to_string())
        .one(&state.db)
        .await?
        .filter(|c| c.date_deleted.is_none())
        .ok_or(AppError::NotFound)?;
    managed_project(&state.db, context, &found.project_id).await?;
    let project_id = found.project_id.clone();
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = found.into_active_model();
    active.date_deleted = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    audited(
        txn,
        state,
        admin,
        "project_coc_removed",
        &project_id,
        format!("project CoC {project_coc_id}"),
    )
    .await
}
