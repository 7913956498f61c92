//! The HMIS CSV FY2026 export on both databases: 24 files whose headers are the spec's
//! column lists (read from the spec copy in the project), Export.csv describing the
//! export, project filters, hashed exports.

mod common;

use std::collections::BTreeMap;
use std::io::Read;

use hearth_server::hmis_csv::{self, ExportOptions};

/// The spec's column list for each file, read straight from the CSV files in the
/// project (independently of the export's own reading of them).
fn spec_headers() -> BTreeMap<String, Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/hmis_csv/spec");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('_') || name == "columns.csv" || !name.ends_with(".csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let columns = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
        files.insert(name, columns);
    }
    files
}

/// The export's files: name → rows (header first).
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        assert!(
            text.is_empty() || text.contains("\r\n"),
            "{}: CRLF line ends",
            entry.name()
        );
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        files.insert(entry.name().to_string(), rows);
    }
    files
}

/// The demo projects an export holds: all but the victim service provider's.
fn exported_projects() -> usize {
    let safe_harbor = 4;
    hearth_server::demo::DEMO_PROJECTS
        .iter()
        .filter(|p| p.0 != safe_harbor)
        .count()
}

fn options(app: &common::TestApp) -> ExportOptions {
    ExportOptions {
        from: chrono::NaiveDate::from_ymd_opt(2025, 10, 1),
        to: chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
        projects: Vec::new(),
        hash_pii: false,
        time_zone: chrono_tz::America::Chicago,
        now: app.state.now(),
        export_id: "e2026".into(),
        implementation_id: "impl-1".into(),
        data_key: app.state.data_key.clone(),
    }
}

async fn export(app: &common::TestApp, options: &ExportOptions) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut progress = |_: &hmis_csv::export::ExportProgress| {};
    hmis_csv::export::write_export(&app.db, options, &mut out, &mut progress)
        .await
        .expect("export");
    unzip(out.get_ref())
}

fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} column"));
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

on_both_databases!(every_file_has_the_spec_headers_in_order, |app| {
    app.seed_demo().await;
    let files = export(&app, &options(&app)).await;
    let spec = spec_headers();
    assert_eq!(spec.len(), 24);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        spec.keys().collect::<Vec<_>>(),
        "the 24 files"
    );
    for (name, columns) in &spec {
        assert_eq!(&files[name][0], columns, "{name} header");
        for row in &files[name][1..] {
            assert_eq!(row.len(), columns.len(), "{name} row width");
        }
    }

    // Export.csv describes this export.
    let export = &files["Export.csv"];
    assert_eq!(export.len(), 2, "one Export row");
    assert_eq!(column(export, "ExportID"), ["e2026"]);
    assert_eq!(column(export, "ExportStartDate"), ["2025-10-01"]);
    assert_eq!(column(export, "ExportEndDate"), ["2026-09-30"]);
    assert_eq!(column(export, "ExportPeriodType"), ["3"]);
    assert_eq!(column(export, "ExportDirective"), ["2"]);
    assert_eq!(column(export, "HashStatus"), ["1"]);
    assert_eq!(column(export, "SourceID"), ["MO-500"]);
    assert_eq!(column(export, "CSVVersion"), ["2026 v1.0"]);
    assert_eq!(column(export, "ImplementationID"), ["impl-1"]);

    // The demo's organizations with projects, and all its projects, funders and CoCs.
    let projects = &files["Project.csv"];
    assert_eq!(projects.len() - 1, exported_projects());
    assert!(column(projects, "ExportID").iter().all(|id| *id == "e2026"));
    let outreach = projects[1..]
        .iter()
        .find(|r| r[2] == "Northside Street Outreach")
        .expect("outreach exported");
    let header = &projects[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(outreach[at("ProjectType")], "4");
    assert_eq!(outreach[at("OperatingStartDate")], "2019-07-01");
    assert_eq!(outreach[at("HousingType")], "");
    assert!(
        chrono::NaiveDateTime::parse_from_str(&outreach[at("DateCreated")], "%Y-%m-%d %H:%M:%S").is_ok(),
        "timestamps as YYYY-MM-DD hh:mm:ss"
    );
    let organizations = column(&files["Organization.csv"], "OrganizationName");
    assert_eq!(organizations.len(), 3, "the HMIS lead agency runs no project");
    assert!(!organizations.contains(&"HMIS Lead Agency"));
    // The victim service provider's records never leave it.
    assert!(!organizations.contains(&"Safe Harbor DV Services"));
    assert!(
        !column(projects, "ProjectName")
            .iter()
            .any(|n| n.starts_with("Safe Harbor"))
    );
    assert!(
        column(&files["Organization.csv"], "VictimServiceProvider")
            .iter()
            .all(|v| *v == "0")
    );
    assert_eq!(files["Funder.csv"].len() - 1, exported_projects());
    assert_eq!(files["ProjectCoC.csv"].len() - 1, exported_projects());
    assert!(
        column(&files["ProjectCoC.csv"], "Geocode")
            .iter()
            .all(|g| *g == "299189")
    );
    assert_eq!(
        files["User.csv"].len() - 1,
        9,
        "the demo users and Hearth's system user"
    );
    assert!(
        column(&files["Project.csv"], "UserID")
            .iter()
            .all(|u| *u == "hearth-system")
    );
});

