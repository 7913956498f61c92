//! The Annual Assessment Tool's filtered list as CSV (audited), the same rows and order
//! as the screen.

use super::api::AnnualFilter;
use crate::report::csv::{CsvFile, CsvReport, CsvResult, date};
use crate::session::CurrentSession;
use crate::state::AppState;

pub struct AnnualCsv;

impl CsvReport for AnnualCsv {
    const PATH: &'static str = crate::routes::ANNUAL_ASSESSMENTS_CSV;
    type Query = AnnualFilter;

    async fn csv(state: &AppState, session: &CurrentSession, filter: Self::Query) -> CsvResult {
        let rows = super::service::export(state, session, &filter).await?;
        Ok(CsvFile {
            name: "annual-assessments.csv",
            columns: &[
                "PersonalID",
                "Client",
                "HeadOfHousehold",
                "Project",
                "EnrollmentID",
                "StartDate",
                "HeadStartDate",
                "Anniversary",
                "WindowOpens",
                "WindowCloses",
                "DaysLeft",
            ],
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.personal_id,
                        r.client_name,
                        r.head_name,
                        r.project_name,
                        r.enrollment_id,
                        date(r.entry_date),
                        date(r.head_entry_date),
                        date(r.anniversary),
                        date(r.opens),
                        date(r.closes),
                        r.days_left.to_string(),
                    ]
                })
                .collect(),
        })
    }
}
