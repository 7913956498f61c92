//! Server functions for HMIS CSV imports.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::jobs::JobState;

/// One problem found in an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

/// What an import job found (kept as JSON in `job_runs.result`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    /// Why the file was refused as a whole (the first 200): a missing file or column,
    /// an export version Hearth does not read, … Empty when it was imported.
    pub problems: Vec<ImportProblem>,
    /// All such problems found.
    pub total: usize,
    /// The export's `CSVVersion`, as read.
    #[serde(default)]
    pub version: Option<String>,
    /// The system that wrote the export (its names and ImplementationID).
    #[serde(default)]
    pub source: Option<String>,
    /// What the export holds: "Full refresh, 2025-10-01 to 2026-09-30".
    #[serde(default)]
    pub scope: Option<String>,
    /// Each file's rows, in the order they were imported.
    #[serde(default)]
    pub files: Vec<FileCount>,
    /// The report's counts by file, kind and action.
    #[serde(default)]
    pub findings: Vec<FindingCount>,
    /// Every finding counted; the first `findings_kept` are listed one by one
    /// (`import_findings`).
    #[serde(default)]
    pub findings_total: u64,
    #[serde(default)]
    pub findings_kept: u64,
}

/// One import, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub job_run_id: String,
    pub state: JobState,
    /// When it started, in the CoC's time zone.
    pub started: String,
    pub started_by: Option<String>,
    /// The uploaded file's name.
    pub file_name: String,
    pub progress: i32,
    pub total: i32,
    pub message: Option<String>,
    pub result: ImportResult,
}

/// The largest upload accepted, in bytes (2 GiB).
pub const MAX_UPLOAD_BYTES: usize = 2 * 1024 * 1024 * 1024;

/// Recent imports, newest first. HMIS admins only.
#[server(prefix = "/api", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportJob>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::HmisAdmin,
    ]))?;
    crate::state::respond(super::service::recent(&state, &session).await)
}

/// What was wrong with a cell or row of an import, as the report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An integer or text code that is not in the column's HUD list.
    NotACode,
    /// Not a date written `YYYY-MM-DD` with a four-digit year, or no such day.
    NotADate,
    /// Not a date and time written `YYYY-MM-DD hh:mm:ss`.
    NotATimestamp,
    /// A date and time written another way whose meaning is still clear (a date alone,
    /// a `T` between date and time, fractions of a second): kept as read.
    InexactTimestamp,
    /// Not a whole number.
    NotANumber,
    /// Not an amount of money.
    NotAnAmount,
    /// Longer than the column allows.
    TooLong,
    /// A required value is empty.
    Missing,
    /// A value HUD requires because of another answer of the record (a subsidy type
    /// for destination 435, an amount for an income source answered Yes, …) is empty:
    /// stored as it is (`domain::conditions`).
    MissingWhen,
    /// A control character (such as NUL) no database stores.
    ControlCharacter,
    /// Bytes that are not UTF-8 text.
    NotUtf8,
    /// A line the CSV reader cannot read.
    UnreadableLine,
    /// The row's own ID is empty or unusable.
    UnusableKey,
    /// The row's ID appeared earlier in the same file.
    DuplicateKey,
    /// An ID of another file (EnrollmentID, PersonalID, ProjectID, …) that neither the
    /// export nor the database holds.
    UnknownReference,
    /// A second live exit for one enrollment.
    SecondExit,
    /// A date outside the years a record can have.
    OutOfRange,
    /// A name or SSN that is a hash (hexadecimal digest) in an export whose HashStatus
    /// says it is not hashed: kept as it is.
    UndeclaredHash,
}

impl FindingKind {
    pub const ALL: [FindingKind; 18] = [
        FindingKind::NotACode,
        FindingKind::NotADate,
        FindingKind::NotATimestamp,
        FindingKind::InexactTimestamp,
        FindingKind::NotANumber,
        FindingKind::NotAnAmount,
        FindingKind::TooLong,
        FindingKind::Missing,
        FindingKind::MissingWhen,
        FindingKind::ControlCharacter,
        FindingKind::NotUtf8,
        FindingKind::UnreadableLine,
        FindingKind::UnusableKey,
        FindingKind::DuplicateKey,
        FindingKind::UnknownReference,
        FindingKind::SecondExit,
        FindingKind::OutOfRange,
        FindingKind::UndeclaredHash,
    ];

    /// The name kept in the database and used in links (`not_a_code`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::NotACode => "not_a_code",
            FindingKind::NotADate => "not_a_date",
            FindingKind::NotATimestamp => "not_a_timestamp",
            FindingKind::InexactTimestamp => "inexact_timestamp",
            FindingKind::NotANumber => "not_a_number",
            FindingKind::NotAnAmount => "not_an_amount",
            FindingKind::TooLong => "too_long",
            FindingKind::Missing => "missing",
            FindingKind::MissingWhen => "missing_when",
            FindingKind::ControlCharacter => "control_character",
            FindingKind::NotUtf8 => "not_utf8",
            FindingKind::UnreadableLine => "unreadable_line",
            FindingKind::UnusableKey => "unusable_key",
            FindingKind::DuplicateKey => "duplicate_key",
            FindingKind::UnknownReference => "unknown_reference",
            FindingKind::SecondExit => "second_exit",
            FindingKind::OutOfRange => "out_of_range",
            FindingKind::UndeclaredHash => "undeclared_hash",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::NotACode => "Not a code of the HUD list",
            FindingKind::NotADate => "Not a date (YYYY-MM-DD)",
            FindingKind::NotATimestamp => "Not a date and time",
            FindingKind::InexactTimestamp => "Date and time written another way",
            FindingKind::NotANumber => "Not a whole number",
            FindingKind::NotAnAmount => "Not an amount",
            FindingKind::TooLong => "Too long",
            FindingKind::Missing => "Required value missing",
            FindingKind::MissingWhen => "Value another answer requires is missing",
            FindingKind::ControlCharacter => "Control character",
            FindingKind::NotUtf8 => "Not UTF-8 text",
            FindingKind::UnreadableLine => "Line cannot be read",
            FindingKind::UnusableKey => "Row ID missing or unusable",
            FindingKind::DuplicateKey => "Row ID repeated",
            FindingKind::UnknownReference => "Refers to a record that does not exist",
            FindingKind::SecondExit => "Second exit for one enrollment",
            FindingKind::OutOfRange => "Date out of range",
            FindingKind::UndeclaredHash => "Hash in an unhashed export",
        }
    }
}

