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

mod archive;
mod cells;
mod fingerprints;
mod keys;
mod preflight;
mod report;
mod write;

pub(crate) use write::{json_insert, json_rows};

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::io::{Read, Seek};

use app::features::hmis_import::api::{FileCount, FindingAction, FindingKind, ImportFinding};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Value};

use self::archive::{Archive, Header, read_error};
use self::cells::{Cell, Flaw, Hashing};
pub use self::preflight::Version;
pub use self::report::{MAX_KEPT, Report};
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
    let keys = keys::Keys::open(&txn, &plan.source, &own, chrono::Utc::now()).await?;
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
    app::features::kept::forget(&txn)
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
}

impl Run<'_> {
    fn tell(&mut self) {
        (self.progress)(&self.at);
    }
}

/// A row checked and waiting in its batch: its cells in the spec's column order, and
/// what was found in it.
struct Pending {
    line: u64,
    cells: Vec<Cell>,
    findings: Vec<ImportFinding>,
    skip: bool,
}

impl Pending {
    /// Leaves the row out, for this reason.
    fn leave_out(&mut self, file: &spec::File, column: Option<&str>, value: Option<&str>, flaw: Flaw) {
        self.find(file, column, value, flaw, FindingAction::RowSkipped);
        self.skip = true;
    }

    fn find(
        &mut self,
        file: &spec::File,
        column: Option<&str>,
        value: Option<&str>,
        flaw: Flaw,
        action: FindingAction,
    ) {
        self.findings.push(ImportFinding {
            file: file.name.clone(),
            line: self.line,
            column: column.map(str::to_string),
            value: value.map(str::to_string),
            kind: flaw.kind,
            action,
            message: flaw.message,
        });
    }
}

/// What a file's rows are checked with: the header, the position of its key, the
/// fingerprints of the keys seen.
struct FileCheck<'f> {
    file: &'f spec::File,
    header: Header,
    key_at: usize,
    /// Each column's hashing (names and SSNs of Client.csv may be hashes).
    hashing: Vec<Hashing>,
    /// Fingerprints of the IDs seen; `None` when the table was empty before the file
    /// (the database answers instead).
    seen: Option<fingerprints::Fingerprints>,
    fingerprint: RandomState,
    time_zone: Tz,
}

/// Leaves out a row whose ID came earlier in the file.
fn repeated(file: &spec::File, row: &mut Pending, key: &str) {
    let flaw = Flaw {
        kind: FindingKind::DuplicateKey,
        message: format!("{key} appears earlier in the file; this row is left out"),
    };
    row.leave_out(file, Some(&file.primary_key), Some(key), flaw);
}

/// Client.csv columns a hashed export replaces with hashes: the names the export hashes,
/// and the SSN.
fn is_hashable(column: &str) -> bool {
    column == "SSN" || crate::hmis_csv::export::HASHED_NAME_COLUMNS.contains(&column)
}

/// Every record's own dates: when one is unreadable, the other stands in.
const RECORD_DATES: [&str; 2] = ["DateCreated", "DateUpdated"];

impl<'f> FileCheck<'f> {
    fn new(file: &'f spec::File, header: Header, time_zone: Tz, hashed: bool) -> Self {
        let client = file.name == "Client.csv";
        FileCheck {
            key_at: file
                .columns
                .iter()
                .position(|c| c.name == file.primary_key)
                .unwrap_or(0),
            hashing: file
                .columns
                .iter()
                .map(|c| match (client && is_hashable(&c.name), hashed) {
                    (false, _) => Hashing::Never,
                    (true, true) => Hashing::Declared,
                    (true, false) => Hashing::Undeclared,
                })
                .collect(),
            file,
            header,
            seen: None,
            fingerprint: RandomState::new(),
            time_zone,
        }
    }

    /// Whether the file's table held no rows before the file (every row in it is this
    /// file's, and the database finds repeated IDs).
    fn table_was_empty(&self) -> bool {
        self.seen.is_none()
    }

