//! The HMIS CSV FY2026 export: all 24 files, every column in spec order under the
//! spec's headers, written into one zip. Rows are streamed from the database straight
//! into the zip, so memory stays flat however large the database is.
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
use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult, Statement, StreamTrait, Value};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use super::spec::{self, Kind};
use app::db::statement;

/// The CSV version Export.csv names.
pub const CSV_VERSION: &str = "2026 v1.0";
/// Client.csv columns replaced by hashes in a hashed export.
const HASHED_NAME_COLUMNS: [&str; 4] = ["FirstName", "MiddleName", "LastName", "NameSuffix"];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the database could not be read: {0}")]
    Database(#[from] DbErr),
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

/// Writes the export as a zip into `out`.
pub async fn write_export<W: Write + Seek>(
    db: &DatabaseConnection,
    options: &ExportOptions,
    out: W,
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
    let entry = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(
            options.now.with_timezone(&options.time_zone).naive_local(),
        ));
    let mut summary = ExportSummary::default();
    for (done, file) in spec::files().iter().enumerate() {
        zip.start_file(file.name.as_str(), entry)?;
        let rows = if file.name == "Export.csv" {
            write_export_row(db, options, from, file, &mut zip).await?
        } else {
            let mut each = |rows: u64| {
                progress(&ExportProgress {
                    files_done: done,
                    file: file.name.clone(),
                    rows,
                })
            };
            write_table(db, options, from, file, &mut zip, &mut each).await?
        };
        progress(&ExportProgress {
            files_done: done + 1,
            file: file.name.clone(),
            rows,
        });
        summary.files.push((file.name.clone(), rows));
    }
    zip.finish()?;
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

/// The rows of one file: its table's columns, filtered to what the export holds.
fn selection(
    options: &ExportOptions,
    from: NaiveDate,
    file: &spec::File,
    table: &str,
) -> (String, Vec<Value>) {
    let (projects, project_values) = project_filter(&options.projects, "project_id");
    let (enrollment_projects, _) = project_filter(&options.projects, "e.project_id");
    let enrollments = format!(
        "SELECT e.enrollment_id FROM enrollments e WHERE e.date_deleted IS NULL AND e.entry_date <= ? \
         AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id \
         AND x.date_deleted IS NULL AND x.exit_date < ?) AND {enrollment_projects}"
    );
    let mut enrollment_values = vec![Value::from(options.to), Value::from(from)];
    enrollment_values.extend(project_values.clone());
    let columns: Vec<String> = file
        .columns
        .iter()
        .map(|c| match (&c.db_column, c.kind) {
            (None, _) => "NULL".to_string(),
            // Booleans kept as 0/1 codes read the same on both databases.
            (Some(col), Kind::Integer) => format!("CAST({col} AS INTEGER)"),
            (Some(col), Kind::Money) => format!("CAST({col} AS DOUBLE PRECISION)"),
            // HUD requires a UserID on every record; Hearth's own records carry its
            // system user.
            (Some(col), _) if c.name == "UserID" && file.name != "User.csv" => {
                format!("COALESCE({col}, '{}')", app::db::SYSTEM_USER_ID)
            }
            (Some(col), _) => col.clone(),
        })
        .collect();
    let key = file
        .column(&file.primary_key)
        .and_then(|c| c.db_column.clone())
        .unwrap_or_else(|| "1".into());
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
        "enrollments" => (format!("enrollment_id IN ({enrollments})"), enrollment_values),
        "clients" => (
            format!(
                "personal_id IN (SELECT personal_id FROM enrollments WHERE enrollment_id IN ({enrollments}))"
            ),
            enrollment_values,
        ),
        _ => (format!("enrollment_id IN ({enrollments})"), enrollment_values),
    };
    (
        format!(
            "SELECT {} FROM {table} WHERE {deleted} AND {filter} ORDER BY {key}",
            columns.join(", ")
        ),
        values,
    )
}