/// What the import did about a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingAction {
    /// The value was stored as read (its meaning is clear; the report says how it was
    /// taken).
    Kept,
    /// The cell was stored empty.
    StoredEmpty,
    /// The cell was stored as 99, "Data not collected".
    StoredNotCollected,
    /// A record's DateCreated or DateUpdated was unreadable: the other one was stored
    /// in its place.
    StoredOtherDate,
    /// The whole row was left out.
    RowSkipped,
}

impl FindingAction {
    pub const ALL: [FindingAction; 5] = [
        FindingAction::Kept,
        FindingAction::StoredEmpty,
        FindingAction::StoredNotCollected,
        FindingAction::StoredOtherDate,
        FindingAction::RowSkipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingAction::Kept => "kept",
            FindingAction::StoredEmpty => "stored_empty",
            FindingAction::StoredNotCollected => "stored_not_collected",
            FindingAction::StoredOtherDate => "stored_other_date",
            FindingAction::RowSkipped => "row_skipped",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingAction::Kept => "Stored as read",
            FindingAction::StoredEmpty => "Stored empty",
            FindingAction::StoredNotCollected => "Stored as 99 (Data not collected)",
            FindingAction::StoredOtherDate => "Stored as the record's other date",
            FindingAction::RowSkipped => "Row not imported",
        }
    }
}

/// One cell or row of an import that breaks the HMIS CSV specification, and what was
/// done about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFinding {
    pub file: String,
    /// The line in the file (1 is the header).
    pub line: u64,
    pub column: Option<String>,
    /// The value as read (never an SSN: those show as "(not shown)").
    pub value: Option<String>,
    pub kind: FindingKind,
    pub action: FindingAction,
    pub message: String,
}

/// The columns of the import report as CSV (the download and `hearth import --report`).
pub const REPORT_CSV_COLUMNS: [&str; 7] = ["File", "Line", "Column", "Value", "Kind", "Problem", "Action"];

impl ImportFinding {
    /// The finding as a line of the report's CSV: kind and action by their codes (the
    /// ones the report's filter takes).
    pub fn csv_fields(&self) -> [String; 7] {
        [
            self.file.clone(),
            self.line.to_string(),
            self.column.clone().unwrap_or_default(),
            self.value.clone().unwrap_or_default(),
            self.kind.as_str().to_string(),
            self.message.clone(),
            self.action.as_str().to_string(),
        ]
    }
}

/// The rows of one file: read, imported, left out, and those whose record Hearth holds
/// with a later DateUpdated (Hearth's copy kept).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCount {
    pub file: String,
    pub read: u64,
    pub imported: u64,
    pub skipped: u64,
    #[serde(default)]
    pub kept_newer: u64,
    /// Records of the same system a full refresh no longer holds, soft-deleted.
    #[serde(default)]
    pub deleted: u64,
}

/// Rows (imported, read) over these files.
pub fn rows_imported(files: &[FileCount]) -> (u64, u64) {
    (
        files.iter().map(|f| f.imported).sum(),
        files.iter().map(|f| f.read).sum(),
    )
}

/// How many findings of one kind one file had, and what was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCount {
    pub file: String,
    pub kind: FindingKind,
    pub action: FindingAction,
    pub count: u64,
}

crate::report::filter! {
    /// The import report's filter (query string: `file`, `kind`, `page`).
    pub struct ReportFilter {
        file,
        kind,
    }
}

/// The report page of import `job_run_id` with `filter`.
pub fn report_path(job_run_id: &str, filter: &ReportFilter) -> String {
    with_query(crate::routes::import_report(job_run_id), &filter.query())
}

/// The report's CSV download with `filter`.
pub fn report_csv_path(job_run_id: &str, filter: &ReportFilter) -> String {
    with_query(crate::routes::import_report_csv(job_run_id), &filter.query())
}

fn with_query(path: String, query: &str) -> String {
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Findings listed on one page of the report.
pub const REPORT_PAGE_SIZE: usize = 50;

/// One page of an import's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReportPage {
    pub job: ImportJob,
    pub rows: Vec<ImportFinding>,
    pub page: usize,
    pub has_more: bool,
    /// Kept findings matching the filter.
    pub matching: u64,
    /// The files and kinds that have findings (the filter's choices).
    pub files: Vec<String>,
    pub kinds: Vec<FindingKind>,
}

/// One page of import `job_run_id`'s report: its findings filtered by file and kind
/// (`kind` as `FindingKind::as_str`), `REPORT_PAGE_SIZE` a page. HMIS admins only; an
/// audited view.
#[server(prefix = "/api", endpoint = "import_report")]
pub async fn import_report(
    job_run_id: String,
    file: Option<String>,
    kind: Option<String>,
    page: Option<usize>,
) -> Result<ImportReportPage, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::HmisAdmin,
    ]))?;
    let filter = ReportFilter { file, kind };
    crate::state::respond(
        super::service::report_page(&state, &session, &job_run_id, &filter, page.unwrap_or(0)).await,
    )
}
