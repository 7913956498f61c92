//! `hearth copy --to URL`: moves a whole SQLite database into a new PostgreSQL
//! database — every table, every row, as of one moment — for a CoC that outgrows the
//! embedded database. The HMIS CSV export and import move only what that format has
//! a place for; this moves users' passwords, sessions, the audit log, drafts, jobs and
//! settings too.
//!
//! The SQLite side is read with `rusqlite` in one read transaction on a thread of its
//! own, each value as SQLite holds it; the PostgreSQL side is written in one
//! transaction, tables in the order of their foreign keys, each batch as one JSON
//! parameter that PostgreSQL casts into the columns' types (as the import does). The
//! row counts of every table are compared before it says done.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use app::features::annual::stored as annual;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement, TransactionTrait as _, Value};
use tokio::sync::mpsc;

/// Rows per `INSERT`.
const BATCH: usize = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{0}")]
    Unsupported(String),
    #[error("the PostgreSQL database is in use ({0}): copy only into a new database; nothing was done")]
    NotEmpty(String),
    #[error("reading the SQLite database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("writing the PostgreSQL database: {0}")]
    Database(#[from] DbErr),
    #[error(
        "table {table} has a column {column} the PostgreSQL database lacks: migrate both with this Hearth first"
    )]
    Schema { table: String, column: String },
    #[error("table {table}: {read} rows read, {written} in PostgreSQL after the copy; nothing was kept")]
    Count { table: String, read: u64, written: u64 },
    #[error("the SQLite reader stopped: {0}")]
    Reader(String),
}

/// One table's rows copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopied {
    pub table: String,
    pub rows: u64,
}

enum Piece {
    Table { name: String, columns: Vec<String> },
    Rows(Vec<Vec<Value>>),
}

/// Copies the SQLite database `source` into `target` (PostgreSQL, migrated by this
/// Hearth, with no clients, no users but the system's and no audit log). Answers each
/// table's rows; `progress` hears each table as it is done.
pub async fn copy(
    source: &DatabaseConnection,
    target: &DatabaseConnection,
    progress: &mut (dyn FnMut(&TableCopied) + Send),
) -> Result<Vec<TableCopied>, CopyError> {
    if source.get_database_backend() != sea_orm::DatabaseBackend::Sqlite
        || target.get_database_backend() != sea_orm::DatabaseBackend::Postgres
    {
        return Err(CopyError::Unsupported(
            "hearth copy moves a SQLite database into PostgreSQL: run it with the SQLite database as --database-url and --to postgres://…".into(),
        ));
    }
    refuse_if_in_use(target).await?;
    let columns = target_columns(target).await?;
    let order = insert_order(target, columns.keys().cloned().collect()).await?;
    let path: PathBuf = source
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let (tx, mut rx) = mpsc::channel::<Piece>(4);
    let reader = {
        let order = order.clone();
        let columns = columns.clone();
        tokio::task::spawn_blocking(move || read_sqlite(&path, &order, &columns, &tx))
    };
    let txn = target.begin().await?;
    // What the migrations put in (the system user, settings) is replaced by the copy.
    for table in order.iter().rev() {
        txn.execute_unprepared(&format!("DELETE FROM \"{table}\""))
            .await?;
    }
    let mut copied: Vec<TableCopied> = Vec::new();
    // The table being copied: its columns and its INSERT.
    let mut current: Option<(Vec<String>, String)> = None;
    while let Some(piece) = rx.recv().await {
        match piece {
            Piece::Table { name, columns } => {
                if let Some(done) = copied.last() {
                    progress(done);
                }
                let insert = crate::hmis_csv::import::json_insert(&name, &columns);
                copied.push(TableCopied { table: name, rows: 0 });
                current = Some((columns, insert));
            }
            Piece::Rows(rows) => {
                let (Some((columns, insert)), Some(last)) = (&current, copied.last_mut()) else {
                    continue;
                };
                txn.execute_raw(Statement::from_sql_and_values(
                    sea_orm::DatabaseBackend::Postgres,
                    insert.as_str(),
                    [Value::from(crate::hmis_csv::import::json_rows(columns, &rows))],
                ))
                .await?;
                last.rows += rows.len() as u64;
            }
        }
    }
    match reader.await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => return Err(err),
        Err(err) => return Err(CopyError::Reader(err.to_string())),
    }
    if let Some(done) = copied.last() {
        progress(done);
    }
    // Counters go on after the highest copied ID.
    for (table, column) in serial_columns(&txn).await? {
        txn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), \
             COALESCE((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
        ))
        .await?;
    }
    // Every row read from SQLite (the reader read each table whole) is in PostgreSQL.
    for table in &copied {
        let written = app::db::row_count(&txn, &table.table).await?;
        if written != table.rows {
            return Err(CopyError::Count {
                table: table.table.clone(),
                read: table.rows,
                written,
            });
        }
    }
    // The triggers marked every household copied: the Annual Assessment Tool's kept
    // rows are built anew, for the day the source's were (or by the server when it
    // starts, if the source had none); the data-quality facts by the server.
    let kept = |e: app::error::AppError| DbErr::Custom(format!("the kept summaries: {e}"));
    let as_of = annual::as_of(source).await.map_err(kept)?;
    app::kept::forget(&txn).await.map_err(kept)?;
    txn.commit().await?;
    if let Some(as_of) = as_of {
        annual::rebuild(target, as_of, None).await.map_err(kept)?;
    }
    app::db::refresh_statistics(target).await?;
    Ok(copied)
}

