//! The audit log as CSV (HMIS and agency admins; the export is audited).

use super::api::AuditFilter;
use crate::report::csv::{CsvFile, CsvReport, CsvResult};
use crate::session::CurrentSession;
use crate::state::AppState;

/// Rows in one audit CSV download.
const AUDIT_CSV_LIMIT: u64 = 100_000;

pub struct AuditCsv;

impl CsvReport for AuditCsv {
    const PATH: &'static str = crate::routes::ADMIN_AUDIT_CSV;
    type Query = AuditFilter;

    async fn csv(state: &AppState, session: &CurrentSession, filter: Self::Query) -> CsvResult {
        let rows = super::service::export_audit(state, session, &filter, AUDIT_CSV_LIMIT).await?;
        Ok(CsvFile {
            name: "audit-log.csv",
            columns: &[
                "At",
                "Username",
                "IP",
                "OrganizationID",
                "Workgroup",
                "Action",
                "EntityType",
                "EntityID",
                "PersonalID",
                "Detail",
            ],
            rows: rows
                .into_iter()
                .map(|row| {
                    vec![
                        row.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        row.username.unwrap_or_default(),
                        row.ip.unwrap_or_default(),
                        row.organization_id.unwrap_or_default(),
                        row.workgroup.unwrap_or_default(),
                        row.action,
                        row.entity_type.unwrap_or_default(),
                        row.entity_id.unwrap_or_default(),
                        row.personal_id.unwrap_or_default(),
                        row.detail.unwrap_or_default(),
                    ]
                })
                .collect(),
        })
    }
}
