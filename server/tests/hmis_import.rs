//! The HMIS CSV import on both databases: Hearth's own exports round trip; dirty cells
//! and rows are imported as the report says (stored empty, as 99, or left out, each
//! listed by file, line and column); only what makes an export unreadable as one
//! refuses it; hostile files are refused with memory flat; HMIS admins import from
//! the browser and read the report.

mod common;

use app::features::hmis_import::api::{FindingAction, FindingKind};
use common::hmis_files::{
    Files, column, comparable, counts, export, exported_projects, import, options, zip_files,
};
use hearth_server::hmis_csv;

type Outcome = Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError>;

/// The problems that refused an export.
fn problems(result: Outcome) -> Vec<String> {
    match result {
        Err(hmis_csv::import::ImportError::Invalid { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected the import to be refused, got {other:?}"),
    }
}

/// The findings of an import that went through: (file, line, column, kind, action).
fn findings(result: Outcome) -> Vec<(String, u64, String, FindingKind, FindingAction)> {
    let summary = result.expect("the import goes through");
    summary
        .report
        .kept()
        .iter()
        .map(|f| {
            (
                f.file.clone(),
                f.line,
                f.column.clone().unwrap_or_default(),
                f.kind,
                f.action,
            )
        })
        .collect()
}

fn finding(
    file: &str,
    line: usize,
    column: &str,
    kind: FindingKind,
    action: FindingAction,
) -> (String, u64, String, FindingKind, FindingAction) {
    (file.to_string(), line as u64, column.to_string(), kind, action)
}

/// Sets one cell (`row` 1 is the first row under the header, which is line 2).
fn set(files: &mut Files, file: &str, row: usize, name: &str, value: &str) {
    let rows = files.get_mut(file).unwrap_or_else(|| panic!("{file}"));
    let at = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{file} {name}"));
    rows[row][at] = value.to_string();
}

fn get<'a>(files: &'a Files, file: &str, row: usize, name: &str) -> &'a str {
    let rows = &files[file];
    let at = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{file} {name}"));
    &rows[row][at]
}

/// The first value of a raw query's row for one ID, if any.
async fn first<T: sea_orm::TryGetable>(app: &common::TestApp, sql: &str, id: &str) -> Option<T> {
    use sea_orm::ConnectionTrait;
    let statement = app::db::statement(app.db.get_database_backend(), sql, vec![id.into()]);
    let row = app.db.query_one_raw(statement).await.unwrap()?;
    row.try_get_by_index::<Option<T>>(0).ok().flatten()
}

async fn scalar(app: &common::TestApp, sql: &str, id: &str) -> Option<String> {
    first(app, sql, id).await
}

async fn first_name(app: &common::TestApp, personal_id: &str) -> Option<String> {
    scalar(
        app,
        "SELECT first_name FROM clients WHERE personal_id = ?",
        personal_id,
    )
    .await
}

