//! The HMIS CSV FY2026 export: all 24 files, every column in spec order under the
//! spec's headers, written into one zip. Rows are streamed from the database straight
//! into the zip (read in [`super::rows`], on another thread), so memory stays flat
//! however large the database is.
//!
//! What is exported (a full refresh, deleted rows left out):
//! - projects: those asked for (`--project`), or all, except victim service
//!   providers' (their records never leave them); their organizations, funders,
//!   CoCs, inventory, affiliations and participation records;
//! - enrollments in those projects active in the period (entered on or before its end,
//!   not exited before its start), the clients of those enrollments, and every record
//!   hung off those enrollments (exits, stage-dated records, services, contacts, CE
//!   assessments and events);
//! - users (the UserID of every record).

use std::io::{Seek, Write};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement, Value};
use zip::write::SimpleFileOptions;

use super::rows::{self, FilePlan, Piece};
use super::spec::{self, Kind};
use app::db::statement;

/// The CSV version Export.csv names.
pub const CSV_VERSION: &str = "2026 v1.0";
/// Client.csv columns replaced by hashes in a hashed export.
pub(super) const HASHED_NAME_COLUMNS: [&str; 4] = ["FirstName", "MiddleName", "LastName", "NameSuffix"];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the database could not be read: {0}")]
    Database(#[from] DbErr),
    #[error("the database could not be read: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database could not be read: {0}")]
    Postgres(#[from] sea_orm::sqlx::Error),
    #[error("the export cannot go on: {0}")]
    Value(String),
    #[error("the export was stopped before it was written")]
    Cancelled,
    #[error("the export file could not be written: {0}")]
    Write(#[from] std::io::Error),
    #[error("the export file could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the export file could not be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("the period ends ({to}) before it starts ({from})")]
    Period { from: NaiveDate, to: NaiveDate },
    #[error(
        "the SSN of client {0} cannot be decrypted: is this server's data key the one it was stored with?"
    )]
    DataKey(String),
}

/// What to export.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The export period (ExportStartDate, ExportEndDate). Without a start, the export
    /// holds everything up to `to` (ExportPeriodType 4, "Other"), and ExportStartDate is
    /// the earliest entry date.
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// ProjectIDs to export; empty means every project.
    pub projects: Vec<String>,
    /// Replace names and SSNs with SHA-256 hashes (HashStatus 4).
    pub hash_pii: bool,
    /// The CoC's time zone: timestamps are written in local time, as HUD expects.
    pub time_zone: Tz,
    /// ExportDate.
    pub now: DateTime<Utc>,
    /// ExportID (S32).
    pub export_id: String,
    /// ImplementationID: identifies this Hearth installation across exports.
    pub implementation_id: String,
    /// Opens the SSNs (stored sealed).
    pub data_key: app::crypto::DataKey,
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// (file name, data rows) in spec order.
    pub files: Vec<(String, u64)>,
}

impl ExportSummary {
    pub fn rows(&self, file: &str) -> Option<u64> {
        self.files.iter().find(|(f, _)| f == file).map(|(_, n)| *n)
    }
}

/// Where an export is: told after each file and every 50,000 rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportProgress {
    /// Files finished, of [`spec::files`]'s 24.
    pub files_done: usize,
    /// The file being written (or the last one finished).
    pub file: String,
    /// Rows of that file so far.
    pub rows: u64,
}

pub type Progress<'a> = &'a mut (dyn FnMut(&ExportProgress) + Send);