async fn refuse_if_in_use(target: &DatabaseConnection) -> Result<(), CopyError> {
    let users = format!(
        "SELECT count(*) FROM users WHERE user_id <> '{}'",
        app::db::SYSTEM_USER_ID
    );
    for (what, sql) in [
        ("it has clients", "SELECT count(*) FROM clients".to_string()),
        ("it has users", users),
        (
            "it has an audit log",
            "SELECT count(*) FROM audit_log".to_string(),
        ),
    ] {
        let row = target
            .query_one_raw(Statement::from_string(target.get_database_backend(), sql))
            .await?;
        let n: i64 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
        if n > 0 {
            return Err(CopyError::NotEmpty(what.into()));
        }
    }
    Ok(())
}

/// Every table of the PostgreSQL database with its columns (but the migrations' own).
async fn target_columns(target: &impl ConnectionTrait) -> Result<BTreeMap<String, Vec<String>>, DbErr> {
    let rows = target
        .query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c \
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.table_name <> 'seaql_migrations' ORDER BY c.table_name, c.ordinal_position",
        ))
        .await?;
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        let (table, column): (String, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        // Kept from the others: built anew in PostgreSQL instead.
        if app::kept::tables().any(|kept| kept == table) {
            continue;
        }
        tables.entry(table).or_default().push(column);
    }
    Ok(tables)
}

/// The tables in an order where every table comes after those its foreign keys name.
async fn insert_order(target: &impl ConnectionTrait, tables: BTreeSet<String>) -> Result<Vec<String>, DbErr> {
    let rows = target
        .query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT DISTINCT tc.table_name::text, ccu.table_name::text FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage ccu \
               ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
        ))
        .await?;
    let mut needs: BTreeMap<String, BTreeSet<String>> =
        tables.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for row in rows {
        let (table, referenced): (String, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        if table != referenced
            && tables.contains(&referenced)
            && let Some(set) = needs.get_mut(&table)
        {
            set.insert(referenced);
        }
    }
    Ok(dependency_order(needs))
}

/// Tables ordered so each comes after what it needs (a cycle, which Hearth's schema
/// does not have, is broken by name order).
fn dependency_order(mut needs: BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut order = Vec::with_capacity(needs.len());
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, n)| n.is_empty())
            .map(|(t, _)| t.clone())
            .collect();
        let ready = if ready.is_empty() {
            needs.keys().take(1).cloned().collect()
        } else {
            ready
        };
        for table in &ready {
            needs.remove(table);
        }
        for n in needs.values_mut() {
            for table in &ready {
                n.remove(table);
            }
        }
        order.extend(ready);
    }
    order
}

/// Columns filled from a sequence (`serial`), as (table, column).
async fn serial_columns(target: &impl ConnectionTrait) -> Result<Vec<(String, String)>, DbErr> {
    let rows = target
        .query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

/// Reads every table of `order` in one snapshot, sending each table's name and
/// columns, then its rows in batches.
fn read_sqlite(
    path: &std::path::Path,
    order: &[String],
    target: &BTreeMap<String, Vec<String>>,
    tx: &mpsc::Sender<Piece>,
) -> Result<(), CopyError> {
    use rusqlite::types::ValueRef;
    let gone = |_| CopyError::Reader("the PostgreSQL writer stopped".into());
    let mut conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536")?;
    let snapshot = conn.transaction()?;
    for table in order {
        let mut source_columns = Vec::new();
        {
            let mut info = snapshot.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
            let mut rows = info.query([])?;
            while let Some(row) = rows.next()? {
                source_columns.push(row.get::<_, String>(1)?);
            }
        }
        let target_columns = target.get(table).cloned().unwrap_or_default();
        if let Some(column) = source_columns.iter().find(|c| !target_columns.contains(c)) {
            return Err(CopyError::Schema {
                table: table.clone(),
                column: column.clone(),
            });
        }
        tx.blocking_send(Piece::Table {
            name: table.clone(),
            columns: source_columns.clone(),
        })
        .map_err(gone)?;
        let names = source_columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut statement = snapshot.prepare(&format!("SELECT {names} FROM \"{table}\""))?;
        let mut rows = statement.query([])?;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(source_columns.len());
            for i in 0..source_columns.len() {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::String(None),
                    ValueRef::Integer(v) => Value::BigInt(Some(v)),
                    ValueRef::Real(v) => Value::Double(Some(v)),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Value::String(Some(String::from_utf8_lossy(t).into_owned()))
                    }
                });
            }
            batch.push(values);
            if batch.len() == BATCH {
                tx.blocking_send(Piece::Rows(std::mem::take(&mut batch)))
                    .map_err(gone)?;
            }
        }
        if !batch.is_empty() {
            tx.blocking_send(Piece::Rows(batch)).map_err(gone)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_after_the_tables_they_name() {
        let needs: BTreeMap<String, BTreeSet<String>> = [
            ("exits", vec!["enrollments", "clients"]),
            ("enrollments", vec!["clients", "projects"]),
            ("projects", vec!["organizations"]),
            ("organizations", vec![]),
            ("clients", vec![]),
            ("settings", vec![]),
        ]
        .into_iter()
        .map(|(t, n)| (t.to_string(), n.into_iter().map(String::from).collect()))
        .collect();
        let order = dependency_order(needs.clone());
        assert_eq!(order.len(), needs.len());
        let at = |t: &str| order.iter().position(|o| o == t).unwrap();
        for (table, needed) in &needs {
            for n in needed {
                assert!(at(n) < at(table), "{n} before {table}: {order:?}");
            }
        }
    }
}
