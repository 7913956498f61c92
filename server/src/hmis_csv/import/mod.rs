//! The HMIS CSV import: takes in an export (a zip of the 24 files) as real HMIS produce
//! them, and says what it found.
//!
//! An export is refused as a whole only for what makes it unreadable as one (see
//! [`preflight`]): not a zip of CSVs, no or several Export rows, a `CSVVersion` Hearth
//! does not read (FY2026 and FY2024 are read), a file missing from a full export, a
//! required column missing, one file name twice in the zip. Everything else is
//! imported, in one transaction, file by file in the spec's order, and every cell and
//! row that breaks the spec is a finding of the [`Report`]: a bad value in a column
//! that may be empty is stored empty; in a required column it is stored as 99 (Data not
//! collected) where the column's list has it, and otherwise the row is left out, as is
//! a row whose own ID is unusable or repeated, whose IDs of other records (ProjectID,
//! PersonalID, EnrollmentID, …) neither the export nor the database holds, or that
//! would give an enrollment a second exit. Well-formed but dirty data (two heads in a
//! household, an exit before the entry, overlapping stays, HUD's test CoC codes,
//! retired funding sources) imports as it is, for the data-quality report to find.
//!
//! Rows whose IDs exist are updated in place: importing the same export twice changes
//! nothing, and a delta export's records find the ones already in Hearth. Memory stays
//! flat: rows are checked and written a batch at a time. A repeated row ID is found by
//! the database when the file's table was empty (a CoC's first import: the rows already
//! written are this file's), else by one 64-bit fingerprint per row ID kept in memory
//! while the file is read (8 bytes a row, [`fingerprints`]).

mod absent;
mod archive;
mod batch;
mod cells;
mod fingerprints;
mod keys;
mod preflight;
mod report;
mod row;
mod write;

pub(crate) use write::{json_insert, json_rows};

use std::io::{Read, Seek};

use app::features::hmis_import::api::{FileCount, FindingAction, FindingKind, ImportFinding};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use self::archive::{Archive, read_error};
use self::batch::{check_repeated_ids, check_second_exits};
use self::cells::Cell;
pub use self::preflight::Version;
pub use self::report::{MAX_KEPT, Report};
use self::row::{FileCheck, Pending};
use super::spec;
use crate::hmis_csv::limits;

/// Problems that refuse an export listed at most (the rest are counted).
pub const MAX_PROBLEMS: usize = 200;

/// Why an export was refused as a whole, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1 is the header line; `None` for the file as a whole.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    fn file(file: &str, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(file: &str, line: u64, column: Option<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: Some(line),
            column,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a readable zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the file could not be read: {0}")]
    Read(#[from] std::io::Error),
    /// A bound of `limits` was crossed, or the zip's names are not an export's.
    #[error("{0}")]
    Refused(String),
    /// The export cannot be read as one (a missing file or column, its version, …).
    #[error("{} problem(s) found; nothing was imported", .total)]
    Invalid { problems: Vec<Problem>, total: usize },
    #[error("the database refused the import; nothing was imported: {0}")]
    Database(#[from] DbErr),
}

impl ImportError {
    fn invalid(mut problems: Vec<Problem>) -> Self {
        let total = problems.len();
        problems.truncate(MAX_PROBLEMS);
        ImportError::Invalid { problems, total }
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// `CSVVersion` as the export wrote it.
    pub version: String,
    /// The system that wrote the export, and what it holds (`Plan::scope`).
    pub source: String,
    pub scope: String,
    /// Each file's rows, in the order imported (files the zip does not hold included,
    /// with no rows).
    pub files: Vec<FileCount>,
    pub report: Report,
}

impl ImportSummary {
    /// Rows (imported, read) over every file.
    pub fn rows(&self) -> (u64, u64) {
        app::features::hmis_import::api::rows_imported(&self.files)
    }
}

/// How an import reads times.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The CoC's time zone: the export's timestamps are local times.
    pub time_zone: Tz,
    /// Seals the SSNs (never stored in plain text).
    pub data_key: app::crypto::DataKey,
}

/// Where an import is: told as each file starts and after each batch of its rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportProgress {
    /// The file being imported.
    pub file: String,
    /// Its place among the files the zip holds (1, 2, …), and their number.
    pub file_number: usize,
    pub files: usize,
    /// Rows of the file read so far.
    pub rows: u64,
    /// Bytes read of all the files, and their sum (as the zip declares the sizes).
    pub done_bytes: u64,
    pub total_bytes: u64,
}

impl ImportProgress {
    /// Thousandths done (of the bytes), for a progress bar.
    pub fn permille(&self) -> i32 {
        match self.total_bytes {
            0 => 0,
            total => (self.done_bytes.min(total) * 1000 / total) as i32,
        }
    }

