//! The HMIS CSV import: reads an FY2026 export (a zip of the 24 files) as real CoCs
//! produce them, checks every file and row first, and writes nothing unless all is
//! well; then imports everything in one transaction, updating rows whose IDs exist.
//!
//! Accepted as real exports differ: headers matched case-insensitively
//! (`HoHLeaseholder` = `HOHLeaseholder`), a UTF-8 byte-order mark, CRLF line ends,
//! quoted fields, extra columns (ignored). Refused, with file, line and column: a missing
//! file or required column, a bad code, date or number, an over-long value, an empty
//! required value, an unknown foreign key, a duplicate primary key, more than one
//! Export row, two live exits for one enrollment.
//!
//! Data-quality problems real HMIS data holds (two heads in a household, overlapping
//! enrollments, an exit before the entry) are imported as they are, for the
//! data-quality reports to flag.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Value};
use sha2::{Digest, Sha256};

use super::limits::{self, Bounded, Budget};
use super::spec::{self, Kind};

/// Problems reported at most (the rest are counted).
pub const MAX_PROBLEMS: usize = 200;
/// Bind parameters per INSERT, under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;
/// Files whose rows hang off an assessment event (enrollment, stage, information date).
const STAGE_FILES: [&str; 5] = [
    "IncomeBenefits.csv",
    "HealthAndDV.csv",
    "EmploymentEducation.csv",
    "Disabilities.csv",
    "YouthEducationStatus.csv",
];

/// The files whose IDs other files refer to.
const ID_FILES: [&str; 4] = ["Organization.csv", "Project.csv", "Client.csv", "Enrollment.csv"];

/// One thing wrong with the file, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1 is the header line; `None` for a missing file.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
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
    #[error("{} problem(s) found; nothing was imported", .total)]
    Invalid { problems: Vec<Problem>, total: usize },
    #[error("the database refused the import; nothing was imported: {0}")]
    Database(#[from] DbErr),
}

/// What an import wrote: (file, rows) in spec order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub files: Vec<(String, u64)>,
}

/// How an import reads times.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The CoC's time zone: the export's timestamps are local times.
    pub time_zone: Tz,
    /// Seals the SSNs (never stored in plain text).
    pub data_key: app::crypto::DataKey,
    /// Told the name of each file as its rows start to be written (the CLI prints it).
    pub announce: Option<fn(&str)>,
}

/// One parsed cell.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Integer(i32),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Money(f64),
}

/// A file's header, matched against the spec: for each spec column, its position in
/// the file (if present).
struct Header {
    positions: Vec<Option<usize>>,
}

fn match_header(file: &spec::File, header: &csv::StringRecord) -> (Header, Vec<String>) {
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let mut missing = Vec::new();
    let positions = file
        .columns
        .iter()
        .map(|c| {
            let at = names.iter().position(|n| *n == c.name.to_ascii_lowercase());
            if at.is_none() && c.required {
                missing.push(c.name.clone());
            }
            at
        })
        .collect();
    (Header { positions }, missing)
}

fn parse_timestamp(text: &str, time_zone: &Tz) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
        .ok()?;
    time_zone
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses and checks one value against its column's spec.
fn parse_cell(column: &spec::Column, raw: &str, time_zone: &Tz) -> Result<Cell, String> {
    let text = raw.trim();
    if text.is_empty() {
        return if column.required && column.name != "ExportID" {
            Err("a value is required".into())
        } else {
            Ok(Cell::Null)
        };
    }
    if let Err(app::domain::input::Refusal::ControlCharacter) = app::domain::input::check(text) {
        return Err("contains a control character (such as NUL) that cannot be stored".into());
    }
    match column.kind {
        Kind::Text => {
            if let Some(max) = column.length
                && text.chars().count() > max
            {
                return Err(format!("longer than {max} characters"));
            }
            if let Some(list) = column
                .list
                .as_deref()
                .and_then(app::domain::codes::text_by_element)
                && !list.contains(text)
            {
                return Err(format!("\"{text}\" is not a code of list {}", list.element));
            }
            Ok(Cell::Text(text.to_string()))
        }
        Kind::Integer => {
            let n: i32 = text
                .parse()
                .map_err(|_| format!("\"{text}\" is not a whole number"))?;
            if let Some(list) = column.list.as_deref().and_then(app::domain::codes::by_element)
                && !list.contains(n)
            {
                return Err(format!(
                    "{n} is not a code of list {} ({})",
                    list.element, list.name
                ));
            }
            Ok(Cell::Integer(n))
        }
        Kind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("\"{text}\" is not a date (YYYY-MM-DD)"))
            .and_then(in_range)
            .map(Cell::Date),
        Kind::Timestamp => parse_timestamp(text, time_zone)
            .ok_or_else(|| format!("\"{text}\" is not a date and time (YYYY-MM-DD hh:mm:ss)"))
            .and_then(|t| in_range(t.date_naive()).map(|_| t))
            .map(Cell::Timestamp),
        Kind::Money => text
            .parse::<f64>()
            .ok()
            .filter(|m| m.is_finite())
            .map(Cell::Money)
            .ok_or_else(|| format!("\"{text}\" is not an amount")),
    }
}

