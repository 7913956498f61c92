//! File downloads that are not pages: the audit log and the reports as CSV, finished
//! HMIS CSV exports, an import's report.

use std::sync::Arc;

use app::features::access::guard::CurrentSession;
use app::features::admin::api::AuditFilter;
use app::features::annual::api::AnnualFilter;
use app::features::auto_exit::api::ApproachingFilter;
use app::features::coordinated_entry::api::PriorityFilter;
use app::features::hmis_import::api::ReportFilter;
use app::features::reports::api::MilestoneFilter;
use app::state::AppState;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The signed-in session of a download or upload request, as an extractor: refused
/// without a session (401) and while a temporary password is still to be changed
/// (403).
pub struct SignedIn(pub CurrentSession);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Response> {
        let session = parts
            .extensions
            .get::<CurrentSession>()
            .ok_or(app::error::AppError::Unauthorized)
            .and_then(|session| {
                session.require_password_changed()?;
                Ok(session.clone())
            })
            .map_err(refused)?;
        Ok(SignedIn(session))
    }
}

/// The answer to a refused download or upload.
pub fn refused(err: app::error::AppError) -> Response {
    (err.status_code(), err.to_string()).into_response()
}

/// Rows in one audit CSV download.
const AUDIT_CSV_LIMIT: u64 = 100_000;

pub async fn audit_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<AuditFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    match app::features::admin::service::export_audit(&state, &session, &filter, AUDIT_CSV_LIMIT).await {
        Ok(rows) => csv_download(
            "audit-log.csv",
            &[
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
            rows.into_iter().map(|row| {
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
            }),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// The Annual Assessment Tool's filtered list as CSV (audited), the same rows and
/// order as the screen.
pub async fn annual_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<AnnualFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match app::features::annual::service::export(&state, &session, &filter).await {
        Ok(rows) => csv_download(
            "annual-assessments.csv",
            &[
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
            rows.into_iter().map(|r| {
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
            }),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// The "Approaching auto-exit" report as CSV (audited), the same rows and order as the
/// screen.
pub async fn approaching_auto_exit_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<ApproachingFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match app::features::auto_exit::approaching::export(&state, &session, &filter).await {
        Ok(rows) => csv_download(
            "approaching-auto-exit.csv",
            &[
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
            rows.into_iter().map(|r| {
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
            }),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// The data-quality report's CSV (audited): with `check`, the records behind that
/// count; without, every count.
pub async fn data_quality_csv(
    State(state): State<Arc<AppState>>,
    Query(query): Query<DataQualityQuery>,
    SignedIn(session): SignedIn,
) -> Response {
    use app::features::data_quality::service::{Export, export};
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let check = query.check.as_deref().filter(|c| !c.is_empty());
    match export(&state, &session, &query.filter, check).await {
        Ok(Export::Records(title, rows)) => csv_download(
            "data-quality-records.csv",
            &[
                "Check",
                "PersonalID",
                "Client",
                "EnrollmentID",
                "Project",
                "StartDate",
                "ExitDate",
                "Detail",
            ],
            rows.into_iter().map(|r| {
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
            }),
        ),
        Ok(Export::Counts(rows)) => csv_download(
            "data-quality.csv",
            &["Check", "Code", "Count"],
            rows.into_iter()
                .map(|(title, code, n)| vec![title, code, n.to_string()]),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// The data-quality CSV's query: the report's filter and, optionally, one count.
#[derive(serde::Deserialize)]
pub struct DataQualityQuery {
    #[serde(flatten)]
    filter: app::features::data_quality::api::DqFilter,
    check: Option<String>,
}

/// The Client Milestone Age Status report as CSV (audited).
pub async fn milestones_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<MilestoneFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    match app::features::reports::service::export(&state, &session, &filter).await {
        Ok(rows) => csv_download(
            "client-milestones.csv",
            &[
                "PersonalID",
                "Client",
                "DOB",
                "Turns18",
                "Project",
                "EnrollmentID",
                "StartDate",
                "ToUpdate",
            ],
            rows.into_iter().map(|r| {
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
            }),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// The Coordinated Entry priority list as CSV, ranked as on screen (audited).
pub async fn priority_csv(
    State(state): State<Arc<AppState>>,
    Query(filter): Query<PriorityFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let yes = |b: bool| if b { "Yes" } else { "No" }.to_string();
    match app::features::coordinated_entry::list::export(&state, &session, &filter).await {
        Ok(rows) => csv_download(
            "priority-list.csv",
            &[
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
            rows.into_iter().map(|r| {
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
            }),
        ),
        Err(err) => (err.status_code(), err.to_string()).into_response(),
    }
}

/// An import report's findings as CSV (HMIS admins; audited): the kept findings the
/// filter (`file`, `kind`) matches, in report order.
pub async fn import_report_csv(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(job_run_id): axum::extract::Path<String>,
    Query(filter): Query<ReportFilter>,
    SignedIn(session): SignedIn,
) -> Response {
    use app::features::hmis_import::service::report_rows;
    match report_rows(&state, &session, &job_run_id, &filter).await {
        Ok(rows) => csv_download(
            "import-report.csv",
            &app::features::hmis_import::api::REPORT_CSV_COLUMNS,
            rows.iter().map(|f| f.csv_fields().to_vec()),
        ),
        Err(err) => (err.status_code(), message(&err)).into_response(),
    }
}

/// What a refused download says: the fields' own messages for a query it cannot use.
fn message(err: &app::error::AppError) -> String {
    match err {
        app::error::AppError::Validation(problems) => problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// A CSV file download: a header line, then one line per row (fields escaped by
/// [`csv_field`]), CRLF line ends, never cached.
fn csv_download(filename: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Response {
    let mut out = header.join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&csv_line(&row));
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        out,
    )
        .into_response()
}

/// A finished HMIS CSV export (HMIS admins only; audited). The file is streamed from
/// disk, not read into memory.
pub async fn export_zip(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(job_run_id): axum::extract::Path<String>,
    SignedIn(session): SignedIn,
    request: Request,
) -> Response {
    use tower::ServiceExt;
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
    use super::csv_field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
