//! The HMIS CSV FY2026 export on both databases: 24 files whose headers are the spec's
//! column lists (read from the spec copy in the project), Export.csv describing the
//! export, project filters, hashed exports.

mod common;

use std::collections::BTreeMap;

use common::hmis_files::{column, export, exported_projects, options, unzip};
use hearth_server::hmis_csv;

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
    assert_eq!(
        column(export, "ImplementationID"),
        [app.implementation_id.as_str()]
    );

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
