//! An import's report as CSV (HMIS admins; audited): the kept findings the filter
//! (`file`, `kind`) matches, in report order. The import's ID is in the address.

use serde::Deserialize;

use super::api::{REPORT_CSV_COLUMNS, ReportFilter};
use crate::report::csv::{CsvFile, CsvReport, CsvResult};
use crate::session::CurrentSession;
use crate::state::AppState;

pub struct ImportReportCsv;

/// The download's query: the import (from the address) and the report's filter.
#[derive(Debug, Deserialize)]
pub struct ImportReportQuery {
    job_run_id: String,
    #[serde(flatten)]
    filter: ReportFilter,
}

impl CsvReport for ImportReportCsv {
    const PATH: &'static str = crate::routes::ADMIN_IMPORT_REPORT_CSV;
    type Query = ImportReportQuery;

    async fn csv(state: &AppState, session: &CurrentSession, query: Self::Query) -> CsvResult {
        let rows = super::service::report_rows(state, session, &query.job_run_id, &query.filter).await?;
        Ok(CsvFile {
            name: "import-report.csv",
            columns: &REPORT_CSV_COLUMNS,
            rows: rows.iter().map(|finding| finding.csv_fields().to_vec()).collect(),
        })
    }
}
