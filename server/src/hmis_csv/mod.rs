//! The HMIS CSV FY2026 format: the specification (built in), the export and the import.

mod csv_text;
pub mod export;
pub mod import;
pub mod limits;
mod rows;
pub mod spec;

use std::path::Path;

use sea_orm::DatabaseConnection;

pub use export::{ExportError, ExportOptions, ExportSummary};

/// The ImplementationID of this installation (created on first use).
pub async fn implementation_id(db: &DatabaseConnection) -> Result<String, sea_orm::DbErr> {
    app::db::settings::get_or_create(db, app::db::settings::IMPLEMENTATION_ID, app::db::new_id).await
}

/// Writes the export to `path`, through a `.part` file renamed at the end, so a
/// half-written export never sits under the real name.
pub async fn export_to_path(
    db: &DatabaseConnection,
    path: &Path,
    options: &ExportOptions,
    progress: export::Progress<'_>,
) -> Result<ExportSummary, ExportError> {
    let part = crate::config::with_suffix(path, ".part");
    let file = std::fs::File::create(&part)?;
    let scratch = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let result = export::write_export(db, options, std::io::BufWriter::new(file), &scratch, progress).await;
    match result {
        Ok(summary) => {
            std::fs::rename(&part, path)?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}
