//! Hearth's own exports round trip, on either database and across them.

use super::*;

on_both_databases!(export_import_export_gives_the_same_files, |app| {
    app.seed_demo().await;
    let first = export(&app, &options(&app)).await;
    let target = common::spawn(app.backend).await.expect("a second database");
    let summary = import(&target, zip_files(&first))
        .await
        .expect("the export imports");
    assert_eq!(summary.files.len(), 23);
    let second = export(&target, &options(&target)).await;
    assert_eq!(comparable(second), comparable(first.clone()));

    // Importing again updates in place (upsert by IDs): nothing doubles.
    let before = counts(&target).await;
    import(&target, zip_files(&first)).await.expect("imports again");
    assert_eq!(counts(&target).await, before);

    // Imported users cannot sign in until an admin sets them up.
    let imported = format!("hmis-{}", first["User.csv"][1][0]);
    for password in ["!", "", hearth_demo::accounts::DEMO_PASSWORD] {
        let response = target
            .call(
                "login",
                &[("username", imported.as_str()), ("password", password)],
            )
            .await;
        assert!(
            response.status().is_client_error(),
            "{imported} / {password:?}: {}",
            response.status()
        );
    }
});

/// PostgreSQL writes the CSV of most files itself (`COPY`); SQLite's are written value
/// by value here. The same records, exported from SQLite and imported into PostgreSQL,
/// export from there cell for cell the same: dates, local times, money with cents,
/// text that needs quotes and holds a line break, empty text, codes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_databases_write_the_same_files() {
    let Some(postgres) = common::spawn(common::Backend::Postgres).await else {
        return;
    };
    let sqlite = common::spawn(common::Backend::Sqlite)
        .await
        .expect("SQLite is always available");
    let mut files = generated(&sqlite).await;
    set(
        &mut files,
        "Project.csv",
        1,
        "ProjectName",
        "Shelter, \"North\" wing\r\nannex",
    );
    set(&mut files, "Organization.csv", 1, "OrganizationCommonName", "");
    let incomes = files["IncomeBenefits.csv"].len();
    assert!(incomes > 2, "generated income records");
    set(
        &mut files,
        "IncomeBenefits.csv",
        incomes - 1,
        "TotalMonthlyIncome",
        "1234.56",
    );
    set(
        &mut files,
        "IncomeBenefits.csv",
        incomes - 1,
        "IncomeFromAnySource",
        "1",
    );
    import(&sqlite, zip_files(&files))
        .await
        .expect("SQLite takes them");
    let from_sqlite = export(&sqlite, &everything(&sqlite)).await;
    import(&postgres, zip_files(&from_sqlite))
        .await
        .expect("PostgreSQL takes them");
    let from_postgres = export(&postgres, &everything(&postgres)).await;
    let header = &from_sqlite["Project.csv"][0];
    assert!(
        from_postgres["Project.csv"][1..]
            .iter()
            .any(|row| row[header.iter().position(|h| h == "ProjectName").unwrap()]
                == "Shelter, \"North\" wing\r\nannex"),
        "a quoted name with a line break comes back whole"
    );
    assert!(
        column(&from_postgres["IncomeBenefits.csv"], "TotalMonthlyIncome").contains(&"1234.56"),
        "money with cents"
    );
    assert_eq!(comparable(from_postgres), comparable(from_sqlite));
}

on_both_databases!(real_world_formatting_is_accepted, |app| {
    app.seed_demo().await;
    let mut files = export(&app, &options(&app)).await;
    // Header case as some vendors write it, a byte-order mark, a quoted name with a comma.
    let projects = files.get_mut("Project.csv").unwrap();
    projects[0][0] = "\u{feff}projectid".into();
    projects[0][2] = "PROJECTNAME".into();
    projects[1][2] = "Shelter, \"North\" wing".into();
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("accepted");
    let again = export(&target, &options(&target)).await;
    assert!(column(&again["Project.csv"], "ProjectName").contains(&"Shelter, \"North\" wing"));
});

