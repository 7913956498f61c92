//! The checks of a batch of rows that need the database: repeated IDs in a table the
//! file fills, a second live exit of one enrollment, and the lookup of IDs they share
//! with `keys` (`rows_in`).

use std::collections::{HashMap, HashSet};

use app::features::hmis_import::api::FindingKind;
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::cells::{Cell, Flaw};
use super::row::{FileCheck, Pending, repeated};
use crate::hmis_csv::spec;

/// The foreign keys the database enforces: (column, the file that holds the IDs).
pub(super) fn foreign_keys(file: &str) -> &'static [(&'static str, &'static str)] {
    const ENROLLMENT_CHILD: &[(&str, &str)] =
        &[("EnrollmentID", "Enrollment.csv"), ("PersonalID", "Client.csv")];
    match file {
        "Project.csv" => &[("OrganizationID", "Organization.csv")],
        "Funder.csv"
        | "ProjectCoC.csv"
        | "Inventory.csv"
        | "HMISParticipation.csv"
        | "CEParticipation.csv" => &[("ProjectID", "Project.csv")],
        "Affiliation.csv" => &[("ProjectID", "Project.csv"), ("ResProjectID", "Project.csv")],
        "Enrollment.csv" => &[("PersonalID", "Client.csv"), ("ProjectID", "Project.csv")],
        "Organization.csv" | "User.csv" | "Client.csv" | "Export.csv" => &[],
        _ => ENROLLMENT_CHILD,
    }
}

/// Leaves out the rows whose ID came earlier in the file, in a table that was empty
/// before the file: in the batch, or already written.
pub(super) async fn check_repeated_ids(
    txn: &impl ConnectionTrait,
    check: &FileCheck<'_>,
    table: &str,
    batch: &mut [Pending],
) -> Result<(), DbErr> {
    let file = check.file;
    let Some(key) = file.key_column() else {
        return Ok(());
    };
    let id = |row: &Pending| check.kept_key(row).map(str::to_string);
    let ids: Vec<String> = batch.iter().filter_map(id).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let sql = format!("SELECT {key} AS id FROM {table} WHERE {key}");
    let mut seen: HashSet<String> = HashSet::with_capacity(ids.len());
    for row in rows_in(txn, &sql, &[], &ids).await? {
        seen.insert(row.try_get("", "id")?);
    }
    for row in batch.iter_mut() {
        if let Some(key) = id(row)
            && !seen.insert(key.clone())
        {
            repeated(file, row, &key);
        }
    }
    Ok(())
}

/// Leaves out a live exit of an enrollment that already has another one (earlier in
/// the export, or in Hearth).
pub(super) async fn check_second_exits(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    batch: &mut [Pending],
) -> Result<(), DbErr> {
    let at = |name: &str| file.columns.iter().position(|c| c.name == name);
    let (Some(exit_at), Some(enrollment_at), Some(deleted_at)) =
        (at("ExitID"), at("EnrollmentID"), at("DateDeleted"))
    else {
        return Ok(());
    };
    let text = |row: &Pending, i: usize| row.cells[i].text().map(str::to_string);
    let mut enrollments: Vec<String> = batch
        .iter()
        .filter(|r| !r.skip)
        .filter_map(|r| text(r, enrollment_at))
        .collect();
    enrollments.sort_unstable();
    enrollments.dedup();
    // Exits this batch deletes no longer count.
    let deleted: HashSet<String> = batch
        .iter()
        .filter(|r| !r.skip && r.cells[deleted_at] != Cell::Null)
        .filter_map(|r| text(r, exit_at))
        .collect();
    let mut live: HashMap<String, String> = HashMap::new();
    let sql = "SELECT enrollment_id, exit_id FROM exits WHERE date_deleted IS NULL AND enrollment_id";
    let enrollments: Vec<&str> = enrollments.iter().map(String::as_str).collect();
    for row in rows_in(txn, sql, &[], &enrollments).await? {
        let exit: String = row.try_get("", "exit_id")?;
        if !deleted.contains(&exit) {
            live.insert(row.try_get("", "enrollment_id")?, exit);
        }
    }
    for row in batch
        .iter_mut()
        .filter(|r| !r.skip && r.cells[deleted_at] == Cell::Null)
    {
        let (Some(exit), Some(enrollment)) = (text(row, exit_at), text(row, enrollment_at)) else {
            continue;
        };
        match live.get(&enrollment) {
            Some(other) if *other != exit => {
                let flaw = Flaw {
                    kind: FindingKind::SecondExit,
                    message: format!(
                        "enrollment {enrollment} already has exit {other}; this one is left out"
                    ),
                };
                row.leave_out(file, Some("ExitID"), Some(&exit), flaw);
            }
            Some(_) => {}
            None => {
                live.insert(enrollment, exit);
            }
        }
    }
    Ok(())
}

/// The rows of `sql` (ending in the column to match, after the values `before`) for
/// these IDs. PostgreSQL gets them as one array (`= ANY(?)`: a short statement whose
/// plan costs the same for any number of IDs); SQLite `IN (…)`, `IN_CHUNK` at a time.
pub(super) async fn rows_in(
    txn: &impl ConnectionTrait,
    sql: &str,
    before: &[Value],
    ids: &[&str],
) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    let backend = txn.get_database_backend();
    let text = |id: &&str| Value::from(id.to_string());
    if backend == sea_orm::DatabaseBackend::Postgres {
        let array = Value::Array(
            sea_orm::sea_query::ArrayType::String,
            Some(Box::new(ids.iter().map(text).collect())),
        );
        let values = before.iter().cloned().chain([array]).collect();
        let sql = format!("{sql} = ANY(?)");
        return txn.query_all_raw(app::db::statement(backend, &sql, values)).await;
    }
    let mut rows = Vec::new();
    for chunk in ids.chunks(app::db::IN_CHUNK) {
        let sql = format!("{sql} IN ({})", app::db::marks(chunk.len()));
        let values = before.iter().cloned().chain(chunk.iter().map(text)).collect();
        rows.extend(
            txn.query_all_raw(app::db::statement(backend, &sql, values))
                .await?,
        );
    }
    Ok(rows)
}