    /// "Importing Enrollment.csv (file 12 of 23): 120000 rows read".
    pub fn message(&self) -> String {
        format!(
            "Importing {} (file {} of {}): {} rows read",
            self.file, self.file_number, self.files, self.rows
        )
    }
}

pub type Progress<'a> = &'a mut (dyn FnMut(&ImportProgress) + Send);

/// Imports the export in one transaction, or refuses it as a whole.
pub async fn import<R: Read + Seek>(
    db: &DatabaseConnection,
    zip: &mut zip::ZipArchive<R>,
    options: &ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportSummary, ImportError> {
    let mut archive = Archive::new(zip)?;
    let plan = preflight::check(&mut archive)?;
    let mut at = ImportProgress::default();
    for file in spec::files().iter().filter(|f| f.table.is_some()) {
        if archive.has(&file.name) {
            at.files += 1;
            at.total_bytes += archive.size(&file.name);
        }
    }
    let own = super::implementation_id(db).await?;
    let writer = sqlite_writer(db).await?;
    let txn = app::db::begin_write(writer.as_ref().unwrap_or(db)).await?;
    let started = chrono::Utc::now();
    let keys = keys::Keys::open(&txn, &plan.source, &own, started).await?;
    let refresh = absent::Refresh::start(&txn, plan.full, keys.source(), plan.period).await?;
    let mut summary = ImportSummary {
        version: plan.version_text.clone(),
        source: plan.source.describe(),
        scope: plan.scope.clone(),
        ..Default::default()
    };
    let mut run = Run {
        plan,
        keys,
        options,
        report: Report::default(),
        at,
        progress,
        started,
        refresh,
    };
    for file in spec::files() {
        let Some(table) = &file.table else { continue };
        let count = import_file(&txn, &mut archive, file, table, &mut run).await?;
        summary.files.push(count);
    }
    summary.report = run.report;
    // The priority list entries of the CE assessments imported, in the same transaction.
    app::features::coordinated_entry::service::rebuild_list(&txn)
        .await
        .map_err(|e| DbErr::Custom(format!("the priority list could not be rebuilt: {e}")))?;
    // The households imported are marked for the kept summaries (the Annual Assessment
    // Tool's rows, the data-quality facts): a whole export's worth is built anew
    // instead (by the server, on its clock).
    app::kept::forget(&txn)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    txn.commit().await?;
    if let Some(writer) = writer {
        writer.close().await?;
    }
    app::db::refresh_statistics(db).await?;
    Ok(summary)
}

/// On SQLite, the import's own connection (closed when it ends): a 64 MB page cache
/// (with the default 2 MB, each batch read the tables' pages back from the write-ahead
/// log) and statement journals in memory (each multi-row upsert wrote one to a
/// temporary file). The two cost a 100,000-client import 12 % of its time.
async fn sqlite_writer(db: &DatabaseConnection) -> Result<Option<DatabaseConnection>, DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(None);
    }
    let options = (*db.get_sqlite_connection_pool().connect_options())
        .clone()
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory");
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(Some(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)))
}

/// An import under way: what Export.csv said, whose IDs, how to read, what was found
/// and where it is.
struct Run<'r> {
    plan: preflight::Plan,
    keys: keys::Keys,
    options: &'r ImportOptions,
    report: Report,
    at: ImportProgress,
    progress: Progress<'r>,
    /// When the import began (what its kept records are dated).
    started: chrono::DateTime<chrono::Utc>,
    /// A full refresh of a system that imported before: deletes what it no longer holds.
    refresh: Option<absent::Refresh>,
}

impl Run<'_> {
    fn tell(&mut self) {
        (self.progress)(&self.at);
    }
}