on_both_databases!(users_keep_their_phone_extension_and_deletion, |app| {
    app.seed_demo().await;
    let mut files = export(&app, &options(&app)).await;
    set(&mut files, "User.csv", 1, "UserPhone", "3125550100");
    set(&mut files, "User.csv", 1, "UserExtension", "204");
    set(&mut files, "User.csv", 1, "DateDeleted", "2026-03-01 12:00:00");
    let user = get(&files, "User.csv", 1, "UserID").to_string();
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("imports");
    let again = export(&target, &options(&target)).await;
    let users = &again["User.csv"];
    let row = users
        .iter()
        .position(|r| r[0] == user)
        .expect("the user is exported");
    assert_eq!(get(&again, "User.csv", row, "UserPhone"), "3125550100");
    assert_eq!(get(&again, "User.csv", row, "UserExtension"), "204");
    assert_eq!(get(&again, "User.csv", row, "DateDeleted"), "2026-03-01 12:00:00");
});

on_both_databases!(generated_households_round_trip_and_respect_the_period, |app| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let options = hearth_demo::data::Options {
        clients: 120,
        seed: 7,
        today,
        progress: false,
    };
    hearth_demo::data::run(&app.db, &options, &app.state.data_key)
        .await
        .expect("demo data");
    let mut everything = self::options(&app);
    everything.from = None;
    everything.to = today;
    let first = export(&app, &everything).await;
    for file in [
        "Client.csv",
        "Enrollment.csv",
        "Exit.csv",
        "IncomeBenefits.csv",
        "Services.csv",
        "Event.csv",
    ] {
        assert!(first[file].len() > 1, "{file} has rows");
    }
    // Every exported client has an exported enrollment and every enrollment's client
    // is exported.
    let clients: std::collections::BTreeSet<&str> =
        column(&first["Client.csv"], "PersonalID").into_iter().collect();
    let enrolled: std::collections::BTreeSet<&str> = column(&first["Enrollment.csv"], "PersonalID")
        .into_iter()
        .collect();
    assert_eq!(clients, enrolled);

    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&first))
        .await
        .expect("the export imports");
    let mut target_everything = self::options(&target);
    target_everything.from = None;
    target_everything.to = today;
    let second = export(&target, &target_everything).await;
    assert_eq!(comparable(second), comparable(first.clone()));

    // A period leaves out enrollments that ended before it or began after it.
    let mut period = self::options(&app);
    period.from = chrono::NaiveDate::from_ymd_opt(2026, 7, 1);
    period.to = today;
    let recent = export(&app, &period).await;
    // SSNs leave the database opened (they are sealed at rest), and are sealed again
    // on import: the round trip above compared them in plain text.
    let ssns = column(&first["Client.csv"], "SSN");
    assert!(
        ssns.iter()
            .any(|s| s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())),
        "{ssns:?}"
    );
    let stored: Vec<Option<String>> = {
        use sea_orm::EntityTrait;
        app::db::entities::client::Entity::find()
            .all(&target.db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.ssn_encrypted)
            .collect()
    };
    assert!(
        stored.iter().flatten().all(|s| s.starts_with("v1.")),
        "sealed at rest"
    );
    // A hashed export hashes the opened SSN, not the ciphertext.
    let mut hashed = self::options(&app);
    hashed.hash_pii = true;
    let hashed = export(&app, &hashed).await;
    let hashed_ssns = column(&hashed["Client.csv"], "SSN");
    assert!(
        hashed_ssns
            .iter()
            .filter(|s| !s.is_empty())
            .all(|s| s.len() == 64)
    );
    let entries = &recent["Enrollment.csv"];
    let entry_at = entries[0].iter().position(|h| h == "EntryDate").unwrap();
    assert!(entries[1..].iter().all(|r| r[entry_at].as_str() <= "2026-09-30"));
    let exits = &recent["Exit.csv"];
    let exit_at = exits[0].iter().position(|h| h == "ExitDate").unwrap();
    assert!(exits[1..].iter().all(|r| r[exit_at].as_str() >= "2026-07-01"));
    assert!(
        entries.len() < first["Enrollment.csv"].len(),
        "older enrollments left out"
    );
});
