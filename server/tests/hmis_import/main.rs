//! The HMIS CSV import on both databases: Hearth's own exports round trip; dirty cells
//! and rows are imported as the report says (stored empty, as 99, or left out, each
//! listed by file, line and column); only what makes an export unreadable as one
//! refuses it; hostile files are refused with memory flat; HMIS admins import from
//! the browser and read the report.

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod dirty;
mod hardening;
mod refresh;
mod round_trip;

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

/// An export of generated demo households (every record kind, exits included).
async fn generated(app: &common::TestApp) -> Files {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let generate = hearth_demo::data::Options {
        clients: 40,
        seed: 11,
        today,
        progress: false,
    };
    hearth_demo::data::run(&app.db, &generate, &app.state.data_key)
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