/// Writes the export as a zip into `out`. A second reader's files (PostgreSQL) are
/// zipped first into an anonymous temporary file in `scratch` (the output's own
/// directory: /tmp may be a small memory file system; ~250 MB at a million clients).
pub async fn write_export<W: Write + Seek>(
    db: &DatabaseConnection,
    options: &ExportOptions,
    out: W,
    scratch: &std::path::Path,
    progress: Progress<'_>,
) -> Result<ExportSummary, ExportError> {
    if let Some(from) = options.from
        && options.to < from
    {
        return Err(ExportError::Period { from, to: options.to });
    }
    let from = match options.from {
        Some(from) => from,
        None => earliest_entry(db).await?.unwrap_or(options.to).min(options.to),
    };
    let mut zip = zip::ZipWriter::new(out);
    let plans = spec::files()
        .iter()
        .filter_map(|file| Some((file, file.table.as_deref()?)))
        .map(|(file, table)| plan(options, file, table, db.get_database_backend()))
        .collect::<Result<Vec<_>, ExportError>>()?;
    let reading = rows::Reading {
        export_id: options.export_id.clone(),
        hash_pii: options.hash_pii,
        time_zone: options.time_zone,
        data_key: options.data_key.clone(),
    };
    let prelude = exported_enrollments(db.get_database_backend(), options, from);
    // Two lanes on PostgreSQL, whose server writes the CSV. On SQLite this process
    // reads and writes every value itself: a second lane there cost more memory (two
    // page caches, two lists of exported enrollments: 507 MB) than its time saved
    // (104 → 85–92 s at a million clients; docs/PERFORMANCE.md).
    let two_lanes = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    let first_lane = |file: &spec::File| !two_lanes || file.name == FIRST_LANE;
    let (first, second): (Vec<FilePlan>, Vec<FilePlan>) =
        plans.into_iter().partition(|plan| first_lane(plan.file));
    let first_files: Vec<&'static spec::File> = spec::files()
        .iter()
        .filter(|f| f.table.is_none() || first_lane(f))
        .collect();
    let second_files: Vec<&'static spec::File> = second.iter().map(|plan| plan.file).collect();
    let (receivers, reader) = rows::start(db, prelude, vec![first, second], reading);
    let [mut pieces, side_pieces]: [_; 2] = receivers
        .try_into()
        .map_err(|_| ExportError::Value("the export's readers did not start".into()))?;
    let entry = entry_options(options);
    let side_done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // The second lane's zip (none when every file is read in the first).
    let side = (!second_files.is_empty()).then(|| {
        let done = side_done.clone();
        let scratch = scratch.to_path_buf();
        tokio::task::spawn_blocking(move || side_zip(side_pieces, &second_files, entry, &scratch, &done))
    });
    let mut report = |p: &ExportProgress| {
        progress(&ExportProgress {
            files_done: p.files_done + side_done.load(std::sync::atomic::Ordering::Relaxed),
            ..p.clone()
        })
    };
    let mut written = write_files(
        db,
        options,
        from,
        &mut zip,
        &first_files,
        &mut pieces,
        &mut report,
    )
    .await;
    // Stop the readers (if the zip failed first) and hear why they stopped, if they did.
    drop(pieces);
    let side = match side {
        Some(side) => Some(
            side.await
                .map_err(|e| ExportError::Write(std::io::Error::other(e.to_string())))
                .and_then(|side| side),
        ),
        None => None,
    };
    let read = reader
        .await
        .map_err(|e| ExportError::Write(std::io::Error::other(e.to_string())))?;
    if let Ok(summary) = &mut written
        && let Some(Ok((file, side_summary))) = side
    {
        // The second lane's entries, already deflated, copied as they are.
        zip.merge_archive(zip::ZipArchive::new(file)?)?;
        summary.files.extend(side_summary.files);
        let position = |name: &str| spec::files().iter().position(|f| f.name == name);
        summary.files.sort_by_key(|(name, _)| position(name));
        progress(&ExportProgress {
            files_done: summary.files.len(),
            file: String::new(),
            rows: 0,
        });
    } else if let Some(Err(e)) = side
        && written.is_ok()
    {
        written = Err(e);
    }
    match (written, read) {
        (Ok(summary), Ok(())) => {
            zip.finish()?;
            Ok(summary)
        }
        // The reader's own failure is why the writer heard nothing more.
        (_, Err(e)) if !matches!(e, ExportError::Cancelled) => Err(e),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    }
}

