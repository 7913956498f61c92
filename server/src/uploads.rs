//! File uploads that are not server functions: the HMIS CSV import. A plain
//! multipart form post (it works without JavaScript), streamed to disk, then queued
//! as a background job; the browser goes back to the imports page.

use std::sync::Arc;

use app::features::hmis_import::service;
use app::state::AppState;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use tokio::io::AsyncWriteExt;

/// Back to the imports page, with a message when the upload was refused.
fn back(error: Option<&str>) -> Response {
    let path = match error {
        None => app::routes::ADMIN_IMPORTS.to_string(),
        Some(message) => format!(
            "{}?error={}",
            app::routes::ADMIN_IMPORTS,
            message.replace(' ', "+").replace(['&', '#', '?', '%'], "")
        ),
    };
    Redirect::to(&path).into_response()
}

pub async fn import_upload(
    State(state): State<Arc<AppState>>,
    crate::downloads::SignedIn(session): crate::downloads::SignedIn,
    mut multipart: Multipart,
) -> Response {
    if let Err(err) = service::may_import(&session) {
        return (err.status_code(), err.to_string()).into_response();
    }
    let id = app::db::new_id();
    let path = state.jobs.import_path(&id);
    if let Err(e) = tokio::fs::create_dir_all(&state.jobs.dir).await {
        tracing::error!(error = %e, "job directory cannot be created");
        return back(Some(
            "The upload could not be saved. Tell your HMIS administrator.",
        ));
    }
    let mut file_name = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "import upload could not be read");
                let _ = tokio::fs::remove_file(&path).await;
                return back(Some("The upload did not arrive whole. Try again."));
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        if !name.to_ascii_lowercase().ends_with(".zip") {
            return back(Some("Choose the export's .zip file."));
        }
        match save(field, &path).await {
            Ok(0) => {
                let _ = tokio::fs::remove_file(&path).await;
                return back(Some("The file is empty."));
            }
            Ok(_) => file_name = Some(name),
            Err(e) => {
                tracing::warn!(error = %e, "import upload could not be saved");
                let _ = tokio::fs::remove_file(&path).await;
                return back(Some("The upload did not arrive whole. Try again."));
            }
        }
    }
    let Some(file_name) = file_name else {
        return back(Some("Choose the export's .zip file."));
    };
    match service::queue(&state, &session, &id, &file_name).await {
        Ok(()) => back(None),
        Err(err) => {
            let _ = tokio::fs::remove_file(&path).await;
            back(Some(&err.to_string()))
        }
    }
}

/// Streams one multipart field to `path`; answers the bytes written.
async fn save(mut field: axum::extract::multipart::Field<'_>, path: &std::path::Path) -> Result<u64, String> {
    let mut out = tokio::fs::File::create(path).await.map_err(|e| e.to_string())?;
    let mut written = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.to_string())? {
        out.write_all(&chunk).await.map_err(|e| e.to_string())?;
        written += chunk.len() as u64;
    }
    out.flush().await.map_err(|e| e.to_string())?;
    Ok(written)
}
