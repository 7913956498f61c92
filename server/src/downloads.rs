//! File downloads that are not pages: every report's CSV, an import's report included
//! (one generic handler over `app::report::csv::CsvReport`), and finished HMIS CSV
//! exports.

use std::sync::Arc;

use app::report::csv::CsvReport;
use app::session::CurrentSession;
use app::state::AppState;
use axum::extract::{RawPathParams, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

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

/// Any report's CSV download (`app::report::csv::CsvReport`): its query read from the
/// query string and the address's own parameters (an import's ID), the file as the
/// report makes it for this user (audited by the report), never cached.
pub async fn csv<R: CsvReport>(
    State(state): State<Arc<AppState>>,
    path: RawPathParams,
    RawQuery(query): RawQuery,
    SignedIn(session): SignedIn,
) -> Response {
    let query = match report_query::<R::Query>(&path, query.as_deref()) {
        Ok(query) => query,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    match R::csv(&state, &session, query).await {
        Ok(file) => csv_response(file.name, file.text()),
        Err(err) => (err.status_code(), message(&err)).into_response(),
    }
}

/// A report's query: the query string's fields and the address's parameters, which
/// win over a field of the same name. A query that cannot be read says why (a 400).
fn report_query<Q: DeserializeOwned>(path: &RawPathParams, query: Option<&str>) -> Result<Q, String> {
    let unreadable = |e: serde_urlencoded::de::Error| format!("Failed to deserialize query string: {e}");
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).map_err(unreadable)?;
    for (key, value) in path {
        pairs.retain(|(k, _)| k != key);
        pairs.push((key.to_string(), value.to_string()));
    }
    let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| e.to_string())?;
    serde_urlencoded::from_str(&encoded).map_err(unreadable)
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

/// A CSV file as a download: never cached.
fn csv_response(filename: &str, text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        text,
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
