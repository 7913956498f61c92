//! Demo organizations, projects and users for `hearth serve --demo` (what `make run`
//! starts): created once, on an empty database, and printed with their password. A
//! production start (without `--demo`) creates none.

use app::db::entities::{funder, project, project_coc};
use app::domain::access::Workgroup;
use app::domain::codes::ProjectType;
use app::error::AppError;
use app::features::access::service::{NewUser, create_organization, create_user};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

/// The one password of every demo user. Demo only.
pub const DEMO_PASSWORD: &str = "Demo-pass-2026";

/// Access rows of a demo user: (index into DEMO_ORGANIZATIONS, workgroup).
pub type DemoAccess = &'static [(usize, Workgroup)];

/// (username, first name, last name, access)
pub const DEMO_USERS: &[(&str, &str, &str, DemoAccess)] = &[
    ("admin", "Alex", "Admin", &[(0, Workgroup::HmisAdmin)]),
    ("casemanager", "Casey", "Manning", &[(1, Workgroup::CaseManager)]),
    ("outreach", "Olivia", "Reyes", &[(2, Workgroup::CaseManager)]),
    ("supervisor", "Sam", "Porter", &[(1, Workgroup::Supervisor)]),
    ("agencyadmin", "Ada", "Nguyen", &[(1, Workgroup::AgencyAdmin)]),
    ("plm", "Priya", "Lopez", &[(3, Workgroup::PriorityListManager)]),
    ("assessor", "Andre", "Sellers", &[(3, Workgroup::CeAssessor)]),
    (
        "multi",
        "Morgan",
        "Ellis",
        &[
            (1, Workgroup::CaseManager),
            (2, Workgroup::CaseManager),
            (2, Workgroup::Supervisor),
        ],
    ),
];

/// (name, coordinated entry, victim service provider)
pub const DEMO_ORGANIZATIONS: &[(&str, bool, bool)] = &[
    ("HMIS Lead Agency", false, false),
    ("Riverside Family Shelter", false, false),
    ("Northside Street Outreach", false, false),
    ("Coordinated Entry Hub", true, false),
    ("Safe Harbor DV Services", false, true),
];

/// The demo CoC's Coordinated Entry prioritization questions: (question, choices as
/// `label = points` lines).
pub const DEMO_CE_QUESTIONS: &[(&str, &str)] = &[
    (
        "Where did the household sleep last night?",
        "Outside or a place not meant for habitation = 3\nEmergency shelter or safe haven = 2\nWith friends or family = 1\nSomewhere else = 0",
    ),
    (
        "How many times has the household been homeless in the past three years?",
        "Four or more times = 3\nTwo or three times = 2\nThis is the first time = 0",
    ),
    (
        "Does anyone in the household have a long-lasting health condition or disability?",
        "Yes = 2\nNo = 0",
    ),
    (
        "Has anyone in the household used the emergency room in the past six months?",
        "Yes = 1\nNo = 0",
    ),
];

/// The demo CoC: St. Louis County (its geocode is the county's).
pub const DEMO_COC: (&str, &str) = ("MO-500", "299189");

/// A demo project: (organization index, name, type, housing type, RRH subtype,
/// auto-alert days, auto-exit days, takes CE referrals, 2.06.1 funder code).
type DemoProject = (
    usize,
    &'static str,
    ProjectType,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    bool,
    i32,
);

pub const DEMO_PROJECTS: &[DemoProject] = &[
    (
        1,
        "Riverside Family Shelter",
        ProjectType::EsEntryExit,
        Some(1),
        None,
        None,
        None,
        false,
        8,
    ),
    (
        1,
        "Riverside Rapid Re-Housing",
        ProjectType::PhRapidReHousing,
        Some(3),
        Some(2),
        None,
        None,
        true,
        3,
    ),
    (
        1,
        "Riverside Permanent Supportive Housing",
        ProjectType::PhPermanentSupportiveHousing,
        Some(2),
        None,
        None,
        None,
        true,
        2,
    ),
    (
        1,
        "Riverside Transitional Living",
        ProjectType::TransitionalHousing,
        Some(1),
        None,
        None,
        None,
        true,
        5,
    ),
    (
        2,
        "Northside Street Outreach",
        ProjectType::StreetOutreach,
        None,
        None,
        Some(300),
        Some(365),
        false,
        11,
    ),
    (
        2,
        "Northside Night Shelter",
        ProjectType::EsNightByNight,
        Some(1),
        None,
        Some(30),
        Some(45),
        false,
        8,
    ),
    (
        2,
        "Northside Homelessness Prevention",
        ProjectType::HomelessnessPrevention,
        None,
        None,
        None,
        None,
        false,
        9,
    ),
    (
        3,
        "CoC Coordinated Entry",
        ProjectType::CoordinatedEntry,
        None,
        None,
        None,
        None,
        false,
        4,
    ),
    (
        4,
        "Safe Harbor Emergency Shelter",
        ProjectType::EsEntryExit,
        Some(1),
        None,
        None,
        None,
        false,
        8,
    ),
    (
        4,
        "Safe Harbor Rapid Re-Housing",
        ProjectType::PhRapidReHousing,
        Some(3),
        Some(2),
        None,
        None,
        true,
        3,
    ),
    // Case management without housing: households that stop coming are auto-exited
    // (the suggested services-only periods, 90 days, warned at 80).
    (
        1,
        "Riverside Community Case Management",
        ProjectType::ServicesOnly,
        None,
        None,
        Some(80),
        Some(90),
        false,
        4,
    ),
];

