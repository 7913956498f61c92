//! The export's zip: its entries found by file name (one folder deep at most, each
//! name once), each file read as CSV within the bounds of `limits`, and a file's header
//! matched to the spec's columns.

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::ImportError;
use crate::hmis_csv::limits::{self, Bounded, Budget};
use crate::hmis_csv::spec;

pub(super) struct Archive<'a, R: Read + Seek> {
    zip: &'a mut zip::ZipArchive<R>,
    /// Entry names by lower-case file name.
    entries: HashMap<String, String>,
    /// The bytes read from the whole archive.
    budget: Budget,
}

/// A file of the export, read as CSV within the bounds of `limits`.
pub(super) type CsvFile<'z, R> = csv::Reader<Bounded<zip::read::ZipFile<'z, R>>>;

impl<'a, R: Read + Seek> Archive<'a, R> {
    /// Refuses a zip whose names are not an export's: too many entries, a name outside
    /// its folder or deeper than one folder, one file name twice (in any folders).
    pub fn new(zip: &'a mut zip::ZipArchive<R>) -> Result<Self, ImportError> {
        if zip.len() > limits::MAX_ENTRIES {
            return Err(ImportError::Refused(format!(
                "the zip holds {} files; an export has 24",
                zip.len()
            )));
        }
        let mut entries = HashMap::new();
        for name in zip.file_names() {
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
        Ok(Archive {
            zip,
            entries,
            budget: Budget::default(),
        })
    }

    /// The size the zip declares for this file (0 when it does not hold it): what the
    /// progress counts in (the bounds of `limits` keep a file to what it declares).
    pub fn size(&mut self, file: &str) -> u64 {
        let Some(name) = self.entries.get(&file.to_ascii_lowercase()).cloned() else {
            return 0;
        };
        self.zip.by_name(&name).map(|entry| entry.size()).unwrap_or(0)
    }

    /// Whether the zip holds this file.
    pub fn has(&self, file: &str) -> bool {
        self.entries.contains_key(&file.to_ascii_lowercase())
    }

    /// The file's CSV reader, or `None` when the zip does not hold it.
    pub fn open(&mut self, file: &str) -> Result<Option<CsvFile<'_, R>>, ImportError> {
        let Some(name) = self.entries.get(&file.to_ascii_lowercase()).cloned() else {
            return Ok(None);
        };
        let entry = self.zip.by_name(&name)?;
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
pub(super) fn read_error(error: csv::Error) -> Result<String, ImportError> {
    match limits::exceeded(&error) {
        Some(refusal) => Err(ImportError::Refused(refusal)),
        None => Ok(error.to_string()),
    }
}

/// A file's header matched against the spec: for each spec column, its position in the
/// file (if present). Headers match case-insensitively (`HoHLeaseholder` =
/// `HOHLeaseholder`), a byte-order mark and spaces around names ignored; extra columns
/// are ignored, but for an FY2024 export's retired columns (kept as written).
pub(super) struct Header {
    pub positions: Vec<Option<usize>>,
    /// FY2024 columns FY2026 retired and where they are (`domain::retired`).
    pub retired: Vec<(&'static str, usize)>,
}

impl Header {
    /// The header, and the spec's required columns it lacks.
    pub fn matched(file: &spec::File, header: &csv::StringRecord) -> (Header, Vec<String>) {
        let names: Vec<String> = header.iter().map(name).collect();
        let mut missing = Vec::new();
        let positions = file
            .columns
            .iter()
            .map(|c| {
                let at = names.iter().position(|n| *n == c.name.to_ascii_lowercase());
                if at.is_none() && c.required && c.name != "ExportID" {
                    missing.push(c.name.clone());
                }
                at
            })
            .collect();
        let header = Header {
            positions,
            retired: Vec::new(),
        };
        (header, missing)
    }

    /// Keeps where these columns outside the spec are (an FY2024 export's retired
    /// columns), as the spec's columns are matched.
    pub fn keep(&mut self, header: &csv::StringRecord, columns: &[&'static str]) {
        let names: Vec<String> = header.iter().map(name).collect();
        self.retired = columns
            .iter()
            .filter_map(|column| {
                let at = names.iter().position(|n| *n == column.to_ascii_lowercase())?;
                Some((*column, at))
            })
            .collect();
    }
}

/// A header name as it is matched: without a byte-order mark or spaces around it, in
/// lower case.
fn name(header: &str) -> String {
    header.trim_start_matches('\u{feff}').trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_case_insensitively_with_a_byte_order_mark() {
        let file = spec::file("Enrollment.csv").unwrap();
        let mut names: Vec<String> = file.columns.iter().map(|c| c.name.to_ascii_uppercase()).collect();
        names[0] = format!("\u{feff}{}", file.columns[0].name);
        names.swap(1, 2);
        let (header, missing) = Header::matched(file, &csv::StringRecord::from(names));
        assert!(missing.is_empty());
        assert_eq!(header.positions[0], Some(0));
        assert_eq!(header.positions[1], Some(2));
        let (_, missing) = Header::matched(file, &csv::StringRecord::from(vec!["EnrollmentID"]));
        assert!(missing.contains(&"PersonalID".to_string()));
    }
}
