//! What refuses an export as a whole, checked before anything is written: Export.csv
//! missing or without exactly one row, a `CSVVersion` Hearth does not read, a file a
//! full export must hold missing, a required column missing, a header that cannot be
//! read. Everything else is a finding of the import report, never a refusal.

use std::io::{Read, Seek};

use super::archive::{Archive, Header, read_error};
use super::{ImportError, Problem};
use crate::hmis_csv::spec;

/// The HMIS CSV versions Hearth reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Fy2026,
    /// Read as FY2026: the columns FY2026 renamed are found by their FY2024 names; the
    /// FY2026 elements are empty; FY2024 elements FY2026 retired are kept as written
    /// (`domain::retired`).
    Fy2024,
}

/// What Export.csv says about the export.
#[derive(Clone, Debug)]
pub struct Plan {
    pub version: Version,
    /// `CSVVersion` as written.
    pub version_text: String,
    /// ExportDirective 2, "Full refresh": every file must be there.
    pub full: bool,
    /// HashStatus 2–4: names and SSNs are hashes (hexadecimal digests, longer than the
    /// columns' plain lengths).
    pub hashed: bool,
    /// The system that wrote the export.
    pub source: Source,
    /// What the export holds, as people read it: "Full refresh, 2025-10-01 to 2026-09-30".
    pub scope: String,
    /// ExportStartDate to ExportEndDate, when both read as dates in that order.
    pub period: Option<super::absent::Period>,
}

/// The system an export comes from, as its Export.csv names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// ImplementationID ("stable across exports"); when the export leaves it empty,
    /// SoftwareName and SourceID stand in.
    pub implementation_id: String,
    pub software_name: String,
    pub source_name: String,
}

