//! The HUD data model (migration 000010) on both databases: records go in and come back
//! through the sea-orm entities, one live exit per enrollment, real-world data-quality
//! problems are accepted, the exit reasons are seeded, and every entity and every
//! `columns.csv` mapping matches a real column.

mod common;

use app::db::entities::{
    assessment_event, client, enrollment, exit, exit_reason, income_benefit, organization, project, service,
};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set, SqlErr, Statement,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 15, 4, 5)
        .single()
        .expect("valid time")
}

// `..Default::default()` leaves the columns migration 000010 added (common name,
// created_by) NULL whether or not the entity lists them yet.
#[allow(clippy::needless_update)]
async fn add_organization(db: &DatabaseConnection, id: &str) {
    organization::ActiveModel {
        organization_id: Set(id.into()),
        organization_name: Set("Hope Shelter".into()),
        victim_service_provider: Set(false),
        coordinated_entry: Set(false),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        date_deleted: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("organization");
}

async fn add_project(db: &DatabaseConnection, id: &str, organization_id: &str) {
    project::ActiveModel {
        project_id: Set(id.into()),
        organization_id: Set(organization_id.into()),
        project_name: Set("Night Shelter".into()),
        operating_start_date: Set(day(2020, 1, 1)),
        continuum_project: Set(1),
        project_type: Set(Some(0)),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        auto_exit_days: Set(Some(90)),
        auto_alert_days: Set(Some(80)),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("project");
}

async fn add_client(db: &DatabaseConnection, id: &str, first: &str, dob: NaiveDate) {
    client::ActiveModel {
        personal_id: Set(id.into()),
        first_name: Set(Some(first.into())),
        last_name: Set(Some("Núñez".into())),
        name_data_quality: Set(1),
        ssn_encrypted: Set(Some("sealed-ciphertext".into())),
        ssn_last4: Set(Some("6789".into())),
        ssn_data_quality: Set(1),
        dob: Set(Some(dob)),
        dob_data_quality: Set(1),
        sex: Set(Some(0)),
        am_ind_ak_native: Set(0),
        asian: Set(0),
        black_af_american: Set(1),
        hispanic_latinao: Set(1),
        mid_east_n_african: Set(0),
        native_hi_pacific: Set(0),
        white: Set(0),
        veteran_status: Set(0),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        created_by: Set(Some("user0001".into())),
        first_name_key: Set(Some(first.to_lowercase())),
        last_name_key: Set(Some("nunez".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("client");
}

fn an_enrollment(
    id: &str,
    personal_id: &str,
    project_id: &str,
    household_id: &str,
    relationship: i32,
) -> enrollment::ActiveModel {
    enrollment::ActiveModel {
        enrollment_id: Set(id.into()),
        personal_id: Set(personal_id.into()),
        project_id: Set(project_id.into()),
        entry_date: Set(day(2026, 1, 15)),
        household_id: Set(household_id.into()),
        relationship_to_hoh: Set(Some(relationship)),
        living_situation: Set(Some(116)),
        disabling_condition: Set(Some(0)),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
}

fn an_exit(id: &str, enrollment_id: &str, personal_id: &str) -> exit::ActiveModel {
    exit::ActiveModel {
        exit_id: Set(id.into()),
        enrollment_id: Set(enrollment_id.into()),
        personal_id: Set(personal_id.into()),
        exit_date: Set(day(2026, 4, 20)),
        destination: Set(30),
        exit_reason_id: Set(Some(exit_reason::AUTO_EXIT.into())),
        exit_method: Set("auto".into()),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
}

on_both_databases!(hud_records_round_trip_through_the_entities, |app| {
    let db = &app.db;
    add_organization(db, "org00001").await;
    add_project(db, "proj0001", "org00001").await;
    add_client(db, "client0001", "Ana", day(1980, 2, 29)).await;
    add_client(db, "client0002", "Leo", day(2019, 7, 4)).await;

    an_enrollment("enr00001", "client0001", "proj0001", "hh000001", 1)
        .insert(db)
        .await
        .expect("head of household");
    an_enrollment("enr00002", "client0002", "proj0001", "hh000001", 2)
        .insert(db)
        .await
        .expect("child");

    assessment_event::ActiveModel {
        assessment_event_id: Set("ae000001".into()),
        enrollment_id: Set("enr00001".into()),
        personal_id: Set("client0001".into()),
        data_collection_stage: Set(1),
        information_date: Set(day(2026, 1, 15)),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        created_by: Set(None),
        date_deleted: Set(None),
    }
    .insert(db)
    .await
    .expect("assessment event");
    income_benefit::ActiveModel {
        income_benefits_id: Set("ib000001".into()),
        enrollment_id: Set("enr00001".into()),
        personal_id: Set("client0001".into()),
        information_date: Set(day(2026, 1, 15)),
        income_from_any_source: Set(Some(1)),
        total_monthly_income: Set(Some(1234.56)),
        earned: Set(Some(1)),
        earned_amount: Set(Some(1234.56)),
        data_collection_stage: Set(Some(1)),
        assessment_event_id: Set("ae000001".into()),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("income and benefits");
    service::ActiveModel {
        services_id: Set("svc00001".into()),
        enrollment_id: Set("enr00001".into()),
        personal_id: Set("client0001".into()),
        date_provided: Set(day(2026, 2, 1)),
        record_type: Set(200),
        type_provided: Set(200),
        fa_amount: Set(Some(75.5)),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("service");
    an_exit("exit0001", "enr00001", "client0001")
        .insert(db)
        .await
        .expect("exit with the Auto Exit reason");

    // Read back.
    let organization = organization::Entity::find_by_id("org00001")
        .one(db)
        .await
        .unwrap()
        .expect("organization stored");
    assert_eq!(organization.organization_name, "Hope Shelter");
    let project = project::Entity::find_by_id("proj0001")
        .one(db)
        .await
        .unwrap()
        .expect("project stored");
    assert_eq!(project.auto_exit_days, Some(90));
    assert!(!project.ce_participating, "ce_participating defaults to false");
    let ana = client::Entity::find_by_id("client0001")
        .one(db)
        .await
        .unwrap()
        .expect("client stored");
    assert_eq!(ana.last_name.as_deref(), Some("Núñez"));
    assert_eq!(ana.last_name_key.as_deref(), Some("nunez"));
    assert_eq!(ana.dob, Some(day(1980, 2, 29)));
    assert_eq!(ana.ssn_last4.as_deref(), Some("6789"));
    assert_eq!(ana.hispanic_latinao, 1);
    assert_eq!(ana.created_at, stamp());
    let household = enrollment::Entity::find()
        .filter(enrollment::Column::HouseholdId.eq("hh000001"))
        .order_by_asc(enrollment::Column::RelationshipToHoh)
        .all(db)
        .await
        .unwrap();
    assert_eq!(household.len(), 2);
    assert_eq!(household[0].personal_id, "client0001");
    assert_eq!(household[0].relationship_to_hoh, Some(1));
    assert_eq!(household[1].relationship_to_hoh, Some(2));
    assert_eq!(household[0].entry_date, day(2026, 1, 15));
    let (income, event) = income_benefit::Entity::find_by_id("ib000001")
        .find_also_related(assessment_event::Entity)
        .one(db)
        .await
        .unwrap()
        .expect("income stored");
    assert_eq!(income.total_monthly_income, Some(1234.56));
    assert_eq!(income.earned_amount, Some(1234.56));
    let event = event.expect("the income row's assessment event");
    assert_eq!(event.data_collection_stage, 1);
    assert_eq!(event.information_date, income.information_date);
    let service = service::Entity::find()
        .filter(service::Column::EnrollmentId.eq("enr00001"))
        .one(db)
        .await
        .unwrap()
        .expect("service stored");
    assert_eq!(service.fa_amount, Some(75.5));
    assert_eq!(service.date_provided, day(2026, 2, 1));
    let (stored_exit, reason) = exit::Entity::find_by_id("exit0001")
        .find_also_related(exit_reason::Entity)
        .one(db)
        .await
        .unwrap()
        .expect("exit stored");
    assert_eq!(stored_exit.destination, 30);
    assert_eq!(stored_exit.exit_method, "auto");
    assert_eq!(stored_exit.exit_date, day(2026, 4, 20));
    assert_eq!(reason.expect("reason").name, "Auto Exit");

    // One exit per enrollment: a second one is refused by the unique index…
    let second = an_exit("exit0002", "enr00001", "client0001")
        .insert(db)
        .await
        .expect_err("a second exit for one enrollment is rejected");
    assert!(
        matches!(second.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "{second}"
    );
    // …unless the first was soft-deleted (re-entry), which frees the enrollment.
    let mut deleted: exit::ActiveModel = stored_exit.into();
    deleted.date_deleted = Set(Some(stamp()));
    deleted.update(db).await.expect("soft-delete the exit");
    an_exit("exit0003", "enr00001", "client0001")
        .insert(db)
        .await
        .expect("a new exit after the old one was deleted");
    // The exit method defaults to manual.
    let mut manual = an_exit("exit0004", "enr00002", "client0002");
    manual.exit_method = sea_orm::ActiveValue::NotSet;
    manual.exit_reason_id = Set(None);
    let manual = manual.insert(db).await.expect("exit without method");
    assert_eq!(manual.exit_method, "manual");
});

on_both_databases!(real_world_data_quality_problems_are_accepted, |app| {
    let db = &app.db;
    add_organization(db, "org00001").await;
    add_project(db, "proj0001", "org00001").await;
    add_client(db, "client0001", "Ana", day(1980, 1, 1)).await;
    add_client(db, "client0002", "Bo", day(1981, 1, 1)).await;
    // Two heads of household in one household.
    an_enrollment("enr00001", "client0001", "proj0001", "hh000001", 1)
        .insert(db)
        .await
        .expect("first head");
    an_enrollment("enr00002", "client0002", "proj0001", "hh000001", 1)
        .insert(db)
        .await
        .expect("a second head of household is accepted");
    // An overlapping enrollment of the same client in the same project.
    an_enrollment("enr00003", "client0001", "proj0001", "hh000002", 1)
        .insert(db)
        .await
        .expect("overlapping enrollment");
    // An exit before the entry.
    let mut early = an_exit("exit0001", "enr00003", "client0001");
    early.exit_date = Set(day(2025, 12, 31));
    early.insert(db).await.expect("exit before entry is stored");
    let heads = enrollment::Entity::find()
        .filter(enrollment::Column::HouseholdId.eq("hh000001"))
        .filter(enrollment::Column::RelationshipToHoh.eq(1))
        .all(db)
        .await
        .unwrap();
    assert_eq!(heads.len(), 2);
    // Foreign keys hold: a stage row needs its assessment event.
    let orphan = income_benefit::ActiveModel {
        income_benefits_id: Set("ib000001".into()),
        enrollment_id: Set("enr00001".into()),
        personal_id: Set("client0001".into()),
        information_date: Set(day(2026, 1, 15)),
        assessment_event_id: Set("missing0".into()),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect_err("a stage row without its assessment event is rejected");
    assert!(
        matches!(orphan.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))),
        "{orphan}"
    );
});

on_both_databases!(exit_reasons_are_seeded, |app| {
    let reasons = exit_reason::Entity::find()
        .order_by_asc(exit_reason::Column::SortOrder)
        .all(&app.db)
        .await
        .unwrap();
    let names: Vec<&str> = reasons.iter().map(|r| r.name.as_str()).collect();
    for name in [
        "Administrative Exit",
        "Auto Exit",
        "Completed program",
        "Left for housing opportunity",
        "Non-compliance with program",
        "Reached maximum time allowed",
        "Disagreement with rules/persons",
        "Criminal activity / violence",
        "Death",
        "Unknown/disappeared",
        "Other",
    ] {
        assert!(names.contains(&name), "{name} is seeded: {names:?}");
    }
    let system: Vec<(&str, &str)> = reasons
        .iter()
        .filter(|r| r.is_system)
        .map(|r| (r.exit_reason_id.as_str(), r.name.as_str()))
        .collect();
    assert_eq!(
        system,
        [
            (exit_reason::ADMINISTRATIVE_EXIT, "Administrative Exit"),
            (exit_reason::AUTO_EXIT, "Auto Exit"),
        ]
    );
    assert!(reasons.iter().all(|r| r.active && r.exit_reason_id.len() == 32));
    // Names are unique.
    let duplicate = exit_reason::ActiveModel {
        exit_reason_id: Set("exitreason9999999999999999999999".into()),
        name: Set("Death".into()),
        is_system: Set(false),
        sort_order: Set(1),
        active: Set(true),
    }
    .insert(&app.db)
    .await
    .expect_err("exit reason names are unique");
    assert!(matches!(
        duplicate.sql_err(),
        Some(SqlErr::UniqueConstraintViolation(_))
    ));
});

/// Selecting every column of every entity fails if a field has no column of its name.
async fn select_all<E: EntityTrait>(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(E::find().all(db).await?.len())
}

on_both_databases!(every_entity_matches_its_table, |app| {
    use app::db::entities::*;
    let db = &app.db;
    let results = [
        ("affiliation", select_all::<affiliation::Entity>(db).await),
        ("assessment", select_all::<assessment::Entity>(db).await),
        (
            "assessment_event",
            select_all::<assessment_event::Entity>(db).await,
        ),
        (
            "assessment_question",
            select_all::<assessment_question::Entity>(db).await,
        ),
        (
            "assessment_result",
            select_all::<assessment_result::Entity>(db).await,
        ),
        ("case_assignment", select_all::<case_assignment::Entity>(db).await),
        (
            "ce_participation",
            select_all::<ce_participation::Entity>(db).await,
        ),
        ("client", select_all::<client::Entity>(db).await),
        ("client_contact", select_all::<client_contact::Entity>(db).await),
        ("client_note", select_all::<client_note::Entity>(db).await),
        (
            "current_living_situation",
            select_all::<current_living_situation::Entity>(db).await,
        ),
        ("disability", select_all::<disability::Entity>(db).await),
        (
            "emergency_contact",
            select_all::<emergency_contact::Entity>(db).await,
        ),
        (
            "employment_education",
            select_all::<employment_education::Entity>(db).await,
        ),
        ("enrollment", select_all::<enrollment::Entity>(db).await),
        ("event", select_all::<event::Entity>(db).await),
        ("exit", select_all::<exit::Entity>(db).await),
        ("exit_reason", select_all::<exit_reason::Entity>(db).await),
        ("funder", select_all::<funder::Entity>(db).await),
        ("health_and_dv", select_all::<health_and_dv::Entity>(db).await),
        (
            "hmis_participation",
            select_all::<hmis_participation::Entity>(db).await,
        ),
        ("import_finding", select_all::<import_finding::Entity>(db).await),
        ("income_benefit", select_all::<income_benefit::Entity>(db).await),
        ("inventory", select_all::<inventory::Entity>(db).await),
        ("job_run", select_all::<job_run::Entity>(db).await),
        ("organization", select_all::<organization::Entity>(db).await),
        ("outreach_info", select_all::<outreach_info::Entity>(db).await),
        ("project", select_all::<project::Entity>(db).await),
        ("project_coc", select_all::<project_coc::Entity>(db).await),
        (
            "residence_history",
            select_all::<residence_history::Entity>(db).await,
        ),
        ("service", select_all::<service::Entity>(db).await),
        ("user", select_all::<user::Entity>(db).await),
        ("workflow_draft", select_all::<workflow_draft::Entity>(db).await),
        (
            "youth_education_status",
            select_all::<youth_education_status::Entity>(db).await,
        ),
    ];
    for (name, result) in results {
        if let Err(err) = result {
            panic!("entity {name} does not match its table: {err}");
        }
    }
});

// `columns.csv` lists every spec column in export order, and each stored one names a
// real column.
on_both_databases!(columns_csv_matches_the_spec_and_the_schema, |app| {
    let spec_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hmis_csv/spec");
    let read =
        |name: &str| std::fs::read_to_string(spec_dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mapping = read("columns.csv");
    let mut lines = mapping.lines();
    assert_eq!(lines.next(), Some("file,column,db_table,db_column"));
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 4));

    let files = read("_files.csv");
    let mut expected = Vec::new();
    for line in files.lines().skip(1) {
        let file = line.split(',').next().unwrap();
        for spec_line in read(file).lines().skip(1) {
            expected.push((file.to_string(), spec_line.split(',').next().unwrap().to_string()));
        }
    }
    let listed: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    assert_eq!(listed, expected, "columns.csv lists the spec's columns in order");
    assert_eq!(listed.len(), 519);

    for row in &rows {
        let (file, column, table, db_column) = (row[0], row[1], row[2], row[3]);
        if column == "ExportID" || file == "Export.csv" {
            assert!(table.is_empty(), "{file}.{column} is not stored");
        }
        if table.is_empty() {
            assert!(db_column.is_empty());
            continue;
        }
        let sql = format!("SELECT {db_column} FROM {table} WHERE 1 = 0");
        app.db
            .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("{file}.{column} -> {table}.{db_column}: {e}"));
    }
    let stored = rows.iter().filter(|r| !r[2].is_empty()).count();
    assert!(stored > 450, "most spec columns are stored ({stored})");
});
