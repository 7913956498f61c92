//! The HMIS CSV FY2026 specification, built into the program: the 24 files in export
//! order, each column's type, length, requirement and code list, and where Hearth keeps
//! it (`spec/columns.csv`, generated with the data model by scripts/gen-hud-model.py).

use std::collections::HashMap;
use std::sync::LazyLock;

/// A column's HMIS CSV data type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// S: text of at most `length` characters.
    Text,
    /// I: a whole number (usually a code from `list`).
    Integer,
    /// D: a date, `YYYY-MM-DD`.
    Date,
    /// T: a date and time, `YYYY-MM-DD hh:mm:ss`.
    Timestamp,
    /// M: money, up to two decimals.
    Money,
}

/// One column of one file.
#[derive(Clone, Debug)]
pub struct Column {
    /// The spec's header, e.g. `RelationshipToHoH`.
    pub name: String,
    pub kind: Kind,
    /// Maximum length of a text column.
    pub length: Option<usize>,
    pub required: bool,
    /// The HUD list its codes come from, e.g. `3.15.1`.
    pub list: Option<String>,
    /// Hearth's column (`None`: not kept, exported empty or computed).
    pub db_column: Option<String>,
}

/// One file of the export.
#[derive(Clone, Debug)]
pub struct File {
    /// e.g. `Enrollment.csv`.
    pub name: String,
    /// Hearth's table (`None` for Export.csv, which describes the export itself).
    pub table: Option<String>,
    /// The primary key column's header.
    pub primary_key: String,
    pub columns: Vec<Column>,
}

impl File {
    /// The file name without `.csv`, e.g. `Enrollment`.
    pub fn stem(&self) -> &str {
        self.name.trim_end_matches(".csv")
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Hearth's column of the file's primary key (`None` for Export.csv).
    pub fn key_column(&self) -> Option<&str> {
        self.column(&self.primary_key)?.db_column.as_deref()
    }
}

macro_rules! spec_files {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("spec/", $name)))),+]
    };
}

/// Each file's own spec (`column,type,length,required,list,notes`).
const FILE_SPECS: &[(&str, &str)] = spec_files!(
    "Export.csv",
    "Organization.csv",
    "User.csv",
    "Project.csv",
    "Funder.csv",
    "ProjectCoC.csv",
    "Inventory.csv",
    "Affiliation.csv",
    "HMISParticipation.csv",
    "CEParticipation.csv",
    "Client.csv",
    "Enrollment.csv",
    "Exit.csv",
    "IncomeBenefits.csv",
    "HealthAndDV.csv",
    "EmploymentEducation.csv",
    "Disabilities.csv",
    "Services.csv",
    "CurrentLivingSituation.csv",
    "Assessment.csv",
    "AssessmentQuestions.csv",
    "AssessmentResults.csv",
    "Event.csv",
    "YouthEducationStatus.csv",
);
const FILES: &str = include_str!("spec/_files.csv");
const COLUMNS: &str = include_str!("spec/columns.csv");

/// The 24 files in the spec's order (Export.csv first).
pub fn files() -> &'static [File] {
    &SPEC
}

/// One file by name, e.g. `Client.csv` (exact spelling).
pub fn file(name: &str) -> Option<&'static File> {
    SPEC.iter().find(|f| f.name == name)
}

static SPEC: LazyLock<Vec<File>> = LazyLock::new(build);

fn records(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    // The spec files are part of the program; a malformed one fails the unit tests.
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .filter_map(Result::ok)
}

fn build() -> Vec<File> {
    let mut where_kept: HashMap<(String, String), (String, String)> = HashMap::new();
    for row in records(COLUMNS) {
        where_kept.insert(
            (row[0].to_string(), row[1].to_string()),
            (row[2].to_string(), row[3].to_string()),
        );
    }
    let mut files = Vec::new();
    for row in records(FILES) {
        let name = row[0].to_string();
        let primary_key = row[2].to_string();
        let Some((_, text)) = FILE_SPECS.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let mut table = None;
        let columns = records(text)
            .map(|c| {
                let kept = where_kept
                    .get(&(name.clone(), c[0].to_string()))
                    .filter(|(t, col)| !t.is_empty() && !col.is_empty());
                if let Some((t, _)) = kept {
                    table = Some(t.clone());
                }
                Column {
                    name: c[0].to_string(),
                    kind: match &c[1] {
                        "I" => Kind::Integer,
                        "D" => Kind::Date,
                        "T" => Kind::Timestamp,
                        "M" => Kind::Money,
                        _ => Kind::Text,
                    },
                    length: c[2].parse().ok(),
                    required: &c[3] == "Y",
                    list: Some(c[4].to_string()).filter(|l| !l.is_empty()),
                    db_column: kept.map(|(_, col)| col.clone()),
                }
            })
            .collect();
        files.push(File {
            name,
            table,
            primary_key,
            columns,
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_24_files_in_spec_order_with_their_column_counts() {
        let names: Vec<&str> = files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 24);
        assert_eq!(names[0], "Export.csv");
        assert_eq!(names[23], "YouthEducationStatus.csv");
        // _files.csv states each file's column count; the file specs must agree.
        for row in records(FILES) {
            let file = file(&row[0]).expect("listed file is built");
            assert_eq!(file.columns.len().to_string(), &row[3], "{}", file.name);
            assert_eq!(file.columns[0].name, file.primary_key, "{}", file.name);
        }
    }

    #[test]
    fn hud_conditions_name_columns_of_their_files() {
        for c in app::domain::conditions::CONDITIONS {
            let file = file(c.file).unwrap_or_else(|| panic!("{c:?}: no such file"));
            let when = file
                .column(c.when)
                .unwrap_or_else(|| panic!("{c:?}: no {}", c.when));
            assert_eq!(when.kind, Kind::Integer, "{c:?}: a coded answer");
            let then = file
                .column(c.then)
                .unwrap_or_else(|| panic!("{c:?}: no {}", c.then));
            assert!(!then.required, "{c:?}: the spec already requires it");
        }
        for retired in app::domain::retired::CLIENT_COLUMNS {
            assert!(file("Client.csv").and_then(|f| f.column(retired)).is_none());
        }
    }

    #[test]
    fn every_file_but_export_is_kept_in_one_table() {
        for file in files() {
            if file.name == "Export.csv" {
                assert!(file.table.is_none());
                continue;
            }
            assert!(file.table.is_some(), "{}", file.name);
            assert_eq!(file.columns.last().map(|c| c.name.as_str()), Some("ExportID"));
            assert!(
                file.columns
                    .iter()
                    .filter(|c| c.name != "ExportID")
                    .all(|c| c.db_column.is_some())
                    || file.name == "User.csv",
                "{}",
                file.name
            );
        }
        let enrollment = file("Enrollment.csv").unwrap();
        let relationship = enrollment.column("RelationshipToHoH").unwrap();
        assert_eq!(relationship.kind, Kind::Integer);
        assert_eq!(relationship.list.as_deref(), Some("3.15.1"));
        assert_eq!(relationship.db_column.as_deref(), Some("relationship_to_hoh"));
        assert_eq!(enrollment.column("EntryDate").unwrap().kind, Kind::Date);
    }
}