async fn number(app: &common::TestApp, sql: &str, id: &str) -> Option<i32> {
    first(app, sql, id).await
}

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
    for password in ["!", "", hearth_server::demo::DEMO_PASSWORD] {
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

/// An export of generated demo households (every record kind, exits included).
async fn generated(app: &common::TestApp) -> Files {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let generate = hearth_server::demo_data::Options {
        clients: 40,
        seed: 11,
        today,
        progress: false,
    };
    hearth_server::demo_data::run(&app.db, &generate, &app.state.data_key)
        .await
        .expect("demo data");
    export(app, &everything(app)).await
}

/// Every record up to the generated data's today.
fn everything(app: &common::TestApp) -> hmis_csv::export::ExportOptions {
    let mut everything = options(app);
    everything.from = None;
    everything.to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    everything
}

on_both_databases!(dirty_cells_and_rows_are_imported_and_listed, |app| {
    let good = generated(&app).await;
    assert!(good["Client.csv"].len() > 3 && good["Exit.csv"].len() > 1 && good["Funder.csv"].len() > 2);
    let mut files = good.clone();
    // A two-digit year in a column that may be empty: stored empty, never the year 0021.
    set(&mut files, "Client.csv", 1, "DOB", "03-11-21");
    // A bad code in a required column whose list has 99: stored as 99.
    set(&mut files, "Client.csv", 2, "VeteranStatus", "7");
    // A bad date in a required column: the row is left out.
    set(&mut files, "Funder.csv", 2, "StartDate", "2025-13-01");
    // A repeated FunderID: the second row is left out.
    let copy = files["Funder.csv"][1].clone();
    files.get_mut("Funder.csv").unwrap().push(copy);
    let repeated_line = files["Funder.csv"].len();
    // An exit of an enrollment no one has, and a second exit of an exited enrollment.
    let mut orphan = files["Exit.csv"][1].clone();
    let mut second = files["Exit.csv"][1].clone();
    files
        .get_mut("Exit.csv")
        .unwrap()
        .push(std::mem::take(&mut orphan));
    let orphan_line = files["Exit.csv"].len();
    set(&mut files, "Exit.csv", orphan_line - 1, "ExitID", "x-orphan");
    set(
        &mut files,
        "Exit.csv",
        orphan_line - 1,
        "EnrollmentID",
        "no-such-enrollment",
    );
    second[0] = "x-second".into();
    files.get_mut("Exit.csv").unwrap().push(second);
    let second_line = files["Exit.csv"].len();
    // A spring-forward time that does not exist in Chicago: kept, read with CST.
    set(&mut files, "Client.csv", 3, "DateCreated", "2023-03-12 02:30:00");
    // A date and time without seconds: kept and noted.
    set(&mut files, "Client.csv", 3, "DateUpdated", "2024-05-01 10:15");
    // HUD's test CoC code and a retired funding source (ESG-CV): imported as they are.
    set(&mut files, "ProjectCoC.csv", 1, "CoCCode", "XX-500");
    set(&mut files, "Funder.csv", 1, "Funder", "47");
    // Destination 435 asks for the subsidy type: listed, the exit imported as it is.
    set(&mut files, "Exit.csv", 1, "Destination", "435");
    set(&mut files, "Exit.csv", 1, "DestinationSubsidyType", "");

    let target = common::spawn(app.backend).await.unwrap();
    let found = findings(import(&target, zip_files(&files)).await);
    use FindingAction::*;
    use FindingKind::*;
    let mut expected = vec![
        finding("Client.csv", 2, "DOB", NotADate, StoredEmpty),
        finding("Client.csv", 3, "VeteranStatus", NotACode, StoredNotCollected),
        finding("Client.csv", 4, "DateUpdated", InexactTimestamp, Kept),
        finding("Funder.csv", 3, "StartDate", NotADate, RowSkipped),
        finding("Funder.csv", repeated_line, "FunderID", DuplicateKey, RowSkipped),
        finding(
            "Exit.csv",
            orphan_line,
            "EnrollmentID",
            UnknownReference,
            RowSkipped,
        ),
        finding("Exit.csv", second_line, "ExitID", SecondExit, RowSkipped),
        finding("Exit.csv", 2, "DestinationSubsidyType", MissingWhen, Kept),
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    expected.sort();
    assert_eq!(found_sorted, expected);

    let client = |row: usize| get(&files, "Client.csv", row, "PersonalID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT CAST(dob AS TEXT) FROM clients WHERE personal_id = ?",
            &client(1)
        )
        .await,
        None
    );
    assert_eq!(
        number(
            &target,
            "SELECT veteran_status FROM clients WHERE personal_id = ?",
            &client(2)
        )
        .await,
        Some(99)
    );
    // 02:30 does not exist on 2023-03-12 in Chicago: 08:30 UTC (03:30 CDT).
    let created = {
        use sea_orm::EntityTrait;
        app::db::entities::client::Entity::find_by_id(client(3))
            .one(&target.db)
            .await
            .unwrap()
            .unwrap()
            .created_at
    };
    assert_eq!(created.to_rfc3339(), "2023-03-12T08:30:00+00:00");
    let funder = get(&files, "Funder.csv", 2, "FunderID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT funder_id FROM funders WHERE funder_id = ?",
            &funder
        )
        .await,
        None
    );
    let coc = get(&files, "ProjectCoC.csv", 1, "ProjectCoCID").to_string();
    assert_eq!(
        scalar(
            &target,
            "SELECT coc_code FROM project_cocs WHERE project_coc_id = ?",
            &coc
        )
        .await
        .as_deref(),
        Some("XX-500")
    );
    assert_eq!(
        scalar(&target, "SELECT exit_id FROM exits WHERE exit_id = ?", "x-second").await,
        None
    );
    assert_eq!(
        number(
            &target,
            "SELECT destination FROM exits WHERE exit_id = ?",
            get(&files, "Exit.csv", 1, "ExitID")
        )
        .await,
        Some(435),
        "an exit missing what its destination asks for is imported"
    );

    // Importing the same export again changes nothing and finds the same.
    let before = counts(&target).await;
    let again = findings(import(&target, zip_files(&files)).await);
    assert_eq!(again.len(), found.len());
    assert_eq!(counts(&target).await, before);
});

on_both_databases!(
    only_an_unreadable_export_is_refused_and_then_nothing_is_written,
    |app| {
        app.seed_demo().await;
        let good = export(&app, &options(&app)).await;
        let target = common::spawn(app.backend).await.unwrap();
        let empty = counts(&target).await;

        // A missing required column.
        let mut files = good.clone();
        let i = files["Project.csv"][0]
            .iter()
            .position(|h| h == "OperatingStartDate")
            .unwrap();
        for row in files.get_mut("Project.csv").unwrap() {
            row.remove(i);
        }
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Project.csv line 1, column OperatingStartDate: a required column is missing"]
        );

        // Two Export rows; a file missing from a full export.
        let mut files = good.clone();
        let export_row = files["Export.csv"][1].clone();
        files.get_mut("Export.csv").unwrap().push(export_row);
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Export.csv: an export has exactly one Export row, this one has 2"]
        );
        let mut files = good.clone();
        files.remove("Inventory.csv");
        let found = problems(import(&target, zip_files(&files)).await);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Inventory.csv: the file is missing from the zip"),
            "{found:?}"
        );

        // An FY2022 export is refused naming its version.
        let mut files = good.clone();
        set(&mut files, "Export.csv", 1, "CSVVersion", "FY2022");
        let found = problems(import(&target, zip_files(&files)).await);
        assert!(found[0].contains("this is an FY2022 export"), "{found:?}");
        assert_eq!(counts(&target).await, empty, "nothing written");

        // A delta export (ExportDirective 1) need not hold every file.
        let mut files = good.clone();
        files.remove("Inventory.csv");
        set(&mut files, "Export.csv", 1, "ExportDirective", "1");
        import(&target, zip_files(&files))
            .await
            .expect("a delta export imports");
        assert!(counts(&target).await[1] > empty[1]);
    }
);

