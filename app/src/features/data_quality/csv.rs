//! The data-quality report as CSV (audited): with `check`, the records behind that
//! count; without, every count.

use super::api::DqFilter;
use super::service::{Export, export};
use crate::report::csv::{CsvFile, CsvReport, CsvResult, date};
use crate::session::CurrentSession;
use crate::state::AppState;

/// The CSV's query: the report's filter and, optionally, one count.
#[derive(serde::Deserialize)]
pub struct DataQualityQuery {
    #[serde(flatten)]
    filter: DqFilter,
    check: Option<String>,
}

pub struct DataQualityCsv;

impl CsvReport for DataQualityCsv {
    const PATH: &'static str = crate::routes::DATA_QUALITY_CSV;
    type Query = DataQualityQuery;

    async fn csv(state: &AppState, session: &CurrentSession, query: Self::Query) -> CsvResult {
        let check = query.check.as_deref().filter(|c| !c.is_empty());
        Ok(match export(state, session, &query.filter, check).await? {
            Export::Records(title, rows) => CsvFile {
                name: "data-quality-records.csv",
                columns: &[
                    "Check",
                    "PersonalID",
                    "Client",
                    "EnrollmentID",
                    "Project",
                    "StartDate",
                    "ExitDate",
                    "Detail",
                ],
                rows: rows
                    .into_iter()
                    .map(|r| {
                        vec![
                            title.clone(),
                            r.personal_id,
                            r.name,
                            r.enrollment_id,
                            r.project_name,
                            date(r.entry_date),
                            r.exit_date.map(date).unwrap_or_default(),
                            r.detail,
                        ]
                    })
                    .collect(),
            },
            Export::Counts(rows) => CsvFile {
                name: "data-quality.csv",
                columns: &["Check", "Code", "Count"],
                rows: rows
                    .into_iter()
                    .map(|(title, code, n)| vec![title, code, n.to_string()])
                    .collect(),
            },
        })
    }
}