/// Creates the demo projects with their CoC and one funder each.
async fn seed_projects(
    db: &DatabaseConnection,
    organizations: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let start = NaiveDate::from_ymd_opt(2019, 7, 1).unwrap_or_default();
    for (i, (org, name, kind, housing, rrh, alert, exit, ce, funder_code)) in DEMO_PROJECTS.iter().enumerate()
    {
        let project_id = app::db::new_id();
        project::ActiveModel {
            project_id: Set(project_id.clone()),
            organization_id: Set(organizations[*org].clone()),
            project_name: Set(name.to_string()),
            project_common_name: Set(None),
            operating_start_date: Set(start),
            operating_end_date: Set(None),
            continuum_project: Set(1),
            project_type: Set(Some(kind.code())),
            housing_type: Set(*housing),
            rrh_sub_type: Set(*rrh),
            residential_affiliation: Set(None),
            target_population: Set(Some(if *org == 4 { 1 } else { 4 })),
            hopwa_med_assisted_living_fac: Set(None),
            pit_count: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(None),
            date_deleted: Set(None),
            auto_exit_days: Set(*exit),
            auto_alert_days: Set(*alert),
            ce_participating: Set(*ce),
        }
        .insert(db)
        .await?;
        project_coc::ActiveModel {
            project_coc_id: Set(app::db::new_id()),
            project_id: Set(project_id.clone()),
            coc_code: Set(DEMO_COC.0.to_string()),
            geocode: Set(DEMO_COC.1.to_string()),
            address1: Set(None),
            address2: Set(None),
            city: Set(Some("Clayton".into())),
            state: Set(Some("MO".into())),
            zip: Set(Some("63105".into())),
            geography_type: Set(Some(2)),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(None),
            date_deleted: Set(None),
        }
        .insert(db)
        .await?;
        funder::ActiveModel {
            funder_id: Set(app::db::new_id()),
            project_id: Set(project_id),
            funder: Set(*funder_code),
            other_funder: Set(None),
            grant_id: Set(format!("MO0{:03}L7E00{}", 100 + i, 2025)),
            start_date: Set(start),
            end_date: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            created_by: Set(None),
            date_deleted: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates the demo organizations and users when the database has no users. Returns
/// the usernames created (empty when there were users already).
pub async fn seed(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<String>, AppError> {
    use app::db::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    let people = user::Entity::find()
        .filter(user::Column::UserId.ne(app::db::SYSTEM_USER_ID))
        .count(db)
        .await?;
    if people > 0 {
        return Ok(Vec::new());
    }
    let mut organizations = Vec::new();
    for (name, ce, vsp) in DEMO_ORGANIZATIONS {
        organizations.push(create_organization(db, name, *ce, *vsp, now).await?);
    }
    seed_projects(db, &organizations, now).await?;
    app::features::coordinated_entry::service::seed_questions(db, DEMO_CE_QUESTIONS, now).await?;
    let mut created = Vec::new();
    for (username, first, last, access) in DEMO_USERS {
        let access = access
            .iter()
            .map(|(org, workgroup)| (organizations[*org].clone(), *workgroup))
            .collect();
        create_user(
            db,
            NewUser {
                username: username.to_string(),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: None,
                password: DEMO_PASSWORD.to_string(),
                access,
            },
            now,
        )
        .await?;
        created.push(username.to_string());
    }
    Ok(created)
}

/// The demo logins, for the terminal.
pub fn describe() -> String {
    let mut out = format!("Demo logins (password for all: {DEMO_PASSWORD}):\n");
    for (username, _, _, access) in DEMO_USERS {
        let roles: Vec<String> = access
            .iter()
            .map(|(org, workgroup)| format!("{} at {}", workgroup.label(), DEMO_ORGANIZATIONS[*org].0))
            .collect();
        out.push_str(&format!("  {username:<12} {}\n", roles.join("; ")));
    }
    out
}