/// Imports one file: rows read, checked, written a batch at a time.
async fn import_file<R: Read + Seek>(
    txn: &impl ConnectionTrait,
    archive: &mut Archive<'_, R>,
    file: &'static spec::File,
    table: &str,
    run: &mut Run<'_>,
) -> Result<FileCount, ImportError> {
    let mut count = FileCount {
        file: file.name.clone(),
        ..Default::default()
    };
    let size = archive.size(&file.name);
    let Some(mut csv) = archive.open(&file.name)? else {
        return Ok(count);
    };
    let done_before = run.at.done_bytes;
    run.at.file_number += 1;
    run.at.file = file.name.clone();
    run.at.rows = 0;
    // The preflight read every header: a problem here would have refused the export.
    let Some(header) = preflight::read_header(&mut csv, file, run.plan.version, &mut Vec::new())? else {
        return Ok(count);
    };
    run.tell();
    let mut check = FileCheck::new(file, header, run.options.time_zone, run.plan.hashed);
    let sql = format!("SELECT 1 AS one FROM {table} LIMIT 1");
    let empty = txn
        .query_one_raw(app::db::statement(txn.get_database_backend(), &sql, Vec::new()))
        .await?
        .is_none();
    if !empty {
        check.seen = Some(fingerprints::Fingerprints::default());
    }
    let rows_per_batch = (write::MAX_PARAMS / 2 / file.columns.len().max(1)).max(1);
    let mut batch: Vec<Pending> = Vec::with_capacity(rows_per_batch);
    let mut record = csv::ByteRecord::new();
    let mut line = 1u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            // Lines are numbered as a spreadsheet numbers rows (the header is 1): a
            // field with line breaks inside its quotes is still one row.
            Ok(true) => line += 1,
            Err(e) => {
                let message = read_error(e)?;
                line += 1;
                count.read += 1;
                count.skipped += 1;
                run.report.add(ImportFinding {
                    file: file.name.clone(),
                    line,
                    column: None,
                    value: None,
                    kind: FindingKind::UnreadableLine,
                    action: FindingAction::RowSkipped,
                    message: format!("the line cannot be read: {message}"),
                });
                continue;
            }
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        count.read += 1;
        if count.read > limits::MAX_ROWS {
            return Err(ImportError::Refused(format!(
                "{}: more than {} rows; nothing was imported",
                file.name,
                limits::MAX_ROWS
            )));
        }
        batch.push(check.row(&record, line));
        if batch.len() >= rows_per_batch {
            flush(txn, &check, table, &mut batch, run, &mut count).await?;
            run.at.rows = count.read;
            run.at.done_bytes = done_before + csv.position().byte().min(size);
            run.tell();
        }
    }
    flush(txn, &check, table, &mut batch, run, &mut count).await?;
    if let Some(refresh) = &mut run.refresh {
        count.deleted = refresh.soft_delete(txn, &check, table, run.started).await?;
    }
    run.at.rows = count.read;
    run.at.done_bytes = done_before + size;
    run.tell();
    Ok(count)
}

/// Gives a batch Hearth's IDs, checks its references against the database, writes the
/// rows that pass and reports what was found.
async fn flush(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    batch: &mut Vec<Pending>,
    run: &mut Run<'_>,
    count: &mut FileCount,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let file = check.file;
    plan_each_time(txn, true).await?;
    run.keys.resolve(txn, check, batch).await?;
    if check.table_was_empty() {
        check_repeated_ids(txn, check, table, batch).await?;
    }
    if file.name == "Exit.csv" {
        check_second_exits(txn, file, batch).await?;
    }
    plan_each_time(txn, false).await?;
    let rows: Vec<&[Cell]> = batch
        .iter()
        .filter(|r| !r.skip)
        .map(|r| r.cells.as_slice())
        .collect();
    let kept_newer =
        write::write_batch(txn, file, table, &rows, run.keys.source(), &run.options.data_key).await?;
    let retired: Vec<(String, String)> = batch
        .iter_mut()
        .filter_map(|r| {
            let key = check.kept_key(r)?.to_string();
            Some((key, r.retired.take()?))
        })
        .collect();
    if !retired.is_empty() {
        write::write_retired(txn, file, retired, &run.plan.version_text, run.started).await?;
    }
    if let Some(refresh) = &run.refresh
        && file.name == "Project.csv"
    {
        let projects: Vec<&str> = batch.iter().filter_map(|r| check.kept_key(r)).collect();
        refresh.note_projects(txn, &projects).await?;
    }
    for row in batch.drain(..) {
        if row.skip {
            count.skipped += 1;
        } else {
            count.imported += 1;
        }
        for mut finding in row.findings {
            if row.skip {
                finding.action = FindingAction::RowSkipped;
            }
            run.report.add(finding);
        }
    }
    count.imported -= kept_newer;
    count.kept_newer += kept_newer;
    Ok(())
}

/// On PostgreSQL, whether the statements that follow are planned for their values each
/// time they run. The lookups must be: a plan cached while a table was empty (the
/// import's first batches) scans it whole once the import has filled it, every batch
/// (1.8x the time at 100,000 clients). The writes must not: the foreign-key checks
/// PostgreSQL runs for each row written are cached plans too, and planning them again
/// for every row took 83 % of the server's time. Between lookups the setting goes back
/// to the database's own.
async fn plan_each_time(txn: &impl ConnectionTrait, each_time: bool) -> Result<(), DbErr> {
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        let mode = if each_time { "force_custom_plan" } else { "DEFAULT" };
        txn.execute_unprepared(&format!("SET LOCAL plan_cache_mode TO {mode}"))
            .await?;
    }
    Ok(())
}