on_both_databases!(fy2024_exports_and_hashed_exports_import, |app| {
    let good = generated(&app).await;

    // FY2024: HispanicLatinaeo, no Sex, the gender columns, sexual orientation
    // (FY2026 retired both: kept as written, shown on the records).
    let mut files = good.clone();
    set(&mut files, "Export.csv", 1, "CSVVersion", "2024 v1.3");
    let clients = files.get_mut("Client.csv").unwrap();
    let sex = clients[0].iter().position(|h| h == "Sex").unwrap();
    for (n, row) in clients.iter_mut().enumerate() {
        row.remove(sex);
        let genders = match n {
            0 => ["Woman", "Transgender", "GenderNone"],
            1 => ["1", "1", ""],
            _ => ["0", "0", "99"],
        };
        row.extend(genders.map(String::from));
    }
    let hispanic = clients[0].iter().position(|h| h == "HispanicLatinao").unwrap();
    clients[0][hispanic] = "HispanicLatinaeo".into();
    let latinx: Vec<String> = clients[1..].iter().map(|r| r[hispanic].clone()).collect();
    let enrollments = files.get_mut("Enrollment.csv").unwrap();
    for (n, row) in enrollments.iter_mut().enumerate() {
        let orientation = match n {
            0 => ["SexualOrientation", "SexualOrientationOther"],
            1 => ["6", "Pansexual"],
            _ => ["", ""],
        };
        row.extend(orientation.map(String::from));
    }
    let first_client = get(&files, "Client.csv", 1, "PersonalID").to_string();
    let first_enrollment = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    let enrolled = get(&files, "Enrollment.csv", 1, "PersonalID").to_string();
    let client_rows = files["Client.csv"].len() as i64 - 1;
    let target = common::spawn(app.backend).await.unwrap();
    let summary = import(&target, zip_files(&files)).await.expect("FY2024 imports");
    assert_eq!(summary.version, "2024 v1.3");
    assert_eq!(summary.report.total(), 0, "{:?}", summary.report.kept());
    let again = export(&target, &everything(&target)).await;
    let mut read_back: Vec<&str> = column(&again["Client.csv"], "HispanicLatinao");
    assert!(read_back.len() > 10, "the generated clients are exported again");
    let mut written: Vec<&str> = latinx.iter().map(String::as_str).collect();
    read_back.sort_unstable();
    written.sort_unstable();
    assert_eq!(read_back, written);
    assert!(column(&again["Client.csv"], "Sex").iter().all(|s| s.is_empty()));
    let kept = |table: &str| format!("SELECT COUNT(*) FROM {table}");
    assert_eq!(
        total(&target, &kept("retired_client_elements")).await,
        client_rows
    );
    assert_eq!(
        total(&target, &kept("retired_enrollment_elements")).await,
        1,
        "only the enrollment with values"
    );
    assert_eq!(
        scalar(
            &target,
            "SELECT elements FROM retired_enrollment_elements WHERE enrollment_id = ?",
            &first_enrollment
        )
        .await
        .as_deref(),
        Some(r#"{"SexualOrientation":"6","SexualOrientationOther":"Pansexual"}"#)
    );
    assert!(
        !again.values().flatten().flatten().any(|cell| cell == "Pansexual"),
        "never exported"
    );
    // The source's own records, read back from its FY2024 export, show them.
    import(&app, zip_files(&files))
        .await
        .expect("FY2024 into its source");
    let admin = app.signed_in("admin").await;
    let dashboard = |id: String| {
        let admin = &admin;
        let app = &app;
        async move {
            let response = app
                .call_as(admin, "get_client_dashboard", &[("personal_id", &id)])
                .await;
            assert_eq!(response.status(), 200);
            response
                .json::<app::features::clients::api::ClientDashboard>()
                .await
                .unwrap()
        }
    };
    let shown = dashboard(first_client).await;
    assert_eq!(
        shown.client.retired,
        [(
            "Gender".to_string(),
            "Woman (Girl, if child); Transgender".to_string()
        )]
    );
    let shown = dashboard(enrolled).await;
    let enrollment = shown
        .enrollments
        .iter()
        .find(|e| e.enrollment_id == first_enrollment)
        .expect("the enrollment");
    assert_eq!(
        enrollment.retired[0],
        ("Sexual orientation".into(), "Other".into())
    );
    assert_eq!(
        enrollment.retired[1],
        ("Sexual orientation, other".into(), "Pansexual".into())
    );

    // Hearth's own hashed export: 64 hexadecimal characters for names and SSNs.
    let source = common::spawn(app.backend).await.unwrap();
    generated(&source).await;
    let mut hashed = options(&source);
    hashed.from = None;
    hashed.hash_pii = true;
    let hashed = export(&source, &hashed).await;
    let ssns = column(&hashed["Client.csv"], "SSN");
    assert!(ssns.iter().any(|s| s.len() == 64), "{ssns:?}");
    let target = common::spawn(app.backend).await.unwrap();
    let summary = import(&target, zip_files(&hashed))
        .await
        .expect("hashed export imports");
    assert_eq!(summary.report.total(), 0, "{:?}", summary.report.kept());
    let mut everything = options(&target);
    everything.from = None;
    let again = export(&target, &everything).await;
    let names = column(&again["Client.csv"], "FirstName");
    assert!(
        !names.is_empty() && names.iter().filter(|n| !n.is_empty()).all(|n| n.len() == 64),
        "{names:?}"
    );
    let mut read_back = column(&again["Client.csv"], "SSN");
    let mut written = ssns.clone();
    read_back.sort_unstable();
    written.sort_unstable();
    assert_eq!(read_back, written, "hashed SSNs kept as they came");
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
    let options = hearth_server::demo_data::Options {
        clients: 120,
        seed: 7,
        today,
        progress: false,
    };
    hearth_server::demo_data::run(&app.db, &options, &app.state.data_key)
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

// ---------------------------------------------------------------------------
// Import from the browser

async fn upload(
    app: &common::TestApp,
    client: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    client
        .post(app.url(app::routes::ADMIN_IMPORTS))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload reaches the server")
}

async fn finished_imports(
    app: &common::TestApp,
    admin: &reqwest::Client,
) -> Vec<app::features::hmis_import::api::ImportJob> {
    use app::features::hmis_import::api::ImportJob;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let jobs: Vec<ImportJob> = app
            .call_as(admin, "list_imports", &[])
            .await
            .json()
            .await
            .unwrap();
        if !jobs.iter().any(|j| j.state.busy()) {
            return jobs;
        }
        assert!(std::time::Instant::now() < deadline, "the import finishes");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

on_both_databases!(hmis_admins_import_an_upload_or_read_why_not, |app| {
    use app::features::hmis_import::api::JobState;
    app.seed_demo().await;
    let source = export(&app, &options(&app)).await;
    let target = common::spawn(app.backend).await.unwrap();
    target.seed_demo().await;
    let admin = target.signed_in("admin").await;

    // An export that cannot be read as one: refused with the line, nothing written.
    let mut bad = source.clone();
    let i = bad["Project.csv"][0]
        .iter()
        .position(|h| h == "OperatingStartDate")
        .unwrap();
    for row in bad.get_mut("Project.csv").unwrap() {
        row.remove(i);
    }
    let response = upload(&target, &admin, "bad.zip", zip_files(&bad)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], app::routes::ADMIN_IMPORTS);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(jobs[0].state, JobState::Failed);
    assert_eq!(jobs[0].file_name, "bad.zip");
    assert_eq!(jobs[0].result.total, 1);
    let problem = &jobs[0].result.problems[0];
    assert_eq!(
        (problem.file.as_str(), problem.line, problem.column.as_deref()),
        ("Project.csv", Some(1), Some("OperatingStartDate"))
    );
    let before = counts(&target).await;

    // The good file imports: the source's projects are now in the target too.
    let response = upload(&target, &admin, "good.zip", zip_files(&source)).await;
    assert_eq!(response.status(), 303);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(
        jobs[0].state,
        JobState::Done,
        "{:?} {:?} {}",
        jobs[0].message,
        jobs[0].result.problems,
        jobs.len()
    );
    assert_eq!(jobs[0].started_by.as_deref(), Some("admin"));
    assert_eq!(
        target.state.jobs.live.get(&jobs[0].job_run_id),
        None,
        "the progress in memory goes with the job"
    );
    // The report says where the export came from and what it holds.
    let from = jobs[0].result.source.clone().unwrap_or_default();
    assert!(
        from.ends_with(&format!("ImplementationID {}", app.implementation_id)),
        "{from}"
    );
    assert_eq!(
        jobs[0].result.scope.as_deref(),
        Some("Full refresh, 2025-10-01 to 2026-09-30")
    );
    let report = target
        .page(&admin, &app::routes::import_report(&jobs[0].job_run_id))
        .await;
    assert!(
        report.contains("Full refresh, 2025-10-01 to 2026-09-30"),
        "{report}"
    );
    let after = counts(&target).await;
    assert_eq!(after[1], before[1] + exported_projects() as u64);
    assert!(
        std::fs::read_dir(target.files.path().join("jobs"))
            .unwrap()
            .count()
            == 0,
        "uploads are not kept"
    );
    assert!(
        target
            .audit_actions()
            .await
            .contains(&"hmis_import_started".to_string())
    );

    // A dirty file imports, and the job keeps its report.
    let mut dirty = source.clone();
    set(&mut dirty, "Project.csv", 1, "OperatingEndDate", "11-05-09");
    let response = upload(&target, &admin, "dirty.zip", zip_files(&dirty)).await;
    assert_eq!(response.status(), 303);
    let jobs = finished_imports(&target, &admin).await;
    assert_eq!(jobs[0].state, JobState::Done, "{:?}", jobs[0].message);
    assert_eq!(jobs[0].result.findings_total, 1);
    assert_eq!(jobs[0].result.findings_kept, 1);
    assert_eq!(jobs[0].result.findings[0].kind, FindingKind::NotADate);
    let projects = jobs[0]
        .result
        .files
        .iter()
        .find(|f| f.file == "Project.csv")
        .unwrap();
    let rows = dirty["Project.csv"].len() as u64 - 1;
    assert_eq!(
        (projects.read, projects.imported, projects.skipped),
        (rows, rows, 0)
    );
    assert!(
        jobs[0].message.as_deref().unwrap_or("").contains("1 finding"),
        "{:?}",
        jobs[0].message
    );

    // Not a zip, nobody else, no session, another site.
    let response = upload(&target, &admin, "notes.txt", b"hello".to_vec()).await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=")
    );
    for username in ["agencyadmin", "casemanager"] {
        let other = target.signed_in(username).await;
        assert_eq!(
            upload(&target, &other, "good.zip", zip_files(&source))
                .await
                .status(),
            403
        );
        assert_eq!(target.call_as(&other, "list_imports", &[]).await.status(), 403);
    }
    assert_eq!(
        upload(&target, &target.client, "good.zip", zip_files(&source))
            .await
            .status(),
        401
    );
    let part = reqwest::multipart::Part::bytes(zip_files(&source)).file_name("good.zip");
    let cross_site = admin
        .post(target.url(app::routes::ADMIN_IMPORTS))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert_eq!(
        finished_imports(&target, &admin).await.len(),
        3,
        "no other import was queued"
    );
    assert_eq!(counts(&target).await, after);
});

// ---------------------------------------------------------------------------
// Import hardening (issue 20): hostile files are refused clearly, nothing is written,
// memory stays flat.

/// This process's peak resident memory, from /proc (nextest runs each test in a
/// process of its own).
fn peak_memory_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib * 1024
}

/// A zip of `files` with `name` replaced by `bytes` written raw (deflated, fastest).
fn zip_with_raw(files: &Files, name: &str, write: impl FnOnce(&mut dyn std::io::Write)) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .large_file(true);
    for (file, rows) in files.iter().filter(|(f, _)| f.as_str() != name) {
        zip.start_file(file.as_str(), options).unwrap();
        let mut csv = csv::Writer::from_writer(Vec::new());
        for row in rows {
            csv.write_record(row).unwrap();
        }
        zip.write_all(&csv.into_inner().unwrap()).unwrap();
    }
    zip.start_file(name, options).unwrap();
    write(&mut zip);
    zip.finish().unwrap();
    out.into_inner()
}

