//! What the walk works on, read from the database before it starts.

use app::db::statement;
use app::domain::access::Workgroup;
use app::state::AppState;
use sea_orm::ConnectionTrait;

use super::PagesError;
use crate::bench::{bench_session, client_count};

/// An open household of the case manager's organization: its head's enrollment and
/// its members' personal IDs.
#[derive(Clone, Debug)]
pub struct Household {
    pub head_enrollment: String,
    pub members: Vec<String>,
}

/// What the walk works on, read from the database: clients the case manager may see,
/// open households of their organization (largest first), a project with open
/// enrollments.
#[derive(Clone, Debug)]
pub struct Sample {
    pub clients: Vec<String>,
    pub searches: Vec<String>,
    pub households: Vec<Household>,
    pub project_id: String,
    /// The exit date the walk's exits use.
    pub today: chrono::NaiveDate,
}

impl Sample {
    /// `clients` sample clients spread over the table; `households` open households.
    pub async fn read(state: &AppState, clients: usize, households: usize) -> Result<Sample, PagesError> {
        let db = &state.db;
        let backend = db.get_database_backend();
        let count = client_count(state).await?;
        let session = bench_session(state, Workgroup::CaseManager).await?;
        let organization_id = case_manager_organization(state).await?;
        let mut sample = Sample {
            clients: Vec::new(),
            searches: Vec::new(),
            households: Vec::new(),
            project_id: String::new(),
            today: state.today(),
        };
        for i in 0..clients as i64 {
            let offset = (count * i) / clients.max(1) as i64;
            let Some(row) = db
                .query_one_raw(statement(
                    backend,
                    "SELECT personal_id, first_name_key, last_name_key FROM clients \
                     ORDER BY personal_id LIMIT 1 OFFSET ?",
                    vec![offset.into()],
                ))
                .await?
            else {
                continue;
            };
            let personal_id: String = row.try_get("", "personal_id")?;
            if app::db::visibility::require_visible(db, &session, &personal_id)
                .await
                .is_err()
            {
                continue;
            }
            let three = |key: Option<String>| key.map(|k| k.chars().take(3).collect::<String>());
            if let (Some(first), Some(last)) = (
                three(row.try_get("", "first_name_key")?),
                three(row.try_get("", "last_name_key")?),
            ) {
                sample.searches.push(format!("{first} {last}"));
            }
            // The short ID people read off a dashboard and type back.
            sample
                .searches
                .push(app::domain::dedup::short_client_id(&personal_id));
            sample.clients.push(personal_id);
        }
        // Open households of the organization, largest first (no Coordinated Entry).
        let rows = db
            .query_all_raw(statement(
                backend,
                "SELECT e.household_id, COUNT(*) AS n FROM enrollments e \
                 JOIN projects p ON p.project_id = e.project_id \
                 WHERE p.organization_id = ? AND p.project_type <> 14 \
                 AND e.exit_date IS NULL AND e.date_deleted IS NULL \
                 GROUP BY e.household_id ORDER BY COUNT(*) DESC, e.household_id LIMIT ?",
                vec![organization_id.clone().into(), (households as i64 * 2).into()],
            ))
            .await?;
        for row in rows {
            let household_id: String = row.try_get("", "household_id")?;
            let members = db
                .query_all_raw(statement(
                    backend,
                    "SELECT enrollment_id, personal_id, relationship_to_hoh, project_id FROM enrollments \
                     WHERE household_id = ? AND exit_date IS NULL AND date_deleted IS NULL \
                     ORDER BY (CASE WHEN relationship_to_hoh = 1 THEN 0 ELSE 1 END), entry_date",
                    vec![household_id.into()],
                ))
                .await?;
            let Some(head) = members.first() else { continue };
            if head.try_get::<Option<i32>>("", "relationship_to_hoh")? != Some(1) {
                continue;
            }
            if sample.project_id.is_empty() {
                sample.project_id = head.try_get("", "project_id")?;
            }
            sample.households.push(Household {
                head_enrollment: head.try_get("", "enrollment_id")?,
                members: members
                    .iter()
                    .map(|m| m.try_get("", "personal_id"))
                    .collect::<Result<_, _>>()?,
            });
            if sample.households.len() == households {
                break;
            }
        }
        if sample.clients.is_empty() || sample.households.is_empty() {
            return Err(PagesError::Setup(
                "no clients or open households to walk: run `hearth demo-data` on the demo organizations first".into(),
            ));
        }
        Ok(sample)
    }
}

/// The demo case manager's organization.
async fn case_manager_organization(state: &AppState) -> Result<String, PagesError> {
    let db = &state.db;
    db.query_one_raw(statement(
        db.get_database_backend(),
        "SELECT a.organization_id FROM user_access a JOIN users u ON u.user_id = a.user_id \
         WHERE u.username = ? ORDER BY a.organization_id LIMIT 1",
        vec!["casemanager".into()],
    ))
    .await?
    .map(|row| row.try_get::<String>("", "organization_id"))
    .transpose()?
    .ok_or_else(|| {
        PagesError::Setup("the demo user casemanager is missing: `hearth serve --demo` makes it".into())
    })
}