/// The file read on a connection of its own, streamed into the export's zip while every
/// other file is read on a second connection into a zip of their own (deflated on a
/// thread of its own) whose entries are then copied in: one record per disability per
/// assessment, Disabilities.csv is over half of an export's rows and bytes (at a million
/// clients, 18 of 28 million rows: docs/PERFORMANCE.md).
const FIRST_LANE: &str = "Disabilities.csv";

/// How each entry is written.
fn entry_options(options: &ExportOptions) -> SimpleFileOptions {
    // Deflate level 2: at a million clients ~a third of the default level's time for a
    // zip a third larger (level 1 nearly doubles it; docs/PERFORMANCE.md).
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(2))
        .last_modified_time(zip_time(
            options.now.with_timezone(&options.time_zone).naive_local(),
        ))
}

/// The second lane's files, in a zip of their own in an anonymous temporary file in
/// `scratch` (gone when closed, whatever happens). `done` counts the files finished.
fn side_zip(
    mut pieces: tokio::sync::mpsc::Receiver<Piece>,
    files: &[&spec::File],
    entry: SimpleFileOptions,
    scratch: &std::path::Path,
    done: &std::sync::atomic::AtomicUsize,
) -> Result<(std::fs::File, ExportSummary), ExportError> {
    let file = tempfile::tempfile_in(scratch)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let mut summary = ExportSummary::default();
    for file in files {
        zip.start_file(file.name.as_str(), entry)?;
        let rows = loop {
            match pieces.blocking_recv().ok_or(ExportError::Cancelled)? {
                Piece::Bytes(bytes) => zip.write_all(&bytes)?,
                Piece::Rows(_) => {}
                Piece::Done(n) => break n,
            }
        };
        summary.files.push((file.name.clone(), rows));
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|e| ExportError::Write(e.into_error()))?;
    Ok((file, summary))
}

/// Writes `files` in order: Export.csv here, every other from the reader's pieces.
async fn write_files<W: Write + Seek>(
    db: &DatabaseConnection,
    options: &ExportOptions,
    from: NaiveDate,
    zip: &mut zip::ZipWriter<W>,
    files: &[&spec::File],
    pieces: &mut tokio::sync::mpsc::Receiver<Piece>,
    progress: Progress<'_>,
) -> Result<ExportSummary, ExportError> {
    let entry = entry_options(options);
    let mut summary = ExportSummary::default();
    for (done, file) in files.iter().enumerate() {
        zip.start_file(file.name.as_str(), entry)?;
        let rows = if file.table.is_none() {
            write_export_row(db, options, from, file, &mut *zip).await?
        } else {
            loop {
                match pieces.recv().await.ok_or(ExportError::Cancelled)? {
                    Piece::Bytes(bytes) => zip.write_all(&bytes)?,
                    Piece::Rows(n) => progress(&ExportProgress {
                        files_done: done,
                        file: file.name.clone(),
                        rows: n,
                    }),
                    Piece::Done(n) => break n,
                }
            }
        };
        progress(&ExportProgress {
            files_done: done + 1,
            file: file.name.clone(),
            rows,
        });
        summary.files.push((file.name.clone(), rows));
    }
    Ok(summary)
}

async fn earliest_entry(db: &DatabaseConnection) -> Result<Option<NaiveDate>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MIN(entry_date) FROM enrollments WHERE date_deleted IS NULL",
        ))
        .await?;
    Ok(row.and_then(|r| r.try_get_by_index::<Option<NaiveDate>>(0).ok().flatten()))
}

fn zip_time(at: chrono::NaiveDateTime) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).unwrap_or(1980),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .unwrap_or_default()
}

fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

