//! The world the households are generated against, read from the database once: the
//! projects, the users who take cases, the CoC's Coordinated Entry questions. Each is
//! read in a stable order, so the same database gives the same households.

use app::db::entities::{ce_question, organization, project, project_coc, user, user_access};
use app::domain::access::Workgroup;
use app::domain::ce::Choice;
use app::domain::codes::ProjectType;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::household::{CaseManager, CeQuestion, ProjectInfo, World};

/// The projects households may be enrolled in: every live project with a project type
/// and no operating end before `today`, by name (a stable order).
pub async fn load_projects(db: &DatabaseConnection, today: NaiveDate) -> Result<Vec<ProjectInfo>, DbErr> {
    let organizations = organization::Entity::find().all(db).await?;
    let cocs = project_coc::Entity::find()
        .order_by_asc(project_coc::Column::CocCode)
        .all(db)
        .await?;
    let projects = project::Entity::find()
        .order_by_asc(project::Column::ProjectName)
        .order_by_asc(project::Column::ProjectId)
        .all(db)
        .await?;
    Ok(projects
        .into_iter()
        .filter(|p| p.date_deleted.is_none() && p.operating_end_date.is_none_or(|end| end >= today))
        .filter_map(|p| {
            let kind = ProjectType::from_code(p.project_type?)?;
            let victim_service = organizations
                .iter()
                .any(|o| o.organization_id == p.organization_id && o.victim_service_provider);
            let coc_code = cocs
                .iter()
                .find(|c| c.project_id == p.project_id && c.date_deleted.is_none())
                .map_or_else(|| crate::accounts::DEMO_COC.0.to_string(), |c| c.coc_code.clone());
            Some(ProjectInfo {
                project_id: p.project_id,
                name: p.project_name,
                kind,
                organization_id: p.organization_id,
                victim_service,
                coc_code,
                operating_start: p.operating_start_date,
                auto_exit: p.auto_exit_days.map(|days| (days, p.auto_alert_days)),
            })
        })
        .collect())
}

/// The active users with case manager access, each with every organization they take
/// cases in, by username.
pub async fn load_case_managers(db: &DatabaseConnection) -> Result<Vec<CaseManager>, DbErr> {
    let users = user::Entity::find()
        .filter(user::Column::IsActive.eq(true))
        .filter(user::Column::UserId.ne(app::db::SYSTEM_USER_ID))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    let access = user_access::Entity::find()
        .filter(user_access::Column::Workgroup.eq(Workgroup::CaseManager.code()))
        .order_by_asc(user_access::Column::OrganizationId)
        .all(db)
        .await?;
    Ok(users
        .iter()
        .flat_map(|u| {
            access
                .iter()
                .filter(move |a| a.user_id == u.user_id)
                .map(|a| CaseManager {
                    user_id: a.user_id.clone(),
                    organization_id: a.organization_id.clone(),
                })
        })
        .collect())
}

/// The CoC's active CE questions with their choices, in order.
pub async fn load_ce_questions(db: &DatabaseConnection) -> Result<Vec<CeQuestion>, DbErr> {
    let questions = ce_question::Entity::find()
        .filter(ce_question::Column::Active.eq(true))
        .order_by_asc(ce_question::Column::Position)
        .order_by_asc(ce_question::Column::CreatedAt)
        .order_by_asc(ce_question::Column::QuestionId)
        .all(db)
        .await?;
    Ok(questions
        .into_iter()
        .filter_map(|q| {
            let choices: Vec<Choice> = serde_json::from_str(&q.choices).ok()?;
            (!choices.is_empty()).then(|| CeQuestion::new(q.position, q.question, choices))
        })
        .collect())
}

/// Everything households are generated against (None: no project to enroll in).
pub async fn load_world(
    db: &DatabaseConnection,
    seed: u64,
    today: NaiveDate,
) -> Result<Option<World>, DbErr> {
    let projects = load_projects(db, today).await?;
    if projects.is_empty() {
        return Ok(None);
    }
    Ok(Some(World::new(
        seed,
        today,
        projects,
        load_case_managers(db).await?,
        load_ce_questions(db).await?,
    )))
}
