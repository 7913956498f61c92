//! Whose IDs an export carries, and the Hearth IDs they become.
//!
//! A Continuum of Care imports the exports of several systems, and their IDs collide:
//! two systems' PersonalID 1 are two people, and a second system's EnrollmentID 1 must
//! not overwrite the first's. The system is known by its Export.csv ImplementationID
//! (`import_sources`); each record an import writes keeps it (`import_source_id`). An
//! ID keeps its value in Hearth while it is free or already this source's; an ID that
//! is another source's or Hearth's own gets a new Hearth ID, kept in `import_keys`, so
//! the source's next import (a delta, or the same export again) updates that record
//! instead of making a second one. References follow: an EnrollmentID, PersonalID,
//! ProjectID, … of the export names the source's record, never another source's, and
//! one the source has nowhere leaves its row out. HouseholdIDs are the source's too: a
//! household of one system never takes in another system's members.
//!
//! An export Hearth wrote itself (its ImplementationID is this installation's) carries
//! Hearth's IDs: they are used as they are, and reference anything Hearth holds.

use std::collections::{HashMap, HashSet};

use app::features::hmis_import::api::FindingKind;
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::batch::rows_in;
use super::cells::{Cell, Flaw};
use super::preflight::Source;
use super::row::{FileCheck, Pending};
use crate::hmis_csv::spec;

/// The kind of the HouseholdIDs (which name no file's records).
const HOUSEHOLD: &str = "HouseholdID";

/// An import's source and what it has remapped.
pub(super) struct Keys {
    /// `None`: the export is this installation's own (its IDs are Hearth's).
    source: Option<i32>,
    /// The ID kinds this source has remaps of (the others need no lookup).
    remapped: HashSet<String>,
}

/// What the IDs of one column name.
enum Names {
    /// The row's own record.
    Own,
    /// A record of another file; `enforced`: a row naming one that does not exist is
    /// left out (the database's foreign keys), otherwise the ID is kept as it is
    /// (UserIDs, AssessmentIDs of questions and results).
    Record {
        target: &'static spec::File,
        enforced: bool,
    },
    /// A household (Enrollment.csv).
    Household,
}

/// One column of IDs: its position, its kind (the file whose records it names, or
/// `HouseholdID`) and what it names.
struct IdColumn<'f> {
    at: usize,
    name: &'f str,
    kind: &'f str,
    names: Names,
}

/// The columns of `file` that hold IDs: the references the database enforces first
/// (a row they leave out is given no Hearth ID), then the row's own, its household and
/// the references kept as they are.
fn id_columns(file: &spec::File) -> Vec<IdColumn<'_>> {
    let position = |name: &str| file.columns.iter().position(|c| c.name == name);
    let reference = |column: &str, target: &str, enforced: bool| {
        let (at, target) = (position(column)?, spec::file(target)?);
        Some(IdColumn {
            at,
            name: file.columns[at].name.as_str(),
            kind: target.name.as_str(),
            names: Names::Record { target, enforced },
        })
    };
    let mut columns: Vec<IdColumn<'_>> = super::batch::foreign_keys(&file.name)
        .iter()
        .filter_map(|&(column, target)| reference(column, target, true))
        .collect();
    if let Some(at) = position(&file.primary_key) {
        columns.push(IdColumn {
            at,
            name: file.primary_key.as_str(),
            kind: file.name.as_str(),
            names: Names::Own,
        });
    }
    if file.name == "Enrollment.csv"
        && let Some(at) = position(HOUSEHOLD)
    {
        columns.push(IdColumn {
            at,
            name: HOUSEHOLD,
            kind: HOUSEHOLD,
            names: Names::Household,
        });
    }
    for (column, target) in [("UserID", "User.csv"), ("AssessmentID", "Assessment.csv")] {
        if column != file.primary_key {
            columns.extend(reference(column, target, false));
        }
    }
    columns
}

/// The table of a file and its key column.
fn table_and_key(file: &spec::File) -> Option<(&str, &str)> {
    Some((file.table.as_deref()?, file.key_column()?))
}

