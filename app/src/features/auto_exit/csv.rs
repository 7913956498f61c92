//! The "Approaching auto-exit" report as CSV (audited), the same rows and order as the
//! screen.

use super::api::ApproachingFilter;
use crate::report::csv::{CsvFile, CsvReport, CsvResult, date};
use crate::session::CurrentSession;
use crate::state::AppState;

pub struct ApproachingCsv;

impl CsvReport for ApproachingCsv {
    const PATH: &'static str = crate::routes::APPROACHING_AUTO_EXIT_CSV;
    type Query = ApproachingFilter;

    async fn csv(state: &AppState, session: &CurrentSession, filter: Self::Query) -> CsvResult {
        let rows = super::approaching::export(state, session, &filter).await?;
        Ok(CsvFile {
            name: "approaching-auto-exit.csv",
            columns: &[
                "HeadPersonalID",
                "HeadOfHousehold",
                "HouseholdID",
                "Members",
                "Project",
                "LastServiceOrContact",
                "DaysWithout",
                "AutoExitOn",
                "HeldByCEReferral",
            ],
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.head_personal_id,
                        r.head_name,
                        r.household_id,
                        r.members.to_string(),
                        r.project_name,
                        date(r.last_activity),
                        r.days_inactive.to_string(),
                        date(r.exits_on),
                        if r.held_by_referral { "yes" } else { "no" }.to_string(),
                    ]
                })
                .collect(),
        })
    }
}