async fn write_export_row<W: Write>(
    db: &DatabaseConnection,
    options: &ExportOptions,
    from: NaiveDate,
    file: &spec::File,
    out: W,
) -> Result<u64, ExportError> {
    let mut csv = csv_writer(out);
    csv.write_record(file.columns.iter().map(|c| c.name.as_str()))?;
    // SourceID: the CoC codes of the exported projects.
    let (filter, values) = project_filter(&options.projects, "project_id");
    let sql = format!(
        "SELECT DISTINCT coc_code FROM project_cocs WHERE date_deleted IS NULL AND {filter} ORDER BY coc_code"
    );
    let cocs: Vec<String> = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    let period_type = if options.from.is_some() { "3" } else { "4" };
    let exported_at = options
        .now
        .with_timezone(&options.time_zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let version = env!("CARGO_PKG_VERSION");
    let value = |column: &str| -> String {
        match column {
            "ExportID" => options.export_id.clone(),
            "SourceType" => "1".into(),
            "SourceID" => cocs.join(","),
            "SourceName" => "Hearth".into(),
            "ExportDate" => exported_at.clone(),
            "ExportStartDate" => from.format("%Y-%m-%d").to_string(),
            "ExportEndDate" => options.to.format("%Y-%m-%d").to_string(),
            "SoftwareName" => "Hearth".into(),
            "SoftwareVersion" => version.into(),
            "CSVVersion" => CSV_VERSION.into(),
            "ExportPeriodType" => period_type.into(),
            "ExportDirective" => "2".into(),
            "HashStatus" => if options.hash_pii { "4" } else { "1" }.into(),
            "ImplementationID" => options.implementation_id.clone(),
            _ => String::new(),
        }
    };
    csv.write_record(file.columns.iter().map(|c| value(&c.name)))?;
    csv.flush()?;
    Ok(1)
}

/// `column IN (…)` for the chosen projects, or a condition that is always true.
fn project_filter(projects: &[String], column: &str) -> (String, Vec<Value>) {
    // Victim service providers' records never leave them: their projects (and so
    // their enrollments and clients) are not exported.
    let mut sql = format!(
        "{column} NOT IN (SELECT vp.project_id FROM projects vp JOIN organizations vo \
         ON vo.organization_id = vp.organization_id WHERE vo.victim_service_provider = ?)"
    );
    let mut values = vec![Value::Bool(Some(true))];
    if !projects.is_empty() {
        let marks = app::db::marks(projects.len());
        sql.push_str(&format!(" AND {column} IN ({marks})"));
        values.extend(projects.iter().map(|p| Value::from(p.clone())));
    }
    (sql, values)
}

/// The temporary table of the enrollments the export holds, filled once (by
/// [`exported_enrollments`]) inside the export's snapshot and read by every file.
const EXPORTED: &str = "export_enrollments";

/// The statements that make and fill [`EXPORTED`]: the enrollments in the chosen
/// projects active in the period (entered on or before its end, not exited before its
/// start).
fn exported_enrollments(
    backend: sea_orm::DatabaseBackend,
    options: &ExportOptions,
    from: NaiveDate,
) -> Vec<(String, Vec<Value>)> {
    let (enrollment_projects, project_values) = project_filter(&options.projects, "e.project_id");
    let create = match backend {
        sea_orm::DatabaseBackend::Postgres => format!(
            "CREATE TEMPORARY TABLE {EXPORTED} (enrollment_id VARCHAR(32) PRIMARY KEY) ON COMMIT DROP"
        ),
        // Each export reads through a connection of its own, so the table is new.
        _ => format!("CREATE TEMPORARY TABLE {EXPORTED} (enrollment_id TEXT PRIMARY KEY) WITHOUT ROWID"),
    };
    let mut values = vec![Value::from(options.to), Value::from(from)];
    values.extend(project_values);
    let mut statements = vec![
        (create, Vec::new()),
        (
            format!(
                "INSERT INTO {EXPORTED} (enrollment_id) SELECT e.enrollment_id FROM enrollments e \
                 WHERE e.date_deleted IS NULL AND e.entry_date <= ? \
                 AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id \
                 AND x.date_deleted IS NULL AND x.exit_date < ?) AND {enrollment_projects}"
            ),
            values,
        ),
    ];
    if backend == sea_orm::DatabaseBackend::Postgres {
        // A temporary table has no statistics until it is analysed.
        statements.push((format!("ANALYZE {EXPORTED}"), Vec::new()));
    }
    statements
}

/// How one file is read: its table's columns, filtered to what the export holds.
/// PostgreSQL writes the CSV of every file but the one with the SSNs (`COPY`), so each
/// of their columns is selected as the text the file holds: integers, dates in ISO
/// form, timestamps in the session's zone (the CoC's), money with two decimals, empty
/// text as nothing (COPY would quote it).
fn plan(
    options: &ExportOptions,
    file: &'static spec::File,
    table: &str,
    backend: sea_orm::DatabaseBackend,
) -> Result<FilePlan, ExportError> {
    let copied =
        backend == sea_orm::DatabaseBackend::Postgres && !file.columns.iter().any(|c| c.name == "SSN");
    // SQLite's values are written as they are stored: codes and flags are integers
    // there, money a number (a cast per value cost ~5 % of the export).
    let sqlite = backend == sea_orm::DatabaseBackend::Sqlite;
    let (projects, project_values) = project_filter(&options.projects, "project_id");
    let enrollments = format!("SELECT enrollment_id FROM {EXPORTED}");
    let export_id = rows::pg_literal(&options.export_id)?;
    let columns: Vec<String> = file
        .columns
        .iter()
        .map(|c| {
            if copied && c.name == "ExportID" {
                return export_id.clone();
            }
            let column = match (&c.db_column, c.kind) {
                (None, _) => return "NULL".to_string(),
                // HUD requires a UserID on every record; Hearth's own records carry
                // its system user.
                (Some(col), _) if c.name == "UserID" && file.name != "User.csv" => {
                    format!("COALESCE({col}, '{}')", app::db::SYSTEM_USER_ID)
                }
                (Some(col), _) => col.clone(),
            };
            match (c.kind, copied) {
                _ if sqlite => column,
                // Booleans kept as 0/1 codes read the same on both databases.
                (Kind::Integer, _) => format!("CAST({column} AS INTEGER)"),
                (Kind::Money, false) => format!("CAST({column} AS DOUBLE PRECISION)"),
                (Kind::Money, true) => {
                    format!("CAST(ROUND(CAST({column} AS NUMERIC), 2) AS TEXT)")
                }
                (Kind::Timestamp, true) => format!("to_char({column}, 'YYYY-MM-DD HH24:MI:SS')"),
                (Kind::Text, true) => format!("NULLIF({column}, '')"),
                _ => column,
            }
        })
        .collect();
    let key = file.key_column().unwrap_or("1");
    let deleted = if table == "users" {
        "1 = 1"
    } else {
        "date_deleted IS NULL"
    };
    let (filter, values) = match table {
        "users" => ("1 = 1".to_string(), Vec::new()),
        "organizations" => (
            format!(
                "organization_id IN (SELECT organization_id FROM projects WHERE date_deleted IS NULL AND {projects})"
            ),
            project_values,
        ),
        "projects"
        | "funders"
        | "project_cocs"
        | "inventories"
        | "affiliations"
        | "hmis_participations"
        | "ce_participations" => (projects, project_values),
        "clients" => (
            format!(
                "personal_id IN (SELECT e.personal_id FROM {EXPORTED} x JOIN enrollments e \
                 ON e.enrollment_id = x.enrollment_id)"
            ),
            Vec::new(),
        ),
        _ => (format!("enrollment_id IN ({enrollments})"), Vec::new()),
    };
    // The small files come in key order; the records of enrollments come as the
    // database finds them fastest (sorting millions of rows before the first one is
    // written is what kept the export waiting).
    let order = if filter.contains(EXPORTED) {
        String::new()
    } else {
        format!(" ORDER BY {key}")
    };
    Ok(FilePlan {
        file,
        sql: format!(
            "SELECT {} FROM {table} WHERE {deleted} AND {filter}{order}",
            columns.join(", ")
        ),
        values,
        copied,
    })
}
