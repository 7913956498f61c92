//! A full refresh (ExportDirective 2) holds every record of its projects in its period.
//! A record an earlier import of the same system brought in, within that scope, that
//! the refresh no longer holds was deleted in that system: it is soft-deleted here
//! (`date_deleted` set, as a row with DateDeleted would), and counted per file.
//!
//! The scope: the files of projects (Funder, ProjectCoC, Inventory, Affiliation,
//! HMISParticipation, CEParticipation) by the export's projects; Enrollment.csv and the
//! files of enrollments by the enrollments of those projects active in the export's
//! period (entered on or before its end, not exited before its start — the rule
//! Hearth's own export selects by). Clients, organizations, projects and users are
//! never deleted by absence (a client may be enrolled elsewhere, a project exported in
//! another file), nor records of another system or made in Hearth, nor anything when
//! the period cannot be read. Whether the refresh held a record is told by the
//! fingerprints of the file's IDs (`fingerprints`): a collision can only keep a record
//! the refresh lacks, never delete one it holds.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::row::FileCheck;

/// Rows read (and soft-deleted) at a time.
const PAGE: u64 = 5_000;

/// The temporary table of the refresh's projects (Hearth IDs), filled as Project.csv
/// is written.
pub(super) const PROJECTS: &str = "refresh_projects";

/// What a full refresh covers.
#[derive(Clone, Copy, Debug)]
pub(super) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The files whose records a full refresh deletes by absence, and how their scope is
/// found: `true` for the files of projects, `false` for Enrollment.csv and the files
/// of enrollments.
pub(super) fn deletes_absent(file: &str) -> Option<bool> {
    match file {
        "Funder.csv"
        | "ProjectCoC.csv"
        | "Inventory.csv"
        | "Affiliation.csv"
        | "HMISParticipation.csv"
        | "CEParticipation.csv" => Some(true),
        "Export.csv" | "Organization.csv" | "User.csv" | "Project.csv" | "Client.csv" => None,
        _ => Some(false),
    }
}

/// Makes the table of the refresh's projects (empty; a transaction's own).
pub(super) async fn start(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = match txn.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            format!("CREATE TEMPORARY TABLE {PROJECTS} (project_id VARCHAR(64) PRIMARY KEY) ON COMMIT DROP")
        }
        _ => format!("CREATE TEMPORARY TABLE IF NOT EXISTS {PROJECTS} (project_id TEXT PRIMARY KEY)"),
    };
    txn.execute_unprepared(&sql).await?;
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        // SQLite keeps a temporary table for the connection's life.
        txn.execute_unprepared(&format!("DELETE FROM {PROJECTS}")).await?;
    }
    Ok(())
}

/// Keeps the Hearth IDs of a batch of Project.csv rows written.
pub(super) async fn note_projects(txn: &impl ConnectionTrait, ids: &[String]) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    for chunk in ids.chunks(app::db::IN_CHUNK) {
        let rows = vec!["(?)"; chunk.len()].join(", ");
        let conflict = match backend {
            sea_orm::DatabaseBackend::Postgres => " ON CONFLICT DO NOTHING",
            _ => "",
        };
        let insert = match backend {
            sea_orm::DatabaseBackend::Postgres => "INSERT",
            _ => "INSERT OR IGNORE",
        };
        let sql = format!("{insert} INTO {PROJECTS} (project_id) VALUES {rows}{conflict}");
        let values = chunk.iter().map(|id| Value::from(id.clone())).collect();
        txn.execute_raw(app::db::statement(backend, &sql, values)).await?;
    }
    Ok(())
}

/// Soft-deletes the records of `source` in the refresh's scope that `check` did not
/// see in the file; answers how many.
pub(super) async fn soft_delete(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    source: i32,
    period: Period,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let file = check.file;
    let (Some(by_project), Some(key)) = (deletes_absent(&file.name), file.key_column()) else {
        return Ok(0);
    };
    let backend = txn.get_database_backend();
    // Enrollments (`e`) of the refresh's projects active in its period.
    let active = |e: &str| {
        format!(
            "{e}.project_id IN (SELECT project_id FROM {PROJECTS}) AND {e}.entry_date <= ? \
             AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = {e}.enrollment_id \
             AND x.date_deleted IS NULL AND x.exit_date < ?)"
        )
    };
    let (scope, scope_values): (String, Vec<Value>) = if by_project {
        (
            format!("t.project_id IN (SELECT project_id FROM {PROJECTS})"),
            Vec::new(),
        )
    } else if table == "enrollments" {
        (active("t"), vec![period.to.into(), period.from.into()])
    } else {
        (
            format!(
                "t.enrollment_id IN (SELECT e.enrollment_id FROM enrollments e WHERE {})",
                active("e")
            ),
            vec![period.to.into(), period.from.into()],
        )
    };
    // The source's own ID of each record (a remapped one is kept in `import_keys`).
    let sql = format!(
        "SELECT t.{key} AS hearth_id, COALESCE(k.source_key, t.{key}) AS source_key FROM {table} t \
         LEFT JOIN import_keys k ON k.import_source_id = ? AND k.kind = ? AND k.hearth_id = t.{key} \
         WHERE t.import_source_id = ? AND t.date_deleted IS NULL AND {scope} AND t.{key} > ? \
         ORDER BY t.{key} LIMIT {PAGE}"
    );
    let mut after = String::new();
    let mut deleted = 0;
    loop {
        let mut values: Vec<Value> = vec![source.into(), file.name.clone().into(), source.into()];
        values.extend(scope_values.iter().cloned());
        values.push(after.clone().into());
        let rows = txn
            .query_all_raw(app::db::statement(backend, &sql, values))
            .await?;
        let mut absent: Vec<String> = Vec::new();
        for row in &rows {
            let hearth_id: String = row.try_get("", "hearth_id")?;
            let source_key: String = row.try_get("", "source_key")?;
            if !check.held(&source_key) {
                absent.push(hearth_id.clone());
            }
            after = hearth_id;
        }
        for chunk in absent.chunks(app::db::IN_CHUNK) {
            let update = format!(
                "UPDATE {table} SET date_deleted = ?, updated_at = ? WHERE {key} IN ({})",
                app::db::marks(chunk.len())
            );
            let mut values: Vec<Value> = vec![now.into(), now.into()];
            values.extend(chunk.iter().map(|id| Value::from(id.clone())));
            deleted += txn
                .execute_raw(app::db::statement(backend, &update, values))
                .await?
                .rows_affected();
        }
        if (rows.len() as u64) < PAGE {
            return Ok(deleted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hmis_csv::spec;

    #[test]
    fn only_the_files_of_projects_and_enrollments_delete_by_absence() {
        for file in spec::files() {
            let scope = deletes_absent(&file.name);
            match file.name.as_str() {
                "Client.csv" | "Project.csv" | "Organization.csv" | "User.csv" | "Export.csv" => {
                    assert_eq!(scope, None, "{}", file.name)
                }
                "Funder.csv" | "Inventory.csv" => assert_eq!(scope, Some(true)),
                "Enrollment.csv" | "Exit.csv" | "Disabilities.csv" => assert_eq!(scope, Some(false)),
                _ => assert!(scope.is_some(), "{}", file.name),
            }
            if scope == Some(false) {
                assert!(
                    file.columns.iter().any(|c| c.name == "EnrollmentID"),
                    "{}",
                    file.name
                );
            }
        }
    }
}
