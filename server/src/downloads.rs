//! File downloads that are not pages: the audit log as CSV, finished HMIS CSV exports.

use std::sync::Arc;

use app::features::access::guard::CurrentSession;
use app::features::admin::api::AuditFilter;
use app::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Rows in one audit CSV download.
const AUDIT_CSV_LIMIT: u64 = 100_000;

pub async fn audit_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<AuditFilter>,
    request: Request,
) -> Response {
    let Some(session) = request.extensions().get::<CurrentSession>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    match app::features::admin::service::export_audit(&state, &session, &filter, AUDIT_CSV_LIMIT).await {
        Ok(rows) => {
            let mut out = String::from(
                "At,Username,IP,OrganizationID,Workgroup,Action,EntityType,EntityID,PersonalID,Detail\r\n",
            );
            for row in rows {
                let fields = [
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
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-log.csv\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                out,
            )
                .into_response()
        }
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// A finished HMIS CSV export (HMIS admins only; audited). The file is streamed from
/// disk, not read into memory.
pub async fn export_zip(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(job_run_id): axum::extract::Path<String>,
    request: Request,
) -> Response {
    use tower::ServiceExt;
    let Some(session) = request.extensions().get::<CurrentSession>().cloned() else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    let path = match app::features::hmis_export::service::export_file(&state, &session, &job_run_id).await {
        Ok(path) => path,
        Err(err) => return (err.status_code(), err.to_string()).into_response(),
    };
    let date = state.today().format("%Y-%m-%d");
    let disposition = format!("attachment; filename=\"hmis-csv-{date}.zip\"");
    match tower_http::services::ServeFile::new(path).oneshot(request).await {
        Ok(response) => {
            let mut response = response.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/zip"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            if let Ok(value) = header::HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "export file could not be read");
            (StatusCode::INTERNAL_SERVER_ERROR, "The export could not be read.").into_response()
        }
    }
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
    use super::csv_field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
