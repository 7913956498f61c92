//! The Coordinated Entry priority list as CSV, ranked as on screen (audited).

use super::api::PriorityFilter;
use crate::report::csv::{CsvFile, CsvReport, CsvResult, date};
use crate::session::CurrentSession;
use crate::state::AppState;

pub struct PriorityCsv;

impl CsvReport for PriorityCsv {
    const PATH: &'static str = crate::routes::PRIORITY_LIST_CSV;
    type Query = PriorityFilter;

    async fn csv(state: &AppState, session: &CurrentSession, filter: Self::Query) -> CsvResult {
        let yes = |b: bool| if b { "Yes" } else { "No" }.to_string();
        let rows = super::list::export(state, session, &filter).await?;
        Ok(CsvFile {
            name: "priority-list.csv",
            columns: &[
                "Rank",
                "PersonalID",
                "HeadOfHousehold",
                "EnrollmentID",
                "HouseholdSize",
                "HouseholdType",
                "Score",
                "AssessmentDate",
                "HomelessSince",
                "Chronic",
                "Veteran",
                "Age",
                "ProjectTypeSought",
                "Status",
            ],
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        r.personal_id.clone(),
                        r.client_name.clone(),
                        r.enrollment_id.clone(),
                        r.household_size.to_string(),
                        r.household_type.clone(),
                        r.score.to_string(),
                        date(r.assessment_date),
                        r.homeless_since.map(date).unwrap_or_default(),
                        yes(r.chronic),
                        yes(r.veteran),
                        r.age.map(|a| a.to_string()).unwrap_or_default(),
                        r.sought.clone().unwrap_or_default(),
                        r.status(),
                    ]
                })
                .collect(),
        })
    }
}
