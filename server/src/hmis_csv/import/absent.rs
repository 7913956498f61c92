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
/// is written ([`Refresh::note_projects`]).
const PROJECTS: &str = "refresh_projects";

/// The temporary table of the source's enrollments in the refresh's scope, filled once
/// before the first file of enrollments is compared.
const ENROLLMENTS: &str = "refresh_enrollments";

/// A full refresh under way from a system that has a source (not this installation's
/// own export) and a readable period.
pub(super) struct Refresh {
    source: i32,
    period: Period,
    /// [`ENROLLMENTS`] is filled.
    enrollments_noted: bool,
}

/// What a full refresh covers.
#[derive(Clone, Copy, Debug)]
pub(super) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The files whose records a full refresh deletes by absence, and how their scope is
/// found: `true` for the files of projects, `false` for Enrollment.csv and the files
/// of enrollments.
fn deletes_absent(file: &str) -> Option<bool> {
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

impl Refresh {
    /// A refresh when the export is a full refresh of `source` with a readable period,
    /// its temporary tables made (empty: the import's connection is its own on SQLite,
    /// and they go with the transaction on PostgreSQL).
    pub async fn start(
        txn: &impl ConnectionTrait,
        full: bool,
        source: Option<i32>,
        period: Option<Period>,
    ) -> Result<Option<Refresh>, DbErr> {
        let (true, Some(source), Some(period)) = (full, source, period) else {
            return Ok(None);
        };
        let postgres = txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        for (table, column) in [(PROJECTS, "project_id"), (ENROLLMENTS, "enrollment_id")] {
            let sql = if postgres {
                format!("CREATE TEMPORARY TABLE {table} ({column} VARCHAR(64) PRIMARY KEY) ON COMMIT DROP")
            } else {
                format!("CREATE TEMPORARY TABLE {table} ({column} TEXT PRIMARY KEY)")
            };
            txn.execute_unprepared(&sql).await?;
        }
        Ok(Some(Refresh {
            source,
            period,
            enrollments_noted: false,
        }))
    }

    /// Keeps the Hearth IDs of a batch of Project.csv rows written.
    pub async fn note_projects(&self, txn: &impl ConnectionTrait, ids: &[&str]) -> Result<(), DbErr> {
        for chunk in ids.chunks(app::db::IN_CHUNK) {
            let rows = vec!["(?)"; chunk.len()].join(", ");
            let sql = format!("INSERT INTO {PROJECTS} (project_id) VALUES {rows} ON CONFLICT DO NOTHING");
            let values = chunk.iter().map(|id| Value::from(id.to_string())).collect();
            txn.execute_raw(app::db::statement(txn.get_database_backend(), &sql, values))
                .await?;
        }
        Ok(())
    }

    /// Soft-deletes the system's records in the refresh's scope that `check` did not
    /// see in the file (a file whose table was empty before it has none); answers how
    /// many.
    pub async fn soft_delete(
        &mut self,
        txn: &impl ConnectionTrait,
        check: &FileCheck<'_>,
        table: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, DbErr> {
        let Some(by_project) = deletes_absent(&check.file.name) else {
            return Ok(0);
        };
        if check.table_was_empty() {
            return Ok(0);
        }
        let by_enrollment = !by_project && table != "enrollments";
        if by_enrollment && !self.enrollments_noted {
            note_enrollments(txn, self.source, self.period).await?;
            self.enrollments_noted = true;
        }
        soft_delete(txn, check, table, self.source, self.period, by_enrollment, now).await
    }
}

/// Enrollments (alias `e`) of the refresh's projects active in its period: entered on
/// or before its end, not exited before its start (values: the period's end, start).
fn active(e: &str) -> String {
    format!(
        "{e}.project_id IN (SELECT project_id FROM {PROJECTS}) AND {e}.entry_date <= ? \
         AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = {e}.enrollment_id \
         AND x.date_deleted IS NULL AND x.exit_date < ?)"
    )
}

/// Keeps the source's enrollments in the refresh's scope (those Enrollment.csv's pass
/// just deleted included: their records go too), once, before the files of
/// enrollments are compared: each of those is then read by the enrollments' index, a
/// page of enrollments at a time, instead of testing every record of its table
/// against the scope.
async fn note_enrollments(txn: &impl ConnectionTrait, source: i32, period: Period) -> Result<(), DbErr> {
    let sql = format!(
        "INSERT INTO {ENROLLMENTS} (enrollment_id) SELECT e.enrollment_id FROM enrollments e \
         WHERE e.import_source_id = ? AND {}",
        active("e")
    );
    let values = vec![source.into(), period.to.into(), period.from.into()];
    txn.execute_raw(app::db::statement(txn.get_database_backend(), &sql, values))
        .await?;
    Ok(())
}

/// Soft-deletes the records of `source` in the refresh's scope that `check` did not
/// see in the file; answers how many. `by_enrollment`: the file's records are read by
/// the enrollments [`note_enrollments`] kept, else its table is read in key order,
/// each record tested against the scope (the files of projects, and Enrollment.csv).
async fn soft_delete(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    source: i32,
    period: Period,
    by_enrollment: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let file = check.file;
    let Some(key) = file.key_column() else {
        return Ok(0);
    };
    let backend = txn.get_database_backend();
    // Each record's Hearth ID and the source's own ID for it (a remapped one is kept
    // in `import_keys`), then the scope.
    let select = format!(
        "SELECT t.{key} AS hearth_id, COALESCE(k.source_key, t.{key}) AS source_key FROM {table} t \
         LEFT JOIN import_keys k ON k.import_source_id = ? AND k.kind = ? AND k.hearth_id = t.{key} \
         WHERE t.import_source_id = ? AND t.date_deleted IS NULL AND "
    );
    let head: Vec<Value> = vec![source.into(), file.name.clone().into(), source.into()];
    let mut deleted = 0;
    let mut after = String::new();
    if !by_enrollment {
        // The table's records in key order, a page at a time, each tested against the
        // scope (the projects' files are small; the enrollments are the scope).
        let (scope, scope_values): (String, Vec<Value>) = if table == "enrollments" {
            (active("t"), vec![period.to.into(), period.from.into()])
        } else {
            (
                format!("t.project_id IN (SELECT project_id FROM {PROJECTS})"),
                Vec::new(),
            )
        };
        let sql = format!("{select}{scope} AND t.{key} > ? ORDER BY t.{key} LIMIT {PAGE}");
        loop {
            let mut values = head.clone();
            values.extend(scope_values.iter().cloned());
            values.push(after.clone().into());
            let rows = txn
                .query_all_raw(app::db::statement(backend, &sql, values))
                .await?;
            deleted += delete_absent(txn, check, table, key, &rows, now).await?;
            match rows.last() {
                Some(last) if rows.len() as u64 == PAGE => after = last.try_get("", "hearth_id")?,
                _ => return Ok(deleted),
            }
        }
    }
    // The records of the enrollments in scope, a page of enrollments at a time.
    let page = format!(
        "SELECT enrollment_id FROM {ENROLLMENTS} WHERE enrollment_id > ? ORDER BY enrollment_id LIMIT {}",
        app::db::IN_CHUNK
    );
    loop {
        let ids: Vec<String> = txn
            .query_all_raw(app::db::statement(backend, &page, vec![after.clone().into()]))
            .await?
            .iter()
            .map(|row| row.try_get("", "enrollment_id"))
            .collect::<Result<_, _>>()?;
        let Some(last) = ids.last() else {
            return Ok(deleted);
        };
        let sql = format!("{select}t.enrollment_id IN ({})", app::db::marks(ids.len()));
        let mut values = head.clone();
        values.extend(ids.iter().map(|id| Value::from(id.clone())));
        let rows = txn
            .query_all_raw(app::db::statement(backend, &sql, values))
            .await?;
        deleted += delete_absent(txn, check, table, key, &rows, now).await?;
        if ids.len() < app::db::IN_CHUNK {
            return Ok(deleted);
        }
        after = last.clone();
    }
}

/// Soft-deletes the rows (`hearth_id`, `source_key`) whose source ID the file lacked.
async fn delete_absent(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    key: &str,
    rows: &[sea_orm::QueryResult],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut absent: Vec<String> = Vec::new();
    for row in rows {
        let source_key: String = row.try_get("", "source_key")?;
        if !check.held(&source_key) {
            absent.push(row.try_get("", "hearth_id")?);
        }
    }
    let mut deleted = 0;
    for chunk in absent.chunks(app::db::IN_CHUNK) {
        let update = format!(
            "UPDATE {table} SET date_deleted = ?, updated_at = ? WHERE {key} IN ({})",
            app::db::marks(chunk.len())
        );
        let mut values: Vec<Value> = vec![now.into(), now.into()];
        values.extend(chunk.iter().map(|id| Value::from(id.clone())));
        deleted += txn
            .execute_raw(app::db::statement(txn.get_database_backend(), &update, values))
            .await?
            .rows_affected();
    }
    Ok(deleted)
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
