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

/// The organization running `project` (by name).
pub async fn organization_of(app: &super::TestApp, project: &str) -> String {
    use app::db::entities::project;
    project::Entity::find_by_id(project_id(app, project).await)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id
}

/// The user ID of a demo user.
pub async fn user_id(app: &super::TestApp, username: &str) -> String {
    use app::db::entities::user;
    use sea_orm::{ColumnTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .user_id
}

/// Assigns the member to the user (an ID) in the organization from `since`, as
/// intake's "assign to me" does.
pub async fn assign(
    app: &super::TestApp,
    member: &(String, String),
    user: &str,
    organization: &str,
    since: NaiveDate,
) {
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO case_assignments (case_assignment_id, personal_id, enrollment_id, user_id, organization_id, \
         start_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            app::db::new_id().into(),
            member.0.clone().into(),
            member.1.clone().into(),
            user.into(),
            organization.into(),
            since.into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
}

/// An exit of `member` `days` ago with `destination`, written as a plain insert (the
/// workflows refuse the errors some tests plant).
pub async fn exit_on(app: &super::TestApp, member: &(String, String), days: i64, destination: i32) {
    let now = app.state.now();
    exec(
        app,
        "INSERT INTO exits (exit_id, enrollment_id, personal_id, exit_date, destination, exit_method, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'manual', ?, ?)",
        vec![
            app::db::new_id().into(),
            member.1.clone().into(),
            member.0.clone().into(),
            ago(app, days).into(),
            destination.into(),
            now.into(),
            now.into(),
        ],
    )
    .await;
}

/// Records a known date of birth.
pub async fn set_dob(app: &super::TestApp, personal_id: &str, dob: NaiveDate) {
    exec(
        app,
        "UPDATE clients SET dob = ?, dob_data_quality = 1 WHERE personal_id = ?",
        vec![dob.into(), personal_id.into()],
    )
    .await;
}

/// Every live exit: enrollment → (date, destination, reason, method).
pub async fn exits(
    app: &super::TestApp,
) -> std::collections::BTreeMap<String, (NaiveDate, i32, Option<String>, String)> {
    use app::db::entities::exit;
    use sea_orm::{ColumnTrait, QueryFilter};
    exit::Entity::find()
        .filter(exit::Column::DateDeleted.is_null())
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|x| {
            (
                x.enrollment_id,
                (x.exit_date, x.destination, x.exit_reason_id, x.exit_method),
            )
        })
        .collect()
}

/// A case manager's exit of one enrollment on `on` (destination 410), to insert.
pub fn manual_exit(
    app: &super::TestApp,
    personal_id: &str,
    enrollment_id: &str,
    on: NaiveDate,
) -> app::db::entities::exit::ActiveModel {
    use sea_orm::Set;
    app::db::entities::exit::ActiveModel {
        exit_id: Set(app::db::new_id()),
        enrollment_id: Set(enrollment_id.to_string()),
        personal_id: Set(personal_id.to_string()),
        exit_date: Set(on),
        destination: Set(410),
        exit_method: Set("manual".into()),
        created_at: Set(app.state.now()),
        updated_at: Set(app.state.now()),
        date_deleted: Set(None),
        ..Default::default()
    }
}