async fn write_table<W: Write>(
    db: &DatabaseConnection,
    options: &ExportOptions,
    from: NaiveDate,
    file: &spec::File,
    out: W,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<u64, ExportError> {
    let mut csv = csv_writer(out);
    csv.write_record(file.columns.iter().map(|c| c.name.as_str()))?;
    let Some(table) = &file.table else {
        return Ok(0);
    };
    let (sql, values) = selection(options, from, file, table);
    let mut rows = db
        .stream_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut count = 0u64;
    let mut record = Vec::with_capacity(file.columns.len());
    let ssn_at = (file.name == "Client.csv")
        .then(|| file.columns.iter().position(|c| c.name == "SSN"))
        .flatten();
    while let Some(row) = rows.next().await {
        let row = row?;
        record.clear();
        for (i, column) in file.columns.iter().enumerate() {
            let text = if column.name == "ExportID" {
                options.export_id.clone()
            } else {
                cell(&row, i, column.kind, &options.time_zone)?
            };
            let text = if options.hash_pii && file.name == "Client.csv" && column.name != "SSN" {
                hash_pii(&column.name, text)
            } else {
                text
            };
            record.push(text);
        }
        if let Some(at) = ssn_at
            && !record[at].is_empty()
        {
            let ssn = open_ssn(&options.data_key, &record[0], &record[at])?;
            record[at] = if options.hash_pii {
                hash_pii("SSN", ssn)
            } else {
                ssn
            };
        }
        csv.write_record(&record)?;
        count += 1;
        if count.is_multiple_of(50_000) {
            progress(count);
        }
    }
    csv.flush()?;
    Ok(count)
}

/// A stored (sealed) SSN in plain text.
fn open_ssn(key: &app::crypto::DataKey, personal_id: &str, sealed: &str) -> Result<String, ExportError> {
    key.open(sealed, &app::crypto::ssn_context(personal_id))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ExportError::DataKey(personal_id.to_string()))
}

/// One value as the spec writes it; empty for null.
fn cell(row: &QueryResult, i: usize, kind: Kind, time_zone: &Tz) -> Result<String, DbErr> {
    Ok(match kind {
        Kind::Integer => row.try_get_by_index::<Option<i32>>(i)?.map(|n| n.to_string()),
        Kind::Money => row.try_get_by_index::<Option<f64>>(i)?.map(|m| format!("{m:.2}")),
        Kind::Date => row
            .try_get_by_index::<Option<NaiveDate>>(i)?
            .map(|d| d.format("%Y-%m-%d").to_string()),
        Kind::Timestamp => row
            .try_get_by_index::<Option<DateTime<Utc>>>(i)?
            .map(|t| t.with_timezone(time_zone).format("%Y-%m-%d %H:%M:%S").to_string()),
        Kind::Text => row.try_get_by_index::<Option<String>>(i)?,
    }
    .unwrap_or_default())
}

/// HUD's hashed export: names are Soundex-coded, then hashed; the SSN is hashed. Empty
/// stays empty.
fn hash_pii(column: &str, value: String) -> String {
    if value.is_empty() {
        return value;
    }
    let input = if HASHED_NAME_COLUMNS.contains(&column) {
        soundex(&value)
    } else if column == "SSN" {
        value
    } else {
        return value;
    };
    let digest = Sha256::digest(input.as_bytes());
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

/// American Soundex: the first letter, then three digits for the consonant sounds that
/// follow ("Robert" → R163). Letters only; other characters are ignored.
pub fn soundex(name: &str) -> String {
    fn digit(c: char) -> Option<char> {
        match c {
            'B' | 'F' | 'P' | 'V' => Some('1'),
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Some('2'),
            'D' | 'T' => Some('3'),
            'L' => Some('4'),
            'M' | 'N' => Some('5'),
            'R' => Some('6'),
            _ => None,
        }
    }
    let mut letters = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut code = String::from(first);
    let mut last = digit(first);
    for c in letters {
        let d = digit(c);
        if let Some(d) = d
            && Some(d) != last
        {
            code.push(d);
            if code.len() == 4 {
                break;
            }
        }
        // H and W do not separate letters with the same code; vowels do.
        if !matches!(c, 'H' | 'W') {
            last = d;
        }
    }
    while code.len() < 4 {
        code.push('0');
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_codes() {
        for (name, code) in [
            ("Robert", "R163"),
            ("Rupert", "R163"),
            ("Ashcraft", "A261"),
            ("Tymczak", "T522"),
            ("Pfister", "P236"),
            ("Lee", "L000"),
            ("O'Brien", "O165"),
            ("", ""),
        ] {
            assert_eq!(soundex(name), code, "{name}");
        }
    }

    #[test]
    fn hashing_covers_names_and_ssn_only() {
        let hashed = hash_pii("FirstName", "Robert".into());
        assert_eq!(hashed.len(), 64);
        assert_eq!(
            hashed,
            hash_pii("FirstName", "Rupert".into()),
            "same Soundex, same hash"
        );
        assert_ne!(hash_pii("SSN", "123456789".into()), "123456789");
        assert_eq!(hash_pii("DOB", "1980-01-01".into()), "1980-01-01");
        assert_eq!(hash_pii("LastName", String::new()), "");
    }
}