on_both_databases!(one_project_and_a_hashed_export, |app| {
    app.seed_demo().await;
    let all = export(&app, &options(&app)).await;
    let outreach_id = all["Project.csv"][1..]
        .iter()
        .find(|r| r[2] == "Northside Street Outreach")
        .unwrap()[0]
        .clone();
    let mut one = options(&app);
    one.projects = vec![outreach_id.clone()];
    one.hash_pii = true;
    one.from = None;
    let files = export(&app, &one).await;
    assert_eq!(column(&files["Project.csv"], "ProjectID"), [outreach_id.as_str()]);
    assert_eq!(
        column(&files["Organization.csv"], "OrganizationName"),
        ["Northside Street Outreach"]
    );
    assert_eq!(column(&files["Funder.csv"], "ProjectID"), [outreach_id.as_str()]);
    assert_eq!(column(&files["Export.csv"], "HashStatus"), ["4"]);
    assert_eq!(column(&files["Export.csv"], "ExportPeriodType"), ["4"]);

    // A period that ends before it starts is refused, and nothing is written.
    let mut backwards = options(&app);
    backwards.to = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    let mut progress = |_: &hmis_csv::export::ExportProgress| {};
    let refused = hmis_csv::export_to_path(&app.db, &path, &backwards, &mut progress).await;
    assert!(matches!(refused, Err(hmis_csv::ExportError::Period { .. })));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file left behind"
    );
    let written = hmis_csv::export_to_path(&app.db, &path, &options(&app), &mut progress)
        .await
        .unwrap();
    assert_eq!(written.rows("Project.csv"), Some(exported_projects() as u64));
    assert!(path.exists());
});

