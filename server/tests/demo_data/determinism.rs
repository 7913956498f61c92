//! The same seed gives the same rows: on a second database of the same kind, and on
//! SQLite and PostgreSQL alike.

use super::*;

/// A second, empty, migrated database on the same server as `app`'s, removed when
/// dropped (by `common::TestDatabase`).
struct Extra {
    db: DatabaseConnection,
    _database: common::TestDatabase,
}

impl Extra {
    async fn new(backend: common::Backend) -> Self {
        let database = common::TestDatabase::create(backend)
            .await
            .expect("the first database of this kind was created, so a second one can be");
        let db = app::db::connect(&database.url).await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        Extra {
            db,
            _database: database,
        }
    }
}

/// Every generated row, as text: project, organization and user IDs (made by
/// `accounts::seed`) replaced by names, SSN ciphertexts (random nonces) left out.
async fn dump(db: &DatabaseConnection) -> Vec<String> {
    let names: HashMap<String, String> = project::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.project_id, p.project_name))
        .collect();
    let mut out = Vec::new();
    for mut c in client::Entity::find()
        .order_by_asc(client::Column::PersonalId)
        .all(db)
        .await
        .unwrap()
    {
        c.ssn_encrypted = c.ssn_encrypted.map(|_| "sealed".into());
        out.push(format!("{c:?}"));
    }
    for mut e in enrollment::Entity::find()
        .order_by_asc(enrollment::Column::EnrollmentId)
        .all(db)
        .await
        .unwrap()
    {
        e.project_id = names[&e.project_id].clone();
        out.push(format!("{e:?}"));
    }
    macro_rules! rows {
        ($entity:ident, $key:ident) => {
            for row in $entity::Entity::find()
                .order_by_asc($entity::Column::$key)
                .all(db)
                .await
                .unwrap()
            {
                out.push(format!("{row:?}"));
            }
        };
    }
    rows!(exit, ExitId);
    rows!(assessment_event, AssessmentEventId);
    rows!(income_benefit, IncomeBenefitsId);
    rows!(disability, DisabilitiesId);
    rows!(health_and_dv, HealthAndDvId);
    rows!(employment_education, EmploymentEducationId);
    rows!(service, ServicesId);
    rows!(current_living_situation, CurrentLivingSitId);
    rows!(assessment, AssessmentId);
    rows!(assessment_question, AssessmentQuestionId);
    rows!(assessment_result, AssessmentResultId);
    rows!(event, EventId);
    let usernames: HashMap<String, String> = user::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.user_id, u.username))
        .collect();
    let organizations: HashMap<String, String> = organization::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.organization_id, o.organization_name))
        .collect();
    for mut a in case_assignment::Entity::find()
        .order_by_asc(case_assignment::Column::CaseAssignmentId)
        .all(db)
        .await
        .unwrap()
    {
        a.user_id = usernames[&a.user_id].clone();
        a.created_by = a.created_by.map(|u| usernames[&u].clone());
        a.organization_id = organizations[&a.organization_id].clone();
        out.push(format!("{a:?}"));
    }
    out
}

on_both_databases!(the_same_seed_gives_the_same_rows, |app| {
    let first = generate(&app.db, CLIENTS, 7).await;
    let again = Extra::new(app.backend).await;
    let second = generate(&again.db, CLIENTS, 7).await;
    assert_eq!(first.tables, second.tables);
    let (a, b) = (dump(&app.db).await, dump(&again.db).await);
    assert!(a.len() as u64 > first.total_rows() / 2);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let other = Extra::new(app.backend).await;
    generate(&other.db, CLIENTS, 8).await;
    let c = dump(&other.db).await;
    assert_eq!(
        c.iter()
            .filter(|row| row.starts_with("Model { personal_id"))
            .count(),
        300
    );
    assert_ne!(a, c, "another seed, other people");
});

/// SQLite gets bound parameters, PostgreSQL SQL text with the values written out: both
/// must store exactly the same values (names with apostrophes and accents, amounts,
/// dates, timestamps).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_store_the_same_rows() {
    let Some(postgres) = common::spawn(common::Backend::Postgres).await else {
        return;
    };
    let sqlite = Extra::new(common::Backend::Sqlite).await;
    generate(&postgres.db, CLIENTS, 12).await;
    generate(&sqlite.db, CLIENTS, 12).await;
    let (a, b) = (dump(&postgres.db).await, dump(&sqlite.db).await);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    assert!(
        a.iter().any(|row| row.contains("O'")),
        "an apostrophe made the trip"
    );
}