impl Source {
    /// "Green River (OpenPath HMIS), ImplementationID 4f2…".
    pub fn describe(&self) -> String {
        let mut name = [self.source_name.as_str(), self.software_name.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>();
        name.dedup();
        let name = match name.as_slice() {
            [] => "A system that names itself nowhere".to_string(),
            [one] => one.to_string(),
            [source, software, ..] => format!("{source} ({software})"),
        };
        format!("{name}, ImplementationID {}", self.implementation_id)
    }
}

/// FY2024 names of columns FY2026 renamed: (file, FY2026 name, FY2024 name).
pub const RENAMED_FY2024: [(&str, &str, &str); 1] = [("Client.csv", "HispanicLatinao", "HispanicLatinaeo")];

/// Reads the version from `CSVVersion` (`2026 v1.0`, `FY2026`, …): its first four-digit
/// year.
pub fn version(text: &str) -> Result<Version, String> {
    let year = text
        .as_bytes()
        .windows(4)
        .find(|w| w.iter().all(u8::is_ascii_digit))
        .and_then(|w| std::str::from_utf8(w).ok());
    match year {
        Some("2026") => Ok(Version::Fy2026),
        Some("2024") => Ok(Version::Fy2024),
        Some(year) => Err(format!(
            "this is an FY{year} export (CSVVersion \"{text}\"): Hearth reads HMIS CSV FY2026 and FY2024 \
             exports; export FY2026 from the other system"
        )),
        None if text.trim().is_empty() => Err(
            "Export.csv names no CSVVersion: Hearth reads HMIS CSV FY2026 and FY2024 exports and \
             cannot tell which this is"
                .into(),
        ),
        None => Err(format!(
            "Export.csv's CSVVersion \"{text}\" names no version Hearth reads (FY2026 or FY2024)"
        )),
    }
}

/// Checks what would refuse the export; answers what Export.csv says.
pub fn check<R: Read + Seek>(archive: &mut Archive<'_, R>) -> Result<Plan, ImportError> {
    let mut problems = Vec::new();
    let plan = export_row(archive, &mut problems)?;
    let Some(plan) = plan else {
        return Err(ImportError::invalid(problems));
    };
    for file in spec::files().iter().filter(|f| f.name != "Export.csv") {
        if !archive.has(&file.name) {
            if plan.full {
                problems.push(Problem::file(
                    &file.name,
                    "the file is missing from the zip (a full export, ExportDirective 2, has all 24 files)",
                ));
            }
            continue;
        }
        header(archive, file, plan.version, &mut problems)?;
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(ImportError::invalid(problems))
    }
}

/// A file's header, with a problem when it cannot be read or lacks a required column.
/// An empty file (not even a header) holds no rows and passes.
fn header<R: Read + Seek>(
    archive: &mut Archive<'_, R>,
    file: &spec::File,
    version: Version,
    problems: &mut Vec<Problem>,
) -> Result<(), ImportError> {
    if let Some(mut csv) = archive.open(&file.name)? {
        read_header(&mut csv, file, version, problems)?;
    }
    Ok(())
}

/// Reads the header of an open file (`None`: the file is empty, or its header has a
/// problem, added to `problems`).
pub fn read_header<R: Read>(
    csv: &mut csv::Reader<R>,
    file: &spec::File,
    version: Version,
    problems: &mut Vec<Problem>,
) -> Result<Option<Header>, ImportError> {
    let mut record = csv::ByteRecord::new();
    match csv.read_byte_record(&mut record) {
        Ok(false) => return Ok(None),
        Ok(true) => {}
        Err(e) => {
            let e = read_error(e)?;
            problems.push(Problem::at(
                &file.name,
                1,
                None,
                format!("the header cannot be read: {e}"),
            ));
            return Ok(None);
        }
    }
    let Ok(names) = csv::StringRecord::from_byte_record(record) else {
        problems.push(Problem::at(
            &file.name,
            1,
            None,
            "the header is not valid text (UTF-8): save the file as UTF-8",
        ));
        return Ok(None);
    };
    let names = renamed(file, version, names);
    let (mut header, missing) = Header::matched(file, &names);
    if version == Version::Fy2024 {
        header.keep(&names, app::domain::retired::columns(&file.name));
    }
    let fine = missing.is_empty();
    for column in missing {
        problems.push(Problem::at(
            &file.name,
            1,
            Some(column),
            "a required column is missing",
        ));
    }
    Ok(fine.then_some(header))
}

/// An FY2024 header with FY2026's names for the columns FY2026 renamed.
fn renamed(file: &spec::File, version: Version, names: csv::StringRecord) -> csv::StringRecord {
    if version != Version::Fy2024 {
        return names;
    }
    names
        .iter()
        .map(|name| {
            RENAMED_FY2024
                .iter()
                .find(|(f, _, old)| *f == file.name && name.trim().eq_ignore_ascii_case(old))
                .map_or(name, |(_, new, _)| *new)
        })
        .collect()
}

/// Export.csv: present, readable, one row; its version and directive.
fn export_row<R: Read + Seek>(
    archive: &mut Archive<'_, R>,
    problems: &mut Vec<Problem>,
) -> Result<Option<Plan>, ImportError> {
    const NAME: &str = "Export.csv";
    let Some(file) = spec::file(NAME) else {
        return Ok(None);
    };
    let Some(mut csv) = archive.open(NAME)? else {
        problems.push(Problem::file(
            NAME,
            "the file is missing from the zip: every HMIS CSV export has Export.csv",
        ));
        return Ok(None);
    };
    let mut records = csv.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            let e = read_error(e)?;
            problems.push(Problem::at(
                NAME,
                1,
                None,
                format!("the header cannot be read: {e}"),
            ));
            return Ok(None);
        }
        None => {
            problems.push(Problem::at(NAME, 1, None, "the file is empty (no header)"));
            return Ok(None);
        }
    };
    let (matched, missing) = Header::matched(file, &header);
    let at = |name: &str| {
        file.columns
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| matched.positions[i])
    };
    let (version_at, directive_at, hash_at) = (at("CSVVersion"), at("ExportDirective"), at("HashStatus"));
    let (implementation_at, software_at, source_id_at, source_name_at) = (
        at("ImplementationID"),
        at("SoftwareName"),
        at("SourceID"),
        at("SourceName"),
    );
    let (start_at, end_at) = (at("ExportStartDate"), at("ExportEndDate"));
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let e = read_error(e)?;
                problems.push(Problem::at(
                    NAME,
                    rows.len() as u64 + 2,
                    None,
                    format!("the line cannot be read: {e}"),
                ));
                return Ok(None);
            }
        };
        if !record.iter().all(|f| f.trim().is_empty()) {
            rows.push(record);
        }
    }
    if rows.len() != 1 {
        problems.push(Problem::file(
            NAME,
            format!(
                "an export has exactly one Export row, this one has {}",
                rows.len()
            ),
        ));
        return Ok(None);
    }
    let row = &rows[0];
    let field = |at: Option<usize>| at.and_then(|i| row.get(i)).unwrap_or("").trim().to_string();
    let version_text = field(version_at);
    let version = match version(&version_text) {
        Ok(v) => v,
        Err(message) => {
            problems.push(Problem::at(NAME, 2, Some("CSVVersion".into()), message));
            return Ok(None);
        }
    };
    for column in missing {
        problems.push(Problem::at(NAME, 1, Some(column), "a required column is missing"));
    }
    let software_name = field(software_at);
    // The key of the system in `import_sources` (at most 400 characters).
    let implementation_id = match field(implementation_at) {
        id if id.is_empty() => format!("{software_name}|{}", field(source_id_at)),
        id => id,
    }
    .chars()
    .take(400)
    .collect();
    let directive = match field(directive_at).as_str() {
        "1" => "Delta refresh",
        "2" => "Full refresh",
        _ => "Other refresh",
    };
    let scope = format!("{directive}, {} to {}", field(start_at), field(end_at));
    let date = |at: Option<usize>| super::cells::parse_date(&field(at));
    let period = match (date(start_at), date(end_at)) {
        (Some(from), Some(to)) if from <= to => Some(super::absent::Period { from, to }),
        _ => None,
    };
    Ok(Some(Plan {
        scope,
        period,
        version,
        version_text,
        full: field(directive_at) == "2",
        hashed: matches!(field(hash_at).as_str(), "2" | "3" | "4"),
        source: Source {
            implementation_id,
            software_name,
            source_name: field(source_name_at),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_by_their_year() {
        for text in ["2026 v1.0", "2026 v1", "FY2026", "2026"] {
            assert_eq!(version(text), Ok(Version::Fy2026), "{text}");
        }
        assert_eq!(version("2024 v1.3"), Ok(Version::Fy2024));
        let refused = version("FY2022").unwrap_err();
        assert!(refused.contains("FY2022 export"), "{refused}");
        assert!(version("").unwrap_err().contains("no CSVVersion"));
        assert!(version("v6.1").unwrap_err().contains("\"v6.1\""));
    }
}