/// A date both databases can hold and a record can have.
fn in_range(date: NaiveDate) -> Result<NaiveDate, String> {
    if app::domain::input::date_in_range(date) {
        Ok(date)
    } else {
        Err(format!(
            "{date} is outside the years {}–{}",
            app::domain::input::EARLIEST_YEAR,
            app::domain::input::LATEST_YEAR
        ))
    }
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

struct Reader<'a, R: Read + Seek> {
    archive: &'a mut zip::ZipArchive<R>,
    /// Entry names by lower-case file name (entries may sit in one folder).
    entries: HashMap<String, String>,
    /// The bytes read from the whole archive.
    budget: Budget,
}

/// A file of the export, read as CSV within the bounds of `limits`.
type CsvFile<'z, R> = csv::Reader<Bounded<zip::read::ZipFile<'z, R>>>;

impl<'a, R: Read + Seek> Reader<'a, R> {
    /// Refuses a zip whose names are not an export's: too many entries, a name outside
    /// its folder or deeper than one folder, one file twice.
    fn new(archive: &'a mut zip::ZipArchive<R>) -> Result<Self, ImportError> {
        if archive.len() > limits::MAX_ENTRIES {
            return Err(ImportError::Refused(format!(
                "the zip holds {} files; an export has 24",
                archive.len()
            )));
        }
        let mut entries = HashMap::new();
        for name in archive.file_names() {
            limits::check_name(name).map_err(ImportError::Refused)?;
            if name.ends_with('/') {
                continue;
            }
            let base = name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(name)
                .to_ascii_lowercase();
            if let Some(other) = entries.insert(base, name.to_string()) {
                return Err(ImportError::Refused(format!(
                    "the zip holds both \"{other}\" and \"{name}\"; nothing was imported"
                )));
            }
        }
        Ok(Reader {
            archive,
            entries,
            budget: Budget::default(),
        })
    }

    /// The file's CSV reader, or `None` when the zip does not hold it.
    fn open(&mut self, file: &str) -> Result<Option<CsvFile<'_, R>>, ImportError> {
        let Some(name) = self.entries.get(&file.to_ascii_lowercase()).cloned() else {
            return Ok(None);
        };
        let entry = self.archive.by_name(&name)?;
        let (declared, compressed) = (entry.size(), entry.compressed_size());
        Ok(Some(
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(Bounded::new(
                    entry,
                    file,
                    declared,
                    compressed,
                    self.budget.clone(),
                )),
        ))
    }
}

/// A record's read error: a crossed bound stops the whole import; anything else is a
/// problem of that line.
fn read_error(error: csv::Error) -> Result<String, ImportError> {
    match limits::exceeded(&error) {
        Some(refusal) => Err(ImportError::Refused(refusal)),
        None => Ok(error.to_string()),
    }
}