impl Keys {
    /// The source of the export, registered on its first import; `own` is this
    /// installation's ImplementationID.
    pub(super) async fn open(
        txn: &impl ConnectionTrait,
        source: &Source,
        own: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, DbErr> {
        if source.implementation_id == own {
            return Ok(Keys {
                source: None,
                remapped: HashSet::new(),
            });
        }
        let backend = txn.get_database_backend();
        let find = "SELECT import_source_id AS id FROM import_sources WHERE implementation_id = ?";
        let id_value = || Value::from(source.implementation_id.clone());
        let found = txn
            .query_one_raw(app::db::statement(backend, find, vec![id_value()]))
            .await?;
        let id: i32 = match found {
            Some(row) => {
                let id = row.try_get("", "id")?;
                let touch = "UPDATE import_sources SET last_imported_at = ?, software_name = ?, \
                             source_name = ? WHERE import_source_id = ?";
                let values = vec![
                    now.into(),
                    optional(&source.software_name),
                    optional(&source.source_name),
                    Value::from(id),
                ];
                txn.execute_raw(app::db::statement(backend, touch, values))
                    .await?;
                id
            }
            None => {
                let add = "INSERT INTO import_sources (implementation_id, software_name, source_name, \
                           first_imported_at, last_imported_at) VALUES (?, ?, ?, ?, ?)";
                let values = vec![
                    id_value(),
                    optional(&source.software_name),
                    optional(&source.source_name),
                    now.into(),
                    now.into(),
                ];
                txn.execute_raw(app::db::statement(backend, add, values)).await?;
                let row = txn
                    .query_one_raw(app::db::statement(backend, find, vec![id_value()]))
                    .await?
                    .ok_or_else(|| DbErr::RecordNotFound("the import source just added".into()))?;
                row.try_get("", "id")?
            }
        };
        let kinds = "SELECT DISTINCT kind FROM import_keys WHERE import_source_id = ?";
        let mut remapped = HashSet::new();
        for row in txn
            .query_all_raw(app::db::statement(backend, kinds, vec![Value::from(id)]))
            .await?
        {
            remapped.insert(row.try_get("", "kind")?);
        }
        Ok(Keys {
            source: Some(id),
            remapped,
        })
    }

    /// The source its records keep (`None` for Hearth's own export).
    pub(super) fn source(&self) -> Option<i32> {
        self.source
    }

    /// Gives the batch's rows Hearth's IDs in place of the source's, and leaves out the
    /// rows that name a record the source has nowhere.
    pub(super) async fn resolve(
        &mut self,
        txn: &impl ConnectionTrait,
        check: &FileCheck<'_>,
        batch: &mut [Pending],
    ) -> Result<(), DbErr> {
        // A table only this file has written to holds no one else's IDs.
        let empty = check.table_was_empty();
        for column in id_columns(check.file) {
            self.resolve_column(txn, check.file, &column, empty, batch)
                .await?;
        }
        Ok(())
    }

    async fn resolve_column(
        &mut self,
        txn: &impl ConnectionTrait,
        file: &spec::File,
        column: &IdColumn<'_>,
        empty: bool,
        batch: &mut [Pending],
    ) -> Result<(), DbErr> {
        let mut ids: Vec<&str> = batch
            .iter()
            .filter(|r| !r.skip)
            .filter_map(|r| r.cells[column.at].text())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        // source ID → Hearth ID, where they differ.
        let mut hearth: HashMap<String, String> = HashMap::new();
        let mut unknown: HashSet<String> = HashSet::new();
        if let Some(source) = self.source
            && self.remapped.contains(column.kind)
        {
            let sql = "SELECT source_key, hearth_id FROM import_keys \
                       WHERE import_source_id = ? AND kind = ? AND source_key";
            let before = [Value::from(source), Value::from(column.kind)];
            for row in rows_in(txn, sql, &before, &ids).await? {
                hearth.insert(row.try_get("", "source_key")?, row.try_get("", "hearth_id")?);
            }
        }
        let rest: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !hearth.contains_key(*id))
            .collect();
        let mut taken: Vec<String> = Vec::new();
        match (&column.names, self.source) {
            // Hearth's own IDs, or a table only this file has written to.
            (Names::Own, None) | (Names::Household, None) | (Names::Record { enforced: false, .. }, _) => {}
            (Names::Own | Names::Household, Some(_)) if empty => {}
            (Names::Own, Some(source)) => {
                let Some((table, key)) = table_and_key(file) else {
                    return Ok(());
                };
                let owners = owners(txn, table, key, &rest).await?;
                taken.extend(
                    owners
                        .into_iter()
                        .filter(|(id, owner)| *owner != Some(source) && id != app::db::SYSTEM_USER_ID)
                        .map(|(id, _)| id),
                );
            }
            (Names::Household, Some(source)) => {
                let sql = "SELECT DISTINCT household_id AS id FROM enrollments \
                           WHERE (import_source_id IS NULL OR import_source_id <> ?) AND household_id";
                for row in rows_in(txn, sql, &[Value::from(source)], &rest).await? {
                    taken.push(row.try_get("", "id")?);
                }
            }
            (
                Names::Record {
                    target,
                    enforced: true,
                },
                source,
            ) => {
                let Some((table, key)) = table_and_key(target) else {
                    return Ok(());
                };
                let owners = owners(txn, table, key, &rest).await?;
                let theirs = |owner: &Option<i32>| source.is_none() || *owner == source;
                unknown.extend(
                    rest.iter()
                        .filter(|id| !owners.get(**id).is_some_and(theirs))
                        .map(|id| id.to_string()),
                );
            }
        }
        if let Some(source) = self.source
            && !taken.is_empty()
        {
            let mut pairs = Vec::with_capacity(taken.len());
            for id in taken {
                let new = app::db::new_id();
                pairs.push((id.clone(), new.clone()));
                hearth.insert(id, new);
            }
            remember(txn, source, column.kind, &pairs).await?;
            self.remapped.insert(column.kind.to_string());
        }
        for row in batch.iter_mut().filter(|r| !r.skip) {
            let Cell::Text(id) = &row.cells[column.at] else {
                continue;
            };
            if unknown.contains(id) {
                let id = id.clone();
                let from = if self.source.is_some() {
                    " from this system"
                } else {
                    ""
                };
                let target = match &column.names {
                    Names::Record { target, .. } => target.name.as_str(),
                    _ => column.kind,
                };
                let flaw = Flaw {
                    kind: FindingKind::UnknownReference,
                    message: format!("{id} is neither in {target} nor already in Hearth{from}"),
                };
                row.leave_out(file, Some(column.name), Some(&id), flaw);
            } else if let Some(new) = hearth.get(id) {
                row.cells[column.at] = Cell::Text(new.clone());
            }
        }
        Ok(())
    }
}