    fn raw<'r>(&self, record: &'r csv::ByteRecord, column: usize) -> &'r [u8] {
        self.header.positions[column]
            .and_then(|at| record.get(at))
            .unwrap_or(b"")
    }

    /// Checks one row: each cell read by its column's rules, the row's fate decided.
    fn row(&mut self, record: &csv::ByteRecord, line: u64) -> Pending {
        let file = self.file;
        let mut row = Pending {
            line,
            cells: Vec::with_capacity(file.columns.len()),
            findings: Vec::new(),
            skip: false,
        };
        // Record dates that were empty or unreadable: (column, value, flaw).
        let mut dates: Vec<(usize, Option<String>, Option<Flaw>)> = Vec::new();
        for (i, column) in file.columns.iter().enumerate() {
            if column.name == "ExportID" {
                row.cells.push(Cell::Null);
                continue;
            }
            let bytes = self.raw(record, i);
            let (text, read) = match std::str::from_utf8(bytes) {
                Ok(text) => (
                    text.to_string(),
                    cells::read(column, text, &self.time_zone, self.hashing[i]),
                ),
                Err(_) => (
                    String::from_utf8_lossy(bytes).into_owned(),
                    Err(Flaw {
                        kind: FindingKind::NotUtf8,
                        message: "is not valid text (UTF-8): save the file as UTF-8".into(),
                    }),
                ),
            };
            let value = Some(text.trim()).filter(|v| !v.is_empty());
            let key = i == self.key_at;
            if RECORD_DATES.contains(&column.name.as_str()) {
                // Resolved once both are read (below).
                match read {
                    Ok((Cell::Null, _)) => dates.push((i, value.map(str::to_string), None)),
                    Ok((cell, note)) => {
                        if let Some(note) = note {
                            row.find(file, Some(&column.name), value, note, FindingAction::Kept);
                        }
                        row.cells.push(cell);
                        continue;
                    }
                    Err(flaw) => dates.push((i, value.map(str::to_string), Some(flaw))),
                }
                row.cells.push(Cell::Null);
                continue;
            }
            let cell = match read {
                Ok((Cell::Null, _)) if key => {
                    let flaw = Flaw {
                        kind: FindingKind::UnusableKey,
                        message: format!("the row has no {}", column.name),
                    };
                    row.leave_out(file, Some(&column.name), value, flaw);
                    Cell::Null
                }
                Ok((Cell::Null, _)) if column.required => {
                    let flaw = Flaw {
                        kind: FindingKind::Missing,
                        message: "a value is required".into(),
                    };
                    self.fallback(&mut row, column, value, flaw)
                }
                Ok((cell, note)) => {
                    if let Some(note) = note {
                        row.find(file, Some(&column.name), value, note, FindingAction::Kept);
                    }
                    cell
                }
                Err(flaw) if key => {
                    row.leave_out(file, Some(&column.name), value, flaw);
                    Cell::Null
                }
                Err(flaw) if column.required => self.fallback(&mut row, column, value, flaw),
                Err(flaw) => {
                    row.find(file, Some(&column.name), value, flaw, FindingAction::StoredEmpty);
                    Cell::Null
                }
            };
            row.cells.push(cell);
        }
        for (i, value, flaw) in dates {
            self.record_date(&mut row, i, value.as_deref(), flaw);
        }
        if !row.skip
            && let Cell::Text(key) = &row.cells[self.key_at]
            && let Some(seen) = &mut self.seen
            && !seen.insert(self.fingerprint.hash_one(key))
        {
            let key = key.clone();
            repeated(file, &mut row, &key);
        }
        row
    }

    /// An empty or unreadable DateCreated or DateUpdated: the record's other date takes
    /// its place (real exports write one of them in another format for every row); with
    /// neither, the row is left out.
    fn record_date(&self, row: &mut Pending, i: usize, value: Option<&str>, flaw: Option<Flaw>) {
        let column = &self.file.columns[i];
        let other = self
            .file
            .columns
            .iter()
            .position(|c| RECORD_DATES.contains(&c.name.as_str()) && c.name != column.name);
        let flaw = flaw.unwrap_or_else(|| Flaw {
            kind: FindingKind::Missing,
            message: "a value is required".into(),
        });
        match other.map(|o| row.cells.get(o).cloned()) {
            Some(Some(Cell::Timestamp(t))) => {
                let other_name = &self.file.columns[other.unwrap_or(i)].name;
                let flaw = Flaw {
                    message: format!("{}; stored as the record's {other_name}", flaw.message),
                    ..flaw
                };
                row.find(
                    self.file,
                    Some(&column.name),
                    value,
                    flaw,
                    FindingAction::StoredOtherDate,
                );
                row.cells[i] = Cell::Timestamp(t);
            }
            _ if !column.required => {
                row.find(
                    self.file,
                    Some(&column.name),
                    value,
                    flaw,
                    FindingAction::StoredEmpty,
                );
            }
            _ => {
                row.leave_out(self.file, Some(&column.name), value, flaw);
            }
        }
    }

    /// A required cell that is empty or wrong: 99 where its list has it, else the row
    /// is left out.
    fn fallback(&self, row: &mut Pending, column: &spec::Column, value: Option<&str>, flaw: Flaw) -> Cell {
        let not_collected = column.kind == spec::Kind::Integer
            && column
                .list
                .as_deref()
                .and_then(app::domain::codes::by_element)
                .is_some_and(|list| list.contains(99));
        if not_collected {
            row.find(
                self.file,
                Some(&column.name),
                value,
                flaw,
                FindingAction::StoredNotCollected,
            );
            Cell::Integer(99)
        } else {
            row.leave_out(self.file, Some(&column.name), value, flaw);
            Cell::Null
        }
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

/// The foreign keys the database enforces: (column, the file that holds the IDs).
fn foreign_keys(file: &str) -> &'static [(&'static str, &'static str)] {
    const ENROLLMENT_CHILD: &[(&str, &str)] =
        &[("EnrollmentID", "Enrollment.csv"), ("PersonalID", "Client.csv")];
    match file {
        "Project.csv" => &[("OrganizationID", "Organization.csv")],
        "Funder.csv"
        | "ProjectCoC.csv"
        | "Inventory.csv"
        | "HMISParticipation.csv"
        | "CEParticipation.csv" => &[("ProjectID", "Project.csv")],
        "Affiliation.csv" => &[("ProjectID", "Project.csv"), ("ResProjectID", "Project.csv")],
        "Enrollment.csv" => &[("PersonalID", "Client.csv"), ("ProjectID", "Project.csv")],
        "Organization.csv" | "User.csv" | "Client.csv" | "Export.csv" => &[],
        _ => ENROLLMENT_CHILD,
    }
}