/// Checks every file and row; answers the problems (empty: fine to import).
pub fn validate<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    options: &ImportOptions,
) -> Result<(Vec<Problem>, usize), ImportError> {
    let mut reader = Reader::new(archive)?;
    let mut problems = Vec::new();
    let mut total = 0usize;
    let mut report = |problem: Problem| {
        total += 1;
        if problems.len() < MAX_PROBLEMS {
            problems.push(problem);
        }
    };
    // Primary keys seen per file, for duplicates and foreign keys.
    let mut ids: HashMap<&'static str, HashSet<String>> = HashMap::new();
    for file in spec::files() {
        let Some(mut csv) = reader.open(&file.name)? else {
            report(Problem {
                file: file.name.clone(),
                line: None,
                column: None,
                message: "the file is missing from the zip".into(),
            });
            continue;
        };
        let mut records = csv.byte_records();
        let header = match records.next().map(|h| h.map(csv::StringRecord::from_byte_record)) {
            Some(Ok(Ok(header))) => header,
            Some(Ok(Err(_))) => {
                report(Problem {
                    file: file.name.clone(),
                    line: Some(1),
                    column: None,
                    message: "the header is not valid text (UTF-8): save the file as UTF-8".into(),
                });
                continue;
            }
            Some(Err(e)) => {
                let e = read_error(e)?;
                report(Problem {
                    file: file.name.clone(),
                    line: Some(1),
                    column: None,
                    message: format!("the header cannot be read: {e}"),
                });
                continue;
            }
            None => {
                report(Problem {
                    file: file.name.clone(),
                    line: Some(1),
                    column: None,
                    message: "the file is empty (no header)".into(),
                });
                continue;
            }
        };
        let names: Vec<String> = header.iter().map(str::to_string).collect();
        let (header, missing) = match_header(file, &header);
        for column in &missing {
            report(Problem {
                file: file.name.clone(),
                line: Some(1),
                column: Some(column.clone()),
                message: "a required column is missing".into(),
            });
        }
        let key_at = file.columns.iter().position(|c| c.name == file.primary_key);
        if !missing.is_empty() {
            // The rows are not checked, but their IDs are known: other files' references
            // to them are not reported as unknown.
            if let Some(at) = key_at.and_then(|i| header.positions[i])
                && let Some(name) = ID_FILES.into_iter().find(|n| *n == file.name)
            {
                let known = records
                    .take(limits::MAX_ROWS as usize)
                    .take_while(|r| !matches!(r, Err(e) if limits::exceeded(e).is_some()))
                    .filter_map(Result::ok)
                    .filter_map(|r| r.get(at).map(|v| String::from_utf8_lossy(v).trim().to_string()))
                    .collect();
                ids.insert(name, known);
            }
            continue;
        }
        let fks: Vec<(usize, &str)> = foreign_keys(&file.name)
            .iter()
            .filter_map(|(col, target)| {
                file.columns
                    .iter()
                    .position(|c| c.name == *col)
                    .map(|i| (i, *target))
            })
            .collect();
        let enrollment_at = file.columns.iter().position(|c| c.name == "EnrollmentID");
        let deleted_at = file.columns.iter().position(|c| c.name == "DateDeleted");
        let mut live_exits: HashSet<String> = HashSet::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut rows = 0u64;
        for (n, record) in records.enumerate() {
            let line = n as u64 + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let e = read_error(e)?;
                    report(Problem {
                        file: file.name.clone(),
                        line: Some(line),
                        column: None,
                        message: format!("the line cannot be read: {e}"),
                    });
                    continue;
                }
            };
            let record = match csv::StringRecord::from_byte_record(record) {
                Ok(record) => record,
                Err(e) => {
                    report(Problem {
                        file: file.name.clone(),
                        line: Some(line),
                        column: names.get(e.utf8_error().field()).cloned(),
                        message: "is not valid text (UTF-8): save the file as UTF-8".into(),
                    });
                    // The rest of the row is still checked (its ID is known to other
                    // files), with the bad bytes replaced.
                    e.into_byte_record()
                        .iter()
                        .map(|field| String::from_utf8_lossy(field).into_owned())
                        .collect()
                }
            };
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            rows += 1;
            if rows > limits::MAX_ROWS {
                return Err(ImportError::Refused(format!(
                    "{}: more than {} rows; nothing was imported",
                    file.name,
                    limits::MAX_ROWS
                )));
            }
            let mut values: Vec<Option<String>> = Vec::with_capacity(file.columns.len());
            for (column, at) in file.columns.iter().zip(&header.positions) {
                let raw = at.and_then(|i| record.get(i)).unwrap_or("");
                if let Err(message) = parse_cell(column, raw, &options.time_zone) {
                    report(Problem {
                        file: file.name.clone(),
                        line: Some(line),
                        column: Some(column.name.clone()),
                        message,
                    });
                }
                values.push(Some(raw.trim().to_string()).filter(|v| !v.is_empty()));
            }
            if let Some(key) = key_at.and_then(|i| values[i].clone())
                && !seen.insert(key.clone())
            {
                report(Problem {
                    file: file.name.clone(),
                    line: Some(line),
                    column: Some(file.primary_key.clone()),
                    message: format!("{key} appears more than once"),
                });
            }
            for (i, target) in &fks {
                if let Some(id) = &values[*i]
                    && !ids.get(target).is_some_and(|known| known.contains(id))
                {
                    report(Problem {
                        file: file.name.clone(),
                        line: Some(line),
                        column: Some(file.columns[*i].name.clone()),
                        message: format!("{id} is not in {target}"),
                    });
                }
            }
            if file.name == "Exit.csv"
                && let (Some(enrollment), None) = (
                    enrollment_at.and_then(|i| values[i].clone()),
                    deleted_at.and_then(|i| values[i].clone()),
                )
                && !live_exits.insert(enrollment.clone())
            {
                report(Problem {
                    file: file.name.clone(),
                    line: Some(line),
                    column: Some("EnrollmentID".into()),
                    message: format!("enrollment {enrollment} has more than one exit"),
                });
            }
        }
        if file.name == "Export.csv" && rows != 1 {
            report(Problem {
                file: file.name.clone(),
                line: None,
                column: None,
                message: format!("an export has exactly one Export row, this one has {rows}"),
            });
        }
        if let Some(name) = ID_FILES.into_iter().find(|n| *n == file.name) {
            ids.insert(name, seen);
        }
    }
    Ok((problems, total))
}