fn optional(text: &str) -> Value {
    Value::String((!text.is_empty()).then(|| text.to_string()))
}

/// The records of `table` among `ids`, each with its source (`None`: Hearth's own).
async fn owners(
    txn: &impl ConnectionTrait,
    table: &str,
    key: &str,
    ids: &[&str],
) -> Result<HashMap<String, Option<i32>>, DbErr> {
    let sql = format!("SELECT {key} AS id, import_source_id AS source FROM {table} WHERE {key}");
    let mut found = HashMap::with_capacity(ids.len());
    for row in rows_in(txn, &sql, &[], ids).await? {
        found.insert(row.try_get("", "id")?, row.try_get("", "source")?);
    }
    Ok(found)
}

/// Keeps the Hearth IDs given to a source's IDs.
async fn remember(
    txn: &impl ConnectionTrait,
    source: i32,
    kind: &str,
    pairs: &[(String, String)],
) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    for chunk in pairs.chunks(super::write::MAX_PARAMS / 4) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("import_keys")).columns([
            Alias::new("import_source_id"),
            Alias::new("kind"),
            Alias::new("source_key"),
            Alias::new("hearth_id"),
        ]);
        for (from, to) in chunk {
            insert.values_panic([
                source.into(),
                kind.into(),
                from.as_str().into(),
                to.as_str().into(),
            ]);
        }
        txn.execute(&insert).await?;
    }
    Ok(())
}
