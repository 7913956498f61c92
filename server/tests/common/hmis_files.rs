//! HMIS CSV files in tests: an export unzipped into rows, rows zipped as a real HMIS
//! would write them, an import of such a zip.

use std::collections::BTreeMap;
use std::io::Read;

use hearth_server::hmis_csv::{self, ExportOptions};

use super::TestApp;

/// The export's files: name → rows (header first).
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<Vec<String>>> {
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
pub fn exported_projects() -> usize {
    let safe_harbor = 4;
    hearth_demo::accounts::DEMO_PROJECTS
        .iter()
        .filter(|p| p.0 != safe_harbor)
        .count()
}

pub fn options(app: &TestApp) -> ExportOptions {
    ExportOptions {
        from: chrono::NaiveDate::from_ymd_opt(2025, 10, 1),
        to: chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
        projects: Vec::new(),
        hash_pii: false,
        time_zone: chrono_tz::America::Chicago,
        now: app.state.now(),
        export_id: "e2026".into(),
        implementation_id: app.implementation_id.clone(),
        data_key: app.state.data_key.clone(),
    }
}

pub async fn export(app: &TestApp, options: &ExportOptions) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut progress = |_: &hmis_csv::export::ExportProgress| {};
    let scratch = tempfile::tempdir().expect("a scratch directory");
    hmis_csv::export::write_export(&app.db, options, &mut out, scratch.path(), &mut progress)
        .await
        .expect("export");
    unzip(out.get_ref())
}

pub fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} column"));
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

pub type Files = BTreeMap<String, Vec<Vec<String>>>;

/// A zip of `files`, written as a real HMIS would (CRLF, quoting where needed).
pub fn zip_files(files: &Files) -> Vec<u8> {
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

pub async fn import(
    app: &TestApp,
    bytes: Vec<u8>,
) -> Result<hmis_csv::import::ImportSummary, hmis_csv::import::ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let options = hmis_csv::import::ImportOptions {
        time_zone: chrono_tz::America::Chicago,
        data_key: app.state.data_key.clone(),
    };
    hmis_csv::import::import(&app.db, &mut archive, &options, &mut |_| {}).await
}

/// The export's files without what differs between two exports by design: Export.csv,
/// the ExportID column, each installation's own system user and the order of the
/// records (HMIS CSV gives rows no order; the records of enrollments come as the
/// database reads them fastest).
pub fn comparable(mut files: Files) -> Files {
    files.remove("Export.csv");
    if let Some(users) = files.get_mut("User.csv") {
        users.retain(|row| row.first().map(String::as_str) != Some(app::db::SYSTEM_USER_ID));
    }
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

pub async fn counts(app: &TestApp) -> Vec<u64> {
    use app::db::entities::{funder, organization, project, user};
    use sea_orm::{EntityTrait, PaginatorTrait};
    vec![
        organization::Entity::find().count(&app.db).await.unwrap(),
        project::Entity::find().count(&app.db).await.unwrap(),
        funder::Entity::find().count(&app.db).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap(),
    ]
}
