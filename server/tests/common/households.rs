//! Households planted straight in the database for the sweeps' tests: members with
//! their start dates, services, bed nights, contacts and open CE referrals, all dated
//! in days before the test's today.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::workflow::project_id;

pub fn ago(app: &super::TestApp, days: i64) -> NaiveDate {
    app.state.today() - chrono::Duration::days(days)
}

pub async fn exec(app: &super::TestApp, sql: &str, values: Vec<sea_orm::Value>) {
    app.db
        .execute_raw(app::db::statement(app.db.get_database_backend(), sql, values))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A household entered into `project`: one member per entry (relationship, days
/// ago). Answers (personal ID, enrollment ID) per member, head first.
pub async fn household(app: &super::TestApp, project: &str, members: &[(i32, i64)]) -> Vec<(String, String)> {
    let project_id = project_id(app, project).await;
    let household_id = app::db::new_id();
    let now = app.state.now();
    let mut out = Vec::new();
    for (relationship, days) in members {
        let (personal_id, enrollment_id) = (app::db::new_id(), app::db::new_id());
        exec(
            app,
            "INSERT INTO clients (personal_id, first_name, last_name, name_data_quality, ssn_data_quality, \
             dob_data_quality, am_ind_ak_native, asian, black_af_american, hispanic_latinao, mid_east_n_african, \
             native_hi_pacific, white, veteran_status, created_at, updated_at) \
             VALUES (?, 'Test', 'Sweep', 1, 99, 99, 0, 0, 0, 0, 0, 0, 1, 0, ?, ?)",
            vec![personal_id.clone().into(), now.into(), now.into()],
        )
        .await;
        exec(
            app,
            "INSERT INTO enrollments (enrollment_id, personal_id, project_id, entry_date, household_id, \
             relationship_to_hoh, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vec![
                enrollment_id.clone().into(),
                personal_id.clone().into(),
                project_id.clone().into(),
                ago(app, *days).into(),
                household_id.clone().into(),
                (*relationship).into(),
                now.into(),
                now.into(),
            ],
        )
        .await;
        out.push((personal_id, enrollment_id));
    }
    out
}

/// A service (record type 200 is a bed night) `days` ago.
pub async fn service(app: &super::TestApp, member: &(String, String), days: i64, record_type: i32) {
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO services (services_id, enrollment_id, personal_id, date_provided, record_type, type_provided, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        vec![
            app::db::new_id().into(),
            member.1.clone().into(),
            member.0.clone().into(),
            ago(app, days).into(),
            record_type.into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
}

/// A 4.12 Current Living Situation `days` ago.
pub async fn contact(app: &super::TestApp, member: &(String, String), days: i64) {
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO current_living_situations (current_living_sit_id, enrollment_id, personal_id, information_date, \
         current_living_situation, created_at, updated_at) VALUES (?, ?, ?, ?, 116, ?, ?)",
        vec![
            app::db::new_id().into(),
            member.1.clone().into(),
            member.0.clone().into(),
            ago(app, days).into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
}

/// A CE enrollment of `client` with a referral still waiting for its result.
pub async fn open_referral(app: &super::TestApp, client: &str) {
    let ce_project = project_id(app, "CoC Coordinated Entry").await;
    let housing = project_id(app, "Riverside Rapid Re-Housing").await;
    let (enrollment_id, event_id, household_id) = (app::db::new_id(), app::db::new_id(), app::db::new_id());
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO enrollments (enrollment_id, personal_id, project_id, entry_date, household_id, \
         relationship_to_hoh, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        vec![
            enrollment_id.clone().into(),
            client.into(),
            ce_project.into(),
            ago(app, 200).into(),
            household_id.clone().into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
    exec(
        app,
        "INSERT INTO events (event_id, enrollment_id, personal_id, event_date, event, created_at, updated_at) \
         VALUES (?, ?, ?, ?, 13, ?, ?)",
        vec![
            event_id.clone().into(),
            enrollment_id.clone().into(),
            client.into(),
            ago(app, 20).into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
    let organization: String = {
        use app::db::entities::project;
        project::Entity::find_by_id(housing.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .organization_id
    };
    exec(
        app,
        "INSERT INTO ce_referrals (event_id, enrollment_id, personal_id, household_id, project_id, organization_id, \
         referred_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            event_id.into(),
            enrollment_id.into(),
            client.into(),
            household_id.into(),
            housing.into(),
            organization.into(),
            ago(app, 20).into(),
            now.into(),
        ],
    )
    .await;
}