/// Leaves out the rows whose ID came earlier in the file, in a table that was empty
/// before the file: in the batch, or already written.
async fn check_repeated_ids(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    batch: &mut [Pending],
) -> Result<(), DbErr> {
    let file = check.file;
    let Some(key) = file.key_column() else {
        return Ok(());
    };
    let id = |row: &Pending| {
        (!row.skip)
            .then(|| row.cells[check.key_at].text().map(str::to_string))
            .flatten()
    };
    let ids: Vec<String> = batch.iter().filter_map(id).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let sql = format!("SELECT {key} AS id FROM {table} WHERE {key}");
    let mut seen: HashSet<String> = HashSet::with_capacity(ids.len());
    for row in rows_in(txn, &sql, &[], &ids).await? {
        seen.insert(row.try_get("", "id")?);
    }
    for row in batch.iter_mut() {
        if let Some(key) = id(row)
            && !seen.insert(key.clone())
        {
            repeated(file, row, &key);
        }
    }
    Ok(())
}

/// Leaves out a live exit of an enrollment that already has another one (earlier in
/// the export, or in Hearth).
async fn check_second_exits(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    batch: &mut [Pending],
) -> Result<(), DbErr> {
    let at = |name: &str| file.columns.iter().position(|c| c.name == name);
    let (Some(exit_at), Some(enrollment_at), Some(deleted_at)) =
        (at("ExitID"), at("EnrollmentID"), at("DateDeleted"))
    else {
        return Ok(());
    };
    let text = |row: &Pending, i: usize| row.cells[i].text().map(str::to_string);
    let mut enrollments: Vec<String> = batch
        .iter()
        .filter(|r| !r.skip)
        .filter_map(|r| text(r, enrollment_at))
        .collect();
    enrollments.sort_unstable();
    enrollments.dedup();
    // Exits this batch deletes no longer count.
    let deleted: HashSet<String> = batch
        .iter()
        .filter(|r| !r.skip && r.cells[deleted_at] != Cell::Null)
        .filter_map(|r| text(r, exit_at))
        .collect();
    let mut live: HashMap<String, String> = HashMap::new();
    let sql = "SELECT enrollment_id, exit_id FROM exits WHERE date_deleted IS NULL AND enrollment_id";
    let enrollments: Vec<&str> = enrollments.iter().map(String::as_str).collect();
    for row in rows_in(txn, sql, &[], &enrollments).await? {
        let exit: String = row.try_get("", "exit_id")?;
        if !deleted.contains(&exit) {
            live.insert(row.try_get("", "enrollment_id")?, exit);
        }
    }
    for row in batch
        .iter_mut()
        .filter(|r| !r.skip && r.cells[deleted_at] == Cell::Null)
    {
        let (Some(exit), Some(enrollment)) = (text(row, exit_at), text(row, enrollment_at)) else {
            continue;
        };
        match live.get(&enrollment) {
            Some(other) if *other != exit => {
                let flaw = Flaw {
                    kind: FindingKind::SecondExit,
                    message: format!(
                        "enrollment {enrollment} already has exit {other}; this one is left out"
                    ),
                };
                row.leave_out(file, Some("ExitID"), Some(&exit), flaw);
            }
            Some(_) => {}
            None => {
                live.insert(enrollment, exit);
            }
        }
    }
    Ok(())
}

/// The rows of `sql` (ending in the column to match, after the values `before`) for
/// these IDs. PostgreSQL gets them as one array (`= ANY(?)`: a short statement whose
/// plan costs the same for any number of IDs); SQLite `IN (…)`, `IN_CHUNK` at a time.
async fn rows_in(
    txn: &impl ConnectionTrait,
    sql: &str,
    before: &[Value],
    ids: &[&str],
) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    let backend = txn.get_database_backend();
    let text = |id: &&str| Value::from(id.to_string());
    if backend == sea_orm::DatabaseBackend::Postgres {
        let array = Value::Array(
            sea_orm::sea_query::ArrayType::String,
            Some(Box::new(ids.iter().map(text).collect())),
        );
        let values = before.iter().cloned().chain([array]).collect();
        let sql = format!("{sql} = ANY(?)");
        return txn.query_all_raw(app::db::statement(backend, &sql, values)).await;
    }
    let mut rows = Vec::new();
    for chunk in ids.chunks(app::db::IN_CHUNK) {
        let sql = format!("{sql} IN ({})", app::db::marks(chunk.len()));
        let values = before.iter().cloned().chain(chunk.iter().map(text)).collect();
        rows.extend(
            txn.query_all_raw(app::db::statement(backend, &sql, values))
                .await?,
        );
    }
    Ok(rows)
}
