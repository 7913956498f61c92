//! One row of a file read and checked: each cell by its column's rules (`cells`), the
//! row's fate decided (stored as is, a cell stored empty or as "not collected", or the
//! row left out), and what was found kept with it until its batch is written.

use std::hash::{BuildHasher, RandomState};

use app::domain::conditions::Condition;
use app::features::hmis_import::api::{FindingAction, FindingKind, ImportFinding};
use chrono_tz::Tz;

use super::archive::Header;
use super::cells::{self, Cell, Flaw, Hashing};
use super::fingerprints;
use crate::hmis_csv::spec;

/// A row checked and waiting in its batch: its cells in the spec's column order, and
/// what was found in it.
pub(super) struct Pending {
    pub line: u64,
    pub cells: Vec<Cell>,
    pub findings: Vec<ImportFinding>,
    pub skip: bool,
    /// An FY2024 row's retired elements (`domain::retired`) as a JSON object of HUD's
    /// column names to the values as written; `None` when it has none.
    pub retired: Option<String>,
}

impl Pending {
    /// Leaves the row out, for this reason.
    pub fn leave_out(&mut self, file: &spec::File, column: Option<&str>, value: Option<&str>, flaw: Flaw) {
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
pub(super) struct FileCheck<'f> {
    pub file: &'f spec::File,
    header: Header,
    key_at: usize,
    /// Each column's hashing (names and SSNs of Client.csv may be hashes).
    hashing: Vec<Hashing>,
    /// Fingerprints of the IDs seen; `None` when the table was empty before the file
    /// (the database answers instead).
    pub seen: Option<fingerprints::Fingerprints>,
    fingerprint: RandomState,
    time_zone: Tz,
    /// HUD's conditional requirements of the file, with the positions of the column
    /// that asks and the column asked for (found once, not per row).
    conditions: Vec<(&'static Condition, usize, usize)>,
}

/// Leaves out a row whose ID came earlier in the file.
pub(super) fn repeated(file: &spec::File, row: &mut Pending, key: &str) {
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
    pub fn new(file: &'f spec::File, header: Header, time_zone: Tz, hashed: bool) -> Self {
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
            conditions: app::domain::conditions::of_file(&file.name)
                .filter_map(|c| {
                    let at = |name: &str| file.columns.iter().position(|col| col.name == name);
                    Some((c, at(c.when)?, at(c.then)?))
                })
                .collect(),
        }
    }

    /// Whether the file's table held no rows before the file (every row in it is this
    /// file's, and the database finds repeated IDs).
    pub fn table_was_empty(&self) -> bool {
        self.seen.is_none()
    }

    fn raw<'r>(&self, record: &'r csv::ByteRecord, column: usize) -> &'r [u8] {
        self.header.positions[column]
            .and_then(|at| record.get(at))
            .unwrap_or(b"")
    }

    /// The row's own ID (a Hearth ID once `keys` resolved it), unless it is left out.
    pub fn kept_key<'r>(&self, row: &'r Pending) -> Option<&'r str> {
        (!row.skip).then(|| row.cells[self.key_at].text()).flatten()
    }

    /// Whether the file held this ID of its own records, as far as its fingerprints
    /// tell (a collision answers yes); false when the table was empty before the file.
    pub fn held(&self, key: &str) -> bool {
        self.seen
            .as_ref()
            .is_some_and(|seen| seen.contains(self.fingerprint.hash_one(key)))
    }

    /// Checks one row: each cell read by its column's rules, the row's fate decided.
    pub fn row(&mut self, record: &csv::ByteRecord, line: u64) -> Pending {
        let file = self.file;
        let mut row = Pending {
            line,
            cells: Vec::with_capacity(file.columns.len()),
            findings: Vec::new(),
            skip: false,
            retired: self.retired(record),
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
        if !row.skip {
            self.check_conditions(&mut row);
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

    /// HUD's conditional requirements (`domain::conditions`): each value another
    /// answer of the row asks for and that is empty is a finding; the row is stored as
    /// it is.
    fn check_conditions(&self, row: &mut Pending) {
        for &(condition, when_at, then_at) in &self.conditions {
            let code = match row.cells[when_at] {
                Cell::Integer(n) => Some(n),
                _ => None,
            };
            if condition.broken_by(code, row.cells[then_at] != Cell::Null) {
                let flaw = Flaw {
                    kind: FindingKind::MissingWhen,
                    message: condition.reason(code.unwrap_or_default()),
                };
                row.find(self.file, Some(condition.then), None, flaw, FindingAction::Kept);
            }
        }
    }

    /// The row's FY2024 retired elements, when the file has their columns and one of
    /// them holds a value: kept as written (what they mean is shown, not checked).
    fn retired(&self, record: &csv::ByteRecord) -> Option<String> {
        let values: serde_json::Map<String, serde_json::Value> = self
            .header
            .retired
            .iter()
            .map(|(column, at)| {
                let value = String::from_utf8_lossy(record.get(*at).unwrap_or_default());
                (column.to_string(), serde_json::Value::from(value.trim()))
            })
            .collect();
        values
            .values()
            .any(|v| v.as_str().is_some_and(|v| !v.is_empty()))
            .then(|| serde_json::Value::Object(values).to_string())
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
