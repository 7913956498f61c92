//! Reports as CSV files, on the server. A report that downloads implements
//! [`CsvReport`] in its own feature folder (its route, its query, its columns and rows);
//! the server serves every one through one generic handler, registered with the route
//! table (`server/src/router.rs`, `downloads::csv::<R>`). Fields are escaped here, so
//! every file defuses spreadsheet formulas the same way.

use std::future::Future;

use chrono::NaiveDate;

use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;

/// A CSV file: the name the browser saves it under, the header line and the rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvFile {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

impl CsvFile {
    /// The file's text: the header, then one line per row, CRLF line ends.
    pub fn text(&self) -> String {
        let mut out = csv_line(self.columns);
        for row in &self.rows {
            out.push_str(&csv_line(row));
        }
        out
    }
}

/// What a report's CSV answers: its file, or why not.
pub type CsvResult = Result<CsvFile, AppError>;

/// A report that downloads as CSV.
pub trait CsvReport: Send + Sync + 'static {
    /// The download's address (a `routes` constant).
    const PATH: &'static str;
    /// What the download's query string reads into: the report's filter.
    type Query: serde::de::DeserializeOwned + Send + 'static;

    /// The file for `query`, as `session` may see it (audited by the report).
    fn csv(
        state: &AppState,
        session: &CurrentSession,
        query: Self::Query,
    ) -> impl Future<Output = CsvResult> + Send;
}

/// A date as CSV files write it (`YYYY-MM-DD`).
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One CSV line of these fields (each escaped by [`csv_field`]), ending in CRLF.
pub fn csv_line(fields: &[impl AsRef<str>]) -> String {
    let fields: Vec<String> = fields.iter().map(|f| csv_field(f.as_ref())).collect();
    format!("{}\r\n", fields.join(","))
}

/// One CSV field, quoted when it holds a comma, quote or line break. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        let file = CsvFile {
            name: "x.csv",
            columns: &["A", "B"],
            rows: vec![vec!["1".into(), "x,y".into()]],
        };
        assert_eq!(file.text(), "A,B\r\n1,\"x,y\"\r\n");
    }
}
