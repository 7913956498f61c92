//! The Client Milestone Age Status report as CSV (audited).

use super::api::MilestoneFilter;
use crate::report::csv::{CsvFile, CsvReport, CsvResult, date};
use crate::session::CurrentSession;
use crate::state::AppState;

pub struct MilestonesCsv;

impl CsvReport for MilestonesCsv {
    const PATH: &'static str = crate::routes::MILESTONES_CSV;
    type Query = MilestoneFilter;

    async fn csv(state: &AppState, session: &CurrentSession, filter: Self::Query) -> CsvResult {
        let rows = super::service::export(state, session, &filter).await?;
        Ok(CsvFile {
            name: "client-milestones.csv",
            columns: &[
                "PersonalID",
                "Client",
                "DOB",
                "Turns18",
                "Project",
                "EnrollmentID",
                "StartDate",
                "ToUpdate",
            ],
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.personal_id,
                        r.client_name,
                        date(r.dob),
                        date(r.turns_18),
                        r.project_name,
                        r.enrollment_id,
                        date(r.entry_date),
                        r.needs.join("; "),
                    ]
                })
                .collect(),
        })
    }
}