/// Waits (bounded) for an export job to leave the queue; answers the final overview.
async fn finished_export(
    app: &common::TestApp,
    admin: &reqwest::Client,
) -> app::features::hmis_export::api::ExportsOverview {
    use app::features::hmis_export::api::ExportsOverview;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let overview: ExportsOverview = app
            .call_as(admin, "list_exports", &[])
            .await
            .json()
            .await
            .unwrap();
        if !overview.busy() {
            return overview;
        }
        assert!(std::time::Instant::now() < deadline, "the export finishes");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

on_both_databases!(hmis_admins_export_from_the_browser_and_download_the_zip, |app| {
    use app::features::hmis_export::api::JobState;
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let response = app
        .call_as(
            &admin,
            "start_export",
            &[("from", ""), ("to", ""), ("project_id", ""), ("hash_pii", "on")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let job_id: String = response.json().await.unwrap();
    let overview = finished_export(&app, &admin).await;
    let job = overview
        .jobs
        .iter()
        .find(|j| j.job_run_id == job_id)
        .expect("listed");
    assert_eq!(job.state, JobState::Done, "{:?}", job.message);
    assert_eq!((job.progress, job.total), (24, 24));
    assert!(job.params.hash_pii);
    assert_eq!(job.started_by.as_deref(), Some("admin"));

    let url = app.url(&app::features::hmis_export::api::download_path(&job_id));
    let download = admin.get(&url).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/zip");
    let files = unzip(&download.bytes().await.unwrap());
    assert_eq!(files.len(), 24);
    assert_eq!(column(&files["Export.csv"], "ExportID"), [job_id.as_str()]);
    assert_eq!(column(&files["Export.csv"], "HashStatus"), ["4"]);
    assert_eq!(column(&files["Export.csv"], "ExportPeriodType"), ["4"]);

    // Nobody else downloads or starts exports.
    for username in ["agencyadmin", "casemanager"] {
        let other = app.signed_in(username).await;
        assert_eq!(other.get(&url).send().await.unwrap().status(), 403, "{username}");
        assert_eq!(
            app.call_as(&other, "start_export", &[("to", "")]).await.status(),
            403
        );
        assert_eq!(app.call_as(&other, "list_exports", &[]).await.status(), 403);
    }
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(app.call("start_export", &[("to", "")]).await.status(), 401);
    let missing = app.url(&app::features::hmis_export::api::download_path("nope"));
    assert_eq!(admin.get(&missing).send().await.unwrap().status(), 404);

    let actions = app.audit_actions().await;
    for action in ["hmis_export_started", "hmis_export_downloaded"] {
        assert!(actions.contains(&action.to_string()), "{action} audited");
    }
});

on_both_databases!(bad_export_requests_are_explained_and_queue_nothing, |app| {
    use app::error::AppError;
    use sea_orm::{EntityTrait, PaginatorTrait};
    app.seed_demo().await;
    let admin = app.signed_in("admin").await;
    let today = app.state.today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let cases = [
        (
            vec![("to", tomorrow.as_str())],
            "to",
            "The period cannot end in the future.",
        ),
        (
            vec![("from", "2026-02-01"), ("to", "2026-01-01")],
            "from",
            "The period cannot start after it ends.",
        ),
        (vec![("from", "last week")], "from", "Enter a date (YYYY-MM-DD)."),
        (
            vec![("project_id", "no-such-project")],
            "project_id",
            "Choose a project from the list.",
        ),
    ];
    for (form, field, message) in cases {
        let response = app.call_as(&admin, "start_export", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error.message_for(field), Some(message));
    }
    assert_eq!(
        app::db::entities::job_run::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
});

// ---------------------------------------------------------------------------
// Import

type Files = BTreeMap<String, Vec<Vec<String>>>;

/// A zip of `files`, written as a real HMIS would (CRLF, quoting where needed).
fn zip_files(files: &Files) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, rows) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for row in rows {
            csv.write_record(row).unwrap();
        }
        zip.write_all(&csv.into_inner().unwrap()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

async fn import(
    app: &common::TestApp,
    bytes: Vec<u8>,
) -> Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let options = hmis_csv::import::ImportOptions {
        time_zone: chrono_tz::America::Chicago,
        data_key: app.state.data_key.clone(),
        announce: None,
    };
    hmis_csv::import::import(&app.db, &mut archive, &options).await
}

/// The export's files without what differs between two exports by design: Export.csv,
/// the ExportID column and the order of the records (HMIS CSV gives rows no order; the
/// records of enrollments come as the database reads them fastest).
fn comparable(mut files: Files) -> Files {
    files.remove("Export.csv");
    for rows in files.values_mut() {
        for row in rows.iter_mut() {
            row.pop();
        }
        if rows.len() > 1 {
            rows[1..].sort();
        }
    }
    files
}

fn problems(result: Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError>) -> Vec<String> {
    match result {
        Err(hmis_csv::import::ImportError::Invalid { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected the import to be refused, got {other:?}"),
    }
}

async fn counts(app: &common::TestApp) -> Vec<u64> {
    use app::db::entities::{funder, organization, project, user};
    use sea_orm::{EntityTrait, PaginatorTrait};
    vec![
        organization::Entity::find().count(&app.db).await.unwrap(),
        project::Entity::find().count(&app.db).await.unwrap(),
        funder::Entity::find().count(&app.db).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap(),
    ]
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

on_both_databases!(
    corrupted_files_are_rejected_with_the_line_and_nothing_is_written,
    |app| {
        app.seed_demo().await;
        let good = export(&app, &options(&app)).await;
        let target = common::spawn(app.backend).await.unwrap();
        let empty = counts(&target).await;
        let at = |files: &Files, file: &str, column: &str| {
            files[file][0].iter().position(|h| h == column).unwrap()
        };

        // A bad code on the third project (line 4: the header is line 1).
        let mut files = good.clone();
        let i = at(&files, "Project.csv", "ProjectType");
        files.get_mut("Project.csv").unwrap()[3][i] = "5".into();
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Project.csv line 4, column ProjectType: 5 is not a code of list 2.02.6 (ProjectType)"]
        );

        // A bad date.
        let mut files = good.clone();
        let i = at(&files, "Funder.csv", "StartDate");
        files.get_mut("Funder.csv").unwrap()[2][i] = "2025-13-01".into();
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Funder.csv line 3, column StartDate: \"2025-13-01\" is not a date (YYYY-MM-DD)"]
        );

        // A missing required column.
        let mut files = good.clone();
        let i = at(&files, "Project.csv", "OperatingStartDate");
        for row in files.get_mut("Project.csv").unwrap() {
            row.remove(i);
        }
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            ["Project.csv line 1, column OperatingStartDate: a required column is missing"]
        );

        // An orphan: an exit of an enrollment the files do not hold.
        let mut files = good.clone();
        let header = files["Exit.csv"][0].clone();
        let mut exit = vec![String::new(); header.len()];
        let set = |row: &mut Vec<String>, name: &str, value: &str| {
            row[header.iter().position(|h| h == name).unwrap()] = value.to_string();
        };
        set(&mut exit, "ExitID", "x1");
        set(&mut exit, "EnrollmentID", "no-such-enrollment");
        set(&mut exit, "PersonalID", "no-such-client");
        set(&mut exit, "ExitDate", "2026-01-05");
        set(&mut exit, "Destination", "101");
        set(&mut exit, "DateCreated", "2026-01-05 10:00:00");
        set(&mut exit, "DateUpdated", "2026-01-05 10:00:00");
        set(&mut exit, "UserID", "u1");
        set(&mut exit, "ExportID", "e2026");
        files.get_mut("Exit.csv").unwrap().push(exit);
        assert_eq!(
            problems(import(&target, zip_files(&files)).await),
            [
                "Exit.csv line 2, column EnrollmentID: no-such-enrollment is not in Enrollment.csv",
                "Exit.csv line 2, column PersonalID: no-such-client is not in Client.csv",
            ]
        );

        // A duplicate primary key, two Export rows, a missing file.
        let mut files = good.clone();
        let copy = files["Funder.csv"][1].clone();
        files.get_mut("Funder.csv").unwrap().push(copy.clone());
        let export_row = files["Export.csv"][1].clone();
        files.get_mut("Export.csv").unwrap().push(export_row);
        files.remove("Inventory.csv");
        let found = problems(import(&target, zip_files(&files)).await);
        assert!(
            found.contains(&"Inventory.csv: the file is missing from the zip".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"Export.csv: an export has exactly one Export row, this one has 2".to_string()),
            "{found:?}"
        );
        let duplicate = format!(
            "Funder.csv line {}, column FunderID: {} appears more than once",
            files["Funder.csv"].len(),
            copy[0]
        );
        assert!(found.contains(&duplicate), "{found:?}");

        assert_eq!(counts(&target).await, empty, "nothing written");
    }
);

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

    // A corrupted file: refused with the line, nothing written.
    let mut bad = source.clone();
    let i = bad["Project.csv"][0]
        .iter()
        .position(|h| h == "ProjectType")
        .unwrap();
    bad.get_mut("Project.csv").unwrap()[2][i] = "99".into();
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
        ("Project.csv", Some(3), Some("ProjectType"))
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
        2,
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

        // A NUL in a cell, and a cell that is not UTF-8: by file, line and column.
        let mut nul = source.clone();
        let at = nul["Client.csv"][0]
            .iter()
            .position(|h| h == "FirstName")
            .unwrap();
        nul.get_mut("Client.csv").unwrap()[1][at] = "Ana\0".into();
        let found = problems(import(&app, zip_files(&nul)).await);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("Client.csv line 2, column FirstName: contains a control character"),
            "{found:?}"
        );
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
        let found = problems(import(&app, latin1).await);
        assert_eq!(
            found,
            ["Client.csv line 2, column FirstName: is not valid text (UTF-8): save the file as UTF-8"]
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