/// Validates, then imports in one transaction. Nothing is written when any problem is
/// found.
pub async fn import<R: Read + Seek>(
    db: &DatabaseConnection,
    archive: &mut zip::ZipArchive<R>,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let (problems, total) = validate(archive, options)?;
    if total > 0 {
        return Err(ImportError::Invalid { problems, total });
    }
    let txn = app::db::begin_write(db).await?;
    let mut summary = ImportSummary::default();
    let mut reader = Reader::new(archive)?;
    for file in spec::files() {
        let Some(table) = &file.table else { continue };
        let Some(mut csv) = reader.open(&file.name)? else {
            continue;
        };
        let mut records = csv.records();
        let Some(header) = records.next().transpose().map_err(|e| match read_error(e) {
            Err(refused) => refused,
            Ok(other) => ImportError::Read(std::io::Error::other(other)),
        })?
        else {
            continue;
        };
        let (header, _) = match_header(file, &header);
        if let Some(announce) = options.announce {
            announce(&file.name);
        }
        let mut batch: Vec<Vec<Cell>> = Vec::new();
        let mut rows = 0u64;
        for record in records {
            let record = record.map_err(|e| match read_error(e) {
                Err(refused) => refused,
                Ok(other) => ImportError::Read(std::io::Error::other(other)),
            })?;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let cells = file
                .columns
                .iter()
                .zip(&header.positions)
                .map(|(column, at)| {
                    parse_cell(
                        column,
                        at.and_then(|i| record.get(i)).unwrap_or(""),
                        &options.time_zone,
                    )
                    .unwrap_or(Cell::Null)
                })
                .collect();
            batch.push(cells);
            rows += 1;
            if batch.len() * file.columns.len() >= MAX_PARAMS / 2 {
                write_batch(&txn, file, table, &mut batch, &options.data_key).await?;
            }
        }
        write_batch(&txn, file, table, &mut batch, &options.data_key).await?;
        summary.files.push((file.name.clone(), rows));
    }
    // The priority list entries of the CE assessments imported, in the same transaction.
    app::features::coordinated_entry::service::rebuild_list(&txn)
        .await
        .map_err(|e| DbErr::Custom(format!("the priority list could not be rebuilt: {e}")))?;
    txn.commit().await?;
    app::db::refresh_statistics(db).await?;
    Ok(summary)
}

