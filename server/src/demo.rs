//! Demo organizations and users for `hearth serve --demo` (what `make run` starts):
//! created once, on an empty database, and printed with their password. A production
//! start (without `--demo`) creates none.

use app::domain::access::Workgroup;
use app::error::AppError;
use app::features::access::service::{NewUser, create_organization, create_user};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

/// The one password of every demo user. Demo only.
pub const DEMO_PASSWORD: &str = "Demo-pass-2026";

/// Access rows of a demo user: (index into DEMO_ORGANIZATIONS, workgroup).
type DemoAccess = &'static [(usize, Workgroup)];

/// (username, first name, last name, access)
const DEMO_USERS: &[(&str, &str, &str, DemoAccess)] = &[
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
const DEMO_ORGANIZATIONS: &[(&str, bool, bool)] = &[
    ("HMIS Lead Agency", false, false),
    ("Riverside Family Shelter", false, false),
    ("Northside Street Outreach", false, false),
    ("Coordinated Entry Hub", true, false),
    ("Safe Harbor DV Services", false, true),
];

/// Creates the demo organizations and users when the database has no users. Returns
/// the usernames created (empty when there were users already).
pub async fn seed(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<String>, AppError> {
    if app::db::entities::user::Entity::find().count(db).await? > 0 {
        return Ok(Vec::new());
    }
    let mut organizations = Vec::new();
    for (name, ce, vsp) in DEMO_ORGANIZATIONS {
        organizations.push(create_organization(db, name, *ce, *vsp, now).await?);
    }
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