fn refusal(result: Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError>) -> String {
    match result {
        Err(hmis_csv::import::ImportError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The bombs are refused before anything is written, whatever the database: SQLite only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_bomb_is_refused_while_memory_stays_flat() {
    let app = common::spawn(common::Backend::Sqlite).await.expect("SQLite");
    app.seed_demo().await;
    let source = export(&app, &options(&app)).await;
    let before = counts(&app).await;
    // Client.csv: the header, then 1 GiB of one line (about 1 MB zipped).
    let bomb = zip_with_raw(&source, "Client.csv", |out| {
        let header = source["Client.csv"][0].join(",");
        out.write_all(format!("{header}\n").as_bytes()).unwrap();
        let chunk = vec![b'A'; 1 << 20];
        for _ in 0..1024 {
            out.write_all(&chunk).unwrap();
        }
    });
    assert!(bomb.len() < 4 << 20, "the bomb is small: {} bytes", bomb.len());
    let message = refusal(import(&app, bomb).await);
    assert!(message.contains("Client.csv"), "{message}");
    assert!(message.contains("longer than 64 KiB"), "{message}");
    assert_eq!(counts(&app).await, before, "nothing was written");
    // Many short lines instead: stopped by the compression ratio long before their end.
    let lines = zip_with_raw(&source, "Enrollment.csv", |out| {
        let header = source["Enrollment.csv"][0].join(",");
        out.write_all(format!("{header}\n").as_bytes()).unwrap();
        let chunk = b"\n".repeat(1 << 20);
        for _ in 0..256 {
            out.write_all(&chunk).unwrap();
        }
    });
    let message = refusal(import(&app, lines).await);
    assert!(
        message.contains("Enrollment.csv") && message.contains("200 times"),
        "{message}"
    );
    assert_eq!(counts(&app).await, before);
    let peak = peak_memory_bytes();
    assert!(peak < 300 << 20, "peak memory {} MiB", peak >> 20);
}

on_both_databases!(
    hostile_zip_names_and_files_are_refused_and_nothing_is_written,
    |app| {
        app.seed_demo().await;
        // A client inside the export's period.
        common::households::household(&app, "Riverside Rapid Re-Housing", &[(1, 400)]).await;
        let source = export(&app, &options(&app)).await;
        let before = counts(&app).await;
        let renamed = |from: &str, to: &str| {
            let mut files = source.clone();
            let rows = files.remove(from).unwrap();
            files.insert(to.to_string(), rows);
            zip_files(&files)
        };
        for (name, says) in [
            ("../Client.csv", "leaves its folder"),
            ("/tmp/Client.csv", "absolute path"),
            ("a/b/Client.csv", "more than one folder deep"),
        ] {
            let message = refusal(import(&app, renamed("Client.csv", name)).await);
            assert!(message.contains(says), "{name}: {message}");
        }
        // One folder is how many HMIS zip their export: accepted.
        let mut folder = Files::new();
        for (name, rows) in &source {
            folder.insert(format!("export/{name}"), rows.clone());
        }
        let mut twice = source.clone();
        twice.insert("copy/Client.csv".into(), source["Client.csv"].clone());
        let message = refusal(import(&app, zip_files(&twice)).await);
        assert!(message.contains("both"), "{message}");
        assert_eq!(counts(&app).await, before);

        // A NUL in a cell, and a cell that is not UTF-8: listed by file, line and
        // column, the cell stored empty (FirstName may be empty), the rest imported.
        let mut nul = source.clone();
        let at = nul["Client.csv"][0]
            .iter()
            .position(|h| h == "FirstName")
            .unwrap();
        nul.get_mut("Client.csv").unwrap()[1][at] = "Ana\0".into();
        let first_client = nul["Client.csv"][1][0].clone();
        assert_eq!(
            findings(import(&app, zip_files(&nul)).await),
            [finding(
                "Client.csv",
                2,
                "FirstName",
                FindingKind::ControlCharacter,
                FindingAction::StoredEmpty
            )]
        );
        assert_eq!(first_name(&app, &first_client).await, None);
        let latin1 = zip_with_raw(&source, "Client.csv", |out| {
            let mut csv = csv::Writer::from_writer(Vec::new());
            for row in &source["Client.csv"] {
                csv.write_record(row).unwrap();
            }
            let mut bytes = csv.into_inner().unwrap();
            let first = source["Client.csv"][1][at].as_bytes().to_vec();
            let start = bytes
                .windows(first.len())
                .position(|w| w == first.as_slice())
                .unwrap();
            bytes.splice(start..start + first.len(), [b'J', 0xF6, b'r', b'g']);
            out.write_all(&bytes).unwrap();
        });
        let summary = import(&app, latin1).await.expect("imported");
        let listed = summary.report.kept();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(
            (
                listed[0].line,
                listed[0].column.as_deref(),
                listed[0].kind,
                listed[0].value.as_deref()
            ),
            (2, Some("FirstName"), FindingKind::NotUtf8, Some("J\u{fffd}rg"))
        );
        assert_eq!(counts(&app).await, before);

        // An empty file and a file that is no zip never open as archives; through the
        // upload they are refused clearly.
        assert!(zip::ZipArchive::new(std::io::Cursor::new(Vec::<u8>::new())).is_err());
        let admin = app.signed_in("admin").await;
        let response = upload(&app, &admin, "empty.zip", Vec::new()).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("error=The+file+is+empty"), "{location}");
        let response = upload(&app, &admin, "notes.zip", b"not a zip at all".to_vec()).await;
        assert_eq!(response.status(), 303);
        let jobs = finished_imports(&app, &admin).await;
        let job = jobs
            .iter()
            .find(|j| j.file_name == "notes.zip")
            .expect("the upload is a job");
        assert_eq!(job.state, app::features::hmis_import::api::JobState::Failed);
        let message = job.message.clone().unwrap_or_default();
        assert!(message.contains("not a zip"), "{message}");
        assert_eq!(counts(&app).await, before);
        // The folder zip imports (its rows are the demo's own: updated in place).
        import(&app, zip_files(&folder))
            .await
            .expect("one folder is accepted");
    }
);

/// One number a query over the whole database answers.
async fn total(app: &common::TestApp, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let statement = app::db::statement(app.db.get_database_backend(), sql, Vec::new());
    let row = app.db.query_one_raw(statement).await.unwrap().expect("a row");
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Clients, enrollments, exits, households, projects and users.
async fn records(app: &common::TestApp) -> [i64; 6] {
    [
        total(app, "SELECT COUNT(*) FROM clients").await,
        total(app, "SELECT COUNT(*) FROM enrollments").await,
        total(app, "SELECT COUNT(*) FROM exits").await,
        total(app, "SELECT COUNT(DISTINCT household_id) FROM enrollments").await,
        total(app, "SELECT COUNT(*) FROM projects").await,
        total(app, "SELECT COUNT(*) FROM users").await,
    ]
}

on_both_databases!(
    two_systems_with_the_same_ids_stay_apart_and_each_updates_its_own,
    |app| {
        let generated = generated(&app).await;
        let target = common::spawn(app.backend).await.unwrap();
        let empty = records(&target).await;
        // Two systems whose IDs are the same (as two vendors' counters are): other people.
        let mut a = generated.clone();
        set(&mut a, "Export.csv", 1, "ImplementationID", "system-a");
        let mut b = generated.clone();
        set(&mut b, "Export.csv", 1, "ImplementationID", "system-b");
        for row in 1..b["Client.csv"].len() {
            set(&mut b, "Client.csv", row, "FirstName", &format!("Bee{row}"));
        }
        let first_id = get(&a, "Client.csv", 1, "PersonalID").to_string();
        let a_name = get(&a, "Client.csv", 1, "FirstName").to_string();

        import(&target, zip_files(&a)).await.expect("system A imports");
        let after_a = records(&target).await;
        // System A's IDs were free: kept as they are.
        assert_eq!(first_name(&target, &first_id).await, Some(a_name.clone()));
        import(&target, zip_files(&b)).await.expect("system B imports");
        let after_b = records(&target).await;
        // Nothing of A's was overwritten: every record of B is a new one, households too.
        for i in 0..5 {
            assert_eq!(
                after_b[i] - after_a[i],
                after_a[i] - empty[i],
                "kind {i}: {after_b:?}"
            );
        }
        assert_eq!(first_name(&target, &first_id).await, Some(a_name.clone()));
        assert_eq!(
            total(
                &target,
                "SELECT COUNT(*) FROM clients WHERE first_name LIKE 'Bee%'"
            )
            .await,
            (b["Client.csv"].len() - 1) as i64
        );
        // Each record names its own system's records, and no household mixes systems.
        let crossed = "SELECT COUNT(*) FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id \
                   JOIN projects p ON p.project_id = e.project_id \
                   WHERE e.import_source_id <> c.import_source_id OR e.import_source_id <> p.import_source_id";
        assert_eq!(total(&target, crossed).await, 0);
        let exits = "SELECT COUNT(*) FROM exits x JOIN enrollments e ON e.enrollment_id = x.enrollment_id \
                 WHERE x.import_source_id <> e.import_source_id OR x.personal_id <> e.personal_id";
        assert_eq!(total(&target, exits).await, 0);
        let mixed = "SELECT COUNT(*) FROM (SELECT household_id FROM enrollments GROUP BY household_id \
                 HAVING COUNT(DISTINCT import_source_id) > 1) h";
        assert_eq!(total(&target, mixed).await, 0);

        // A system's next import finds its own records: B's first client renamed, nothing
        // doubles, A's client untouched; A again changes nothing.
        set(&mut b, "Client.csv", 1, "FirstName", "Renamed");
        import(&target, zip_files(&b))
            .await
            .expect("system B imports again");
        import(&target, zip_files(&a))
            .await
            .expect("system A imports again");
        assert_eq!(records(&target).await, after_b);
        assert_eq!(
            total(
                &target,
                "SELECT COUNT(*) FROM clients WHERE first_name = 'Renamed'"
            )
            .await,
            1
        );
        assert_eq!(first_name(&target, &first_id).await, Some(a_name));

        // A third system's delta naming a client only the others have: the row is left out.
        let mut c = Files::new();
        c.insert("Export.csv".into(), a["Export.csv"].clone());
        set(&mut c, "Export.csv", 1, "ImplementationID", "system-c");
        set(&mut c, "Export.csv", 1, "ExportDirective", "1");
        c.insert("Enrollment.csv".into(), a["Enrollment.csv"][..2].to_vec());
        let found = findings(import(&target, zip_files(&c)).await);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found
                .iter()
                .all(|f| f.3 == FindingKind::UnknownReference && f.4 == FindingAction::RowSkipped),
            "{found:?}"
        );
        assert_eq!(records(&target).await, after_b);

        // Hearth's own export comes back as it is: its IDs are Hearth's.
        let mut everything = options(&target);
        everything.from = None;
        everything.to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let own = export(&target, &everything).await;
        import(&target, zip_files(&own))
            .await
            .expect("its own export imports");
        assert_eq!(records(&target).await, after_b);
        let sources = total(&target, "SELECT COUNT(*) FROM import_sources").await;
        assert_eq!(sources, 3, "A, B and C; Hearth's own export is none");
    }
);

on_both_databases!(an_import_tells_its_progress_by_file_and_row, |app| {
    // Each file the zip holds is told as it starts and as its rows are written, in the
    // spec's order, the bytes done only growing to the total.
    let files = generated(&app).await;
    let target = common::spawn(app.backend).await.unwrap();
    target.seed_demo().await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_files(&files))).unwrap();
    let options = hmis_csv::import::ImportOptions {
        time_zone: chrono_tz::America::Chicago,
        data_key: target.state.data_key.clone(),
    };
    let mut told: Vec<hmis_csv::import::ImportProgress> = Vec::new();
    let summary = hmis_csv::import::import(&target.db, &mut archive, &options, &mut |p| told.push(p.clone()))
        .await
        .expect("imports");
    let held = files.len() - 1; // all but Export.csv
    assert!(told.iter().all(|p| p.files == held), "{:?}", told[0]);
    let total = told[0].total_bytes;
    assert!(total > 0);
    assert!(
        told.windows(2)
            .all(|w| w[0].done_bytes <= w[1].done_bytes && w[0].file_number <= w[1].file_number)
    );
    let last = told.last().unwrap();
    assert_eq!(
        (last.done_bytes, last.permille(), last.file_number),
        (total, 1000, held)
    );
    // Each file's last word has its rows.
    for count in summary.files.iter().filter(|f| f.read > 0) {
        let said = told.iter().rfind(|p| p.file == count.file).unwrap();
        assert_eq!(said.rows, count.read, "{}", count.file);
        let message = said.message();
        assert!(
            message.starts_with(&format!("Importing {} (file ", count.file))
                && message.ends_with(&format!("): {} rows read", count.read)),
            "{message}"
        );
    }
    assert!(told.iter().any(|p| p.permille() > 0 && p.permille() < 1000));

    // A running import's page shows the progress its server holds in memory (the job's
    // row cannot: on SQLite the import holds the one writer).
    let admin = target.signed_in("admin").await;
    let id = app::db::new_id();
    let mut row = app::jobs::NewJob {
        id: id.clone(),
        kind: app::jobs::JobKind::HmisImport,
        status: app::jobs::JobState::Running,
        at: target.state.now(),
        total: Some(app::features::hmis_import::service::STEPS),
        message: "Reading and importing every file",
        created_by: None,
        params: r#"{"file_name":"big.zip"}"#.into(),
    }
    .row();
    // Its worker alive for the length of the test.
    row.worker = sea_orm::Set(Some(target.state.jobs.worker.clone()));
    row.heartbeat_at = sea_orm::Set(Some(chrono::Utc::now() + chrono::Duration::hours(1)));
    sea_orm::ActiveModelTrait::insert(row, &target.db).await.unwrap();
    let live = hmis_csv::import::ImportProgress {
        file: "Enrollment.csv".into(),
        file_number: 12,
        files: 23,
        rows: 120_000,
        done_bytes: 250,
        total_bytes: 1000,
    };
    target.state.jobs.live.set(
        &id,
        app::jobs::LiveProgress {
            progress: live.permille(),
            total: 1000,
            message: live.message(),
        },
    );
    let page = target.page(&admin, app::routes::ADMIN_IMPORTS).await;
    assert!(
        page.contains("Importing Enrollment.csv (file 12 of 23): 120000 rows read"),
        "{page}"
    );
    assert!(page.contains(r#"max="1000" value="250""#), "{page}");
    // Done, the row speaks again.
    target.state.jobs.live.clear(&id);
    let page = target.page(&admin, app::routes::ADMIN_IMPORTS).await;
    assert!(page.contains("Reading and importing every file"), "{page}");
});

on_both_databases!(a_later_import_keeps_hearths_newer_copy_and_soft_deletes, |app| {
    let mut files = generated(&app).await;
    set(&mut files, "Export.csv", 1, "ImplementationID", "system-a");
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("imports");
    let before = records(&target).await;

    // A case manager corrects a name in Hearth after the import.
    let edited = get(&files, "Client.csv", 1, "PersonalID").to_string();
    {
        use sea_orm::ConnectionTrait;
        let sql = "UPDATE clients SET first_name = 'Corrected', updated_at = ? WHERE personal_id = ?";
        let values = vec![chrono::Utc::now().into(), edited.clone().into()];
        target
            .db
            .execute_raw(app::db::statement(target.db.get_database_backend(), sql, values))
            .await
            .unwrap();
    }
    // The same export again, that client's name changed in it but not its DateUpdated:
    // Hearth's newer copy stays, the rest is written as it was (nothing changes).
    let mut again = files.clone();
    set(&mut again, "Client.csv", 1, "FirstName", "Stale");
    // The source deleted an enrollment and a client since (DateDeleted, DateUpdated later).
    let enrollment = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    set(
        &mut again,
        "Enrollment.csv",
        1,
        "DateDeleted",
        "2026-10-02 09:00:00",
    );
    set(
        &mut again,
        "Enrollment.csv",
        1,
        "DateUpdated",
        "2026-10-02 09:00:00",
    );
    let deleted_client = get(&files, "Client.csv", 2, "PersonalID").to_string();
    set(&mut again, "Client.csv", 2, "DateDeleted", "2026-10-02 09:00:00");
    set(&mut again, "Client.csv", 2, "DateUpdated", "2026-10-02 09:00:00");
    let summary = import(&target, zip_files(&again)).await.expect("imports again");
    let clients = summary.files.iter().find(|f| f.file == "Client.csv").unwrap();
    assert_eq!(
        (clients.kept_newer, clients.imported, clients.skipped),
        (1, clients.read - 1, 0),
        "{clients:?}"
    );
    assert_eq!(first_name(&target, &edited).await, Some("Corrected".into()));
    // Deleted at the source: kept in Hearth as deleted, gone from what Hearth shows.
    assert!(
        scalar(
            &target,
            "SELECT personal_id FROM clients WHERE personal_id = ? AND date_deleted IS NOT NULL",
            &deleted_client
        )
        .await
        .is_some()
    );
    assert!(
        scalar(
            &target,
            "SELECT enrollment_id FROM enrollments WHERE enrollment_id = ? AND date_deleted IS NOT NULL",
            &enrollment
        )
        .await
        .is_some()
    );
    assert_eq!(
        records(&target).await,
        before,
        "nothing doubles, nothing is removed"
    );
    let mut everything = options(&target);
    everything.from = None;
    everything.to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let exported = export(&target, &everything).await;
    assert!(!column(&exported["Enrollment.csv"], "EnrollmentID").contains(&enrollment.as_str()));
});

on_both_databases!(a_full_refresh_deletes_what_its_system_no_longer_holds, |app| {
    let mut files = generated(&app).await;
    set(&mut files, "Export.csv", 1, "ImplementationID", "system-a");
    let target = common::spawn(app.backend).await.unwrap();
    import(&target, zip_files(&files)).await.expect("imports");
    // The system deleted an enrollment (and its records), one funder and one
    // disability record of another enrollment, and exports a full refresh again.
    let mut again = files.clone();
    let gone = get(&files, "Enrollment.csv", 1, "EnrollmentID").to_string();
    let mut removed: std::collections::BTreeMap<String, i64> = Default::default();
    for (name, rows) in again.iter_mut() {
        let Some(at) = rows[0].iter().position(|h| h == "EnrollmentID") else {
            continue;
        };
        let before = rows.len();
        rows.retain(|row| row[at] != gone);
        removed.insert(name.clone(), (before - rows.len()) as i64);
    }
    let funder = get(&files, "Funder.csv", 1, "FunderID").to_string();
    again.get_mut("Funder.csv").unwrap().remove(1);
    let disabilities = again.get_mut("Disabilities.csv").unwrap();
    let disability = disabilities[1][0].clone();
    disabilities.remove(1);
    *removed.get_mut("Disabilities.csv").unwrap() += 1;
    let client = get(&files, "Enrollment.csv", 1, "PersonalID").to_string();
    let live = |table: &str| format!("SELECT COUNT(*) FROM {table} WHERE date_deleted IS NULL");
    let live_before = total(&target, &live("enrollments")).await;

    let summary = import(&target, zip_files(&again)).await.expect("full refresh");
    let deleted = |file: &str| {
        summary
            .files
            .iter()
            .find(|f| f.file == file)
            .map_or(0, |f| f.deleted as i64)
    };
    assert_eq!(deleted("Enrollment.csv"), 1);
    assert_eq!(deleted("Funder.csv"), 1);
    for (file, n) in &removed {
        if file != "Client.csv" {
            assert_eq!(deleted(file), *n, "{file}");
        }
    }
    assert_eq!(deleted("Client.csv"), 0, "a client is never deleted by absence");
    assert_eq!(total(&target, &live("enrollments")).await, live_before - 1);
    let is_deleted = |table: &str, key: &str| {
        format!("SELECT {key} FROM {table} WHERE {key} = ? AND date_deleted IS NOT NULL")
    };
    assert!(
        scalar(&target, &is_deleted("enrollments", "enrollment_id"), &gone)
            .await
            .is_some()
    );
    assert!(
        scalar(&target, &is_deleted("funders", "funder_id"), &funder)
            .await
            .is_some()
    );
    assert!(
        scalar(
            &target,
            &is_deleted("disabilities", "disabilities_id"),
            &disability
        )
        .await
        .is_some()
    );
    assert!(
        scalar(&target, &is_deleted("clients", "personal_id"), &client)
            .await
            .is_none()
    );
    let exported = export(&target, &everything(&target)).await;
    assert!(!column(&exported["Enrollment.csv"], "EnrollmentID").contains(&gone.as_str()));

    // A delta (ExportDirective 1) holds only what changed: nothing is deleted by it.
    let mut delta = again.clone();
    set(&mut delta, "Export.csv", 1, "ExportDirective", "1");
    delta.get_mut("Enrollment.csv").unwrap().truncate(2);
    let summary = import(&target, zip_files(&delta)).await.expect("delta");
    assert!(
        summary.files.iter().all(|f| f.deleted == 0),
        "{:?}",
        summary.files
    );
    assert_eq!(total(&target, &live("enrollments")).await, live_before - 1);
});