fn cell<'a>(cells: &'a [Cell], file: &spec::File, column: &str) -> Option<&'a Cell> {
    file.columns
        .iter()
        .position(|c| c.name == column)
        .map(|i| &cells[i])
}

fn text(cells: &[Cell], file: &spec::File, column: &str) -> Option<String> {
    match cell(cells, file, column)? {
        Cell::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// A timestamp column's value (the epoch when empty: required columns never are).
fn timestamp(cells: &[Cell], file: &spec::File, column: &str) -> DateTime<Utc> {
    match cell(cells, file, column) {
        Some(Cell::Timestamp(t)) => *t,
        _ => DateTime::default(),
    }
}

fn value(cell: &Cell, column: &spec::Column, table: &str) -> Value {
    let boolean = table == "organizations" && column.db_column.as_deref() == Some("victim_service_provider");
    match (cell, column.kind) {
        (Cell::Integer(n), _) if boolean => Value::Bool(Some(*n == 1)),
        (Cell::Null, _) if boolean => Value::Bool(Some(false)),
        (Cell::Text(t), _) => Value::String(Some(t.clone())),
        (Cell::Integer(n), _) => Value::Int(Some(*n)),
        (Cell::Date(d), _) => Value::ChronoDate(Some(*d)),
        (Cell::Timestamp(t), _) => Value::ChronoDateTimeUtc(Some(*t)),
        (Cell::Money(m), _) => Value::Double(Some(*m)),
        (Cell::Null, Kind::Integer) => Value::Int(None),
        (Cell::Null, Kind::Date) => Value::ChronoDate(None),
        (Cell::Null, Kind::Timestamp) => Value::ChronoDateTimeUtc(None),
        (Cell::Null, Kind::Money) => Value::Double(None),
        (Cell::Null, Kind::Text) => Value::String(None),
    }
}

/// The assessment event a stage-dated row belongs to: derived from (enrollment,
/// stage, information date), so re-imports find the same one.
fn assessment_event_id(enrollment_id: &str, stage: i32, date: NaiveDate) -> String {
    let digest = Sha256::digest(format!("{enrollment_id}|{stage}|{date}").as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

async fn write_batch(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    table: &str,
    batch: &mut Vec<Vec<Cell>>,
    data_key: &app::crypto::DataKey,
) -> Result<(), DbErr> {
    if batch.is_empty() {
        return Ok(());
    }
    if file.name == "User.csv" {
        write_users(txn, file, batch).await?;
        batch.clear();
        return Ok(());
    }
    let kept: Vec<&spec::Column> = file.columns.iter().filter(|c| c.db_column.is_some()).collect();
    let stage_file = STAGE_FILES.contains(&file.name.as_str());
    let mut columns: Vec<String> = kept.iter().filter_map(|c| c.db_column.clone()).collect();
    let mut events: Vec<[Value; 6]> = Vec::new();
    if stage_file {
        columns.push("assessment_event_id".into());
    }
    // SSNs are sealed to their client; the last four digits are kept for search.
    let ssn_at = (file.name == "Client.csv")
        .then(|| kept.iter().position(|c| c.name == "SSN"))
        .flatten();
    if ssn_at.is_some() {
        columns.push("ssn_last4".into());
    }
    // Clients get their name search keys (what client search and dedup look up).
    let client_file = file.name == "Client.csv";
    if client_file {
        columns.push("first_name_key".into());
        columns.push("last_name_key".into());
    }
    let key = file
        .column(&file.primary_key)
        .and_then(|c| c.db_column.clone())
        .unwrap_or_default();
    let rows_per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    for chunk in batch.chunks(rows_per_statement) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(table))
            .columns(columns.iter().map(Alias::new));
        for cells in chunk {
            let mut values: Vec<Value> = file
                .columns
                .iter()
                .zip(cells)
                .filter(|(c, _)| c.db_column.is_some())
                .map(|(c, cell)| value(cell, c, table))
                .collect();
            if let Some(at) = ssn_at {
                let personal_id = text(cells, file, "PersonalID").unwrap_or_default();
                let ssn = text(cells, file, "SSN");
                values[at] = Value::String(
                    ssn.as_ref()
                        .map(|s| data_key.seal(s.as_bytes(), &app::crypto::ssn_context(&personal_id))),
                );
                // The last four characters, as the app keeps them ('x' for an unknown digit).
                values.push(Value::String(ssn.and_then(|s| {
                    let chars: Vec<char> = s.chars().collect();
                    (chars.len() >= 4).then(|| chars[chars.len() - 4..].iter().collect())
                })));
            }
            if client_file {
                for name in ["FirstName", "LastName"] {
                    let key = text(cells, file, name).map(|n| app::domain::dedup::search_key(&n));
                    values.push(Value::String(key));
                }
            }
            if stage_file {
                let enrollment = text(cells, file, "EnrollmentID").unwrap_or_default();
                let personal = text(cells, file, "PersonalID").unwrap_or_default();
                let stage = match cell(cells, file, "DataCollectionStage") {
                    Some(Cell::Integer(n)) => *n,
                    _ => 0,
                };
                let date = match cell(cells, file, "InformationDate") {
                    Some(Cell::Date(d)) => *d,
                    _ => NaiveDate::default(),
                };
                let id = assessment_event_id(&enrollment, stage, date);
                events.push([
                    Value::String(Some(id.clone())),
                    Value::String(Some(enrollment)),
                    Value::String(Some(personal)),
                    Value::Int(Some(stage)),
                    Value::ChronoDate(Some(date)),
                    Value::ChronoDateTimeUtc(Some(timestamp(cells, file, "DateCreated").max(timestamp(
                        cells,
                        file,
                        "DateUpdated",
                    )))),
                ]);
                values.push(Value::String(Some(id)));
            }
            insert.values_panic(values.into_iter().map(Into::into));
        }
        if stage_file && !events.is_empty() {
            write_events(txn, &mut events).await?;
        }
        let update: Vec<Alias> = columns.iter().filter(|c| **c != key).map(Alias::new).collect();
        insert.on_conflict(
            OnConflict::column(Alias::new(&key))
                .update_columns(update)
                .to_owned(),
        );
        txn.execute(&insert).await?;
    }
    batch.clear();
    Ok(())
}

async fn write_events(txn: &impl ConnectionTrait, events: &mut Vec<[Value; 6]>) -> Result<(), DbErr> {
    let mut seen = HashSet::new();
    let mut insert = Query::insert();
    insert.into_table(Alias::new("assessment_events")).columns([
        Alias::new("assessment_event_id"),
        Alias::new("enrollment_id"),
        Alias::new("personal_id"),
        Alias::new("data_collection_stage"),
        Alias::new("information_date"),
        Alias::new("created_at"),
        Alias::new("updated_at"),
    ]);
    let mut any = false;
    for [id, enrollment, personal, stage, date, at] in events.drain(..) {
        if !seen.insert(format!("{id:?}")) {
            continue;
        }
        any = true;
        insert.values_panic([
            id.into(),
            enrollment.into(),
            personal.into(),
            stage.into(),
            date.into(),
            at.clone().into(),
            at.into(),
        ]);
    }
    if !any {
        return Ok(());
    }
    insert.on_conflict(
        OnConflict::column(Alias::new("assessment_event_id"))
            .do_nothing()
            .to_owned(),
    );
    txn.execute(&insert).await?;
    Ok(())
}

/// User.csv: the people behind UserIDs. New ones become accounts that cannot sign in
/// (inactive, no password) until an admin sets them up; existing ones get their name
/// and email updated, never their credentials.
async fn write_users(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    batch: &[Vec<Cell>],
) -> Result<(), DbErr> {
    for cells in batch {
        let Some(user_id) = text(cells, file, "UserID") else {
            continue;
        };
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("users"))
            .columns([
                Alias::new("user_id"),
                Alias::new("username"),
                Alias::new("first_name"),
                Alias::new("last_name"),
                Alias::new("email"),
                Alias::new("password_hash"),
                Alias::new("is_active"),
                Alias::new("must_change_password"),
                Alias::new("failed_logins"),
                Alias::new("created_at"),
                Alias::new("updated_at"),
            ])
            .values_panic([
                user_id.clone().into(),
                format!("hmis-{user_id}").into(),
                text(cells, file, "UserFirstName").unwrap_or_default().into(),
                text(cells, file, "UserLastName").unwrap_or_default().into(),
                text(cells, file, "UserEmail").into(),
                app::features::access::service::NO_PASSWORD.into(),
                false.into(),
                true.into(),
                0.into(),
                timestamp(cells, file, "DateCreated").into(),
                timestamp(cells, file, "DateUpdated").into(),
            ])
            .on_conflict(
                OnConflict::column(Alias::new("user_id"))
                    .update_columns([
                        Alias::new("first_name"),
                        Alias::new("last_name"),
                        Alias::new("email"),
                        Alias::new("created_at"),
                        Alias::new("updated_at"),
                    ])
                    .to_owned(),
            );
        txn.execute(&insert).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(kind: Kind, list: Option<&str>, length: Option<usize>, required: bool) -> spec::Column {
        spec::Column {
            name: "X".into(),
            kind,
            length,
            required,
            list: list.map(str::to_string),
            db_column: Some("x".into()),
        }
    }

    #[test]
    fn cells_are_checked_against_the_spec() {
        let tz = chrono_tz::America::Chicago;
        let relationship = column(Kind::Integer, Some("3.15.1"), None, false);
        assert_eq!(parse_cell(&relationship, "1", &tz), Ok(Cell::Integer(1)));
        assert!(
            parse_cell(&relationship, "7", &tz)
                .unwrap_err()
                .contains("not a code of list 3.15.1")
        );
        assert!(parse_cell(&relationship, "x", &tz).is_err());
        assert_eq!(parse_cell(&relationship, " ", &tz), Ok(Cell::Null));
        let name = column(Kind::Text, None, Some(5), true);
        assert!(parse_cell(&name, "", &tz).is_err(), "required");
        assert!(
            parse_cell(&name, "abcdef", &tz)
                .unwrap_err()
                .contains("longer than 5")
        );
        let coc = column(Kind::Text, Some("2.03.1"), Some(6), false);
        assert!(parse_cell(&coc, "MO-500", &tz).is_ok());
        assert!(parse_cell(&coc, "XX-123", &tz).is_err());
        let date = column(Kind::Date, None, None, true);
        assert!(parse_cell(&date, "2026-02-30", &tz).is_err());
        assert_eq!(
            parse_cell(&date, "2026-02-28", &tz),
            Ok(Cell::Date(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()))
        );
        let at = column(Kind::Timestamp, None, None, true);
        // 9 am in Chicago in winter is 3 pm UTC.
        assert_eq!(
            parse_cell(&at, "2026-01-15 09:00:00", &tz),
            Ok(Cell::Timestamp(
                Utc.with_ymd_and_hms(2026, 1, 15, 15, 0, 0).unwrap()
            ))
        );
        let money = column(Kind::Money, None, None, false);
        assert_eq!(parse_cell(&money, "12.50", &tz), Ok(Cell::Money(12.5)));
        assert!(parse_cell(&money, "NaN", &tz).is_err());
    }

    #[test]
    fn headers_match_case_insensitively_with_a_byte_order_mark() {
        let file = spec::file("Enrollment.csv").unwrap();
        let mut names: Vec<String> = file.columns.iter().map(|c| c.name.to_ascii_uppercase()).collect();
        names[0] = format!("\u{feff}{}", file.columns[0].name);
        names.swap(1, 2);
        let (header, missing) = match_header(file, &csv::StringRecord::from(names));
        assert!(missing.is_empty());
        assert_eq!(header.positions[0], Some(0));
        assert_eq!(header.positions[1], Some(2));
        let (_, missing) = match_header(file, &csv::StringRecord::from(vec!["EnrollmentID"]));
        assert!(missing.contains(&"PersonalID".to_string()));
    }
}
