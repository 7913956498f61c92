//! The rows of the export's files, from the database to CSV bytes, off the task that
//! writes the zip: SQLite is read by `rusqlite` on a blocking thread (each value read
//! in place; sqlx's driver copies every value of every row across a thread channel,
//! which cost ~20 µs a row), PostgreSQL by sqlx in a task of its own, its server
//! writing most files' CSV (`COPY`). Every file is read in one snapshot, so the files
//! agree with each other, and the CSV goes in chunks of [`CHUNK`] bytes through a
//! bounded channel per lane: memory stays flat and the deflate runs beside the
//! reading, on the other core.

use std::path::Path;

use chrono_tz::Tz;
use futures_util::StreamExt;
use sea_orm::sqlx::{self, AssertSqlSafe, Row};
use sea_orm::{DatabaseConnection, Value};
use tokio::sync::mpsc;

use super::csv_text::*;
use super::export::{ExportError, HASHED_NAME_COLUMNS};
use super::spec::{self, Kind};

/// Bytes of CSV sent to the zip writer at a time.
pub(super) const CHUNK: usize = 1 << 20;
/// Rows between two progress reports.
pub(super) const PROGRESS_EVERY: u64 = 50_000;

/// What the reader sends the zip writer, file after file in the order of the plans.
#[derive(Debug)]
pub enum Piece {
    /// CSV bytes of the current file (its header first).
    Bytes(Vec<u8>),
    /// Rows of the current file so far.
    Rows(u64),
    /// The current file is complete with this many rows.
    Done(u64),
}

/// One file to read: its query and how each column is written.
#[derive(Clone, Debug)]
pub struct FilePlan {
    pub file: &'static spec::File,
    pub sql: String,
    pub values: Vec<Value>,
    /// PostgreSQL writes the file's CSV itself (`COPY`): `sql` selects each column as
    /// its text (see `export::plan`).
    pub copied: bool,
}

/// What the reader needs besides the plans (cloned into its thread or task).
#[derive(Clone)]
pub struct Reading {
    pub export_id: String,
    pub hash_pii: bool,
    pub time_zone: Tz,
    pub data_key: app::crypto::DataKey,
}

/// How one column of a file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Out {
    /// The export's own ID.
    ExportId,
    /// The database value as its kind is written.
    Value(Kind),
    /// A name, hashed (Soundex, then SHA-256) in a hashed export.
    HashedName,
    /// The SSN: opened with the data key (and hashed in a hashed export).
    Ssn,
}

pub(super) fn outs(file: &spec::File, hash_pii: bool) -> Vec<Out> {
    let client = file.name == "Client.csv";
    file.columns
        .iter()
        .map(|c| match c.name.as_str() {
            "ExportID" => Out::ExportId,
            "SSN" if client => Out::Ssn,
            name if client && hash_pii && HASHED_NAME_COLUMNS.contains(&name) => Out::HashedName,
            _ => Out::Value(c.kind),
        })
        .collect()
}

/// Runs `prelude` (statements that prepare the reading, e.g. fill a temporary table) and
/// reads each lane's plans on a connection of its own, every lane in the same snapshot,
/// the lanes at once. Answers one channel per lane, its files' pieces in the order of
/// its plans, and the readers' handle (the first error, if one stopped early). A lane
/// without plans has no connection; its channel closes at once.
pub fn start(
    db: &DatabaseConnection,
    prelude: Vec<(String, Vec<Value>)>,
    lanes: Vec<Vec<FilePlan>>,
    reading: Reading,
) -> (
    Vec<mpsc::Receiver<Piece>>,
    tokio::task::JoinHandle<Result<(), ExportError>>,
) {
    let (txs, rxs): (Vec<_>, Vec<_>) = lanes.iter().map(|_| mpsc::channel(8)).unzip();
    let (lanes, txs): (Vec<_>, Vec<_>) = lanes
        .into_iter()
        .zip(txs)
        .filter(|(plans, _)| !plans.is_empty())
        .unzip();
    let handle = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            let path = db
                .get_sqlite_connection_pool()
                .connect_options()
                .get_filename()
                .to_path_buf();
            tokio::task::spawn_blocking(move || read_sqlite(&path, &prelude, lanes, &reading, txs))
        }
        _ => {
            let db = db.clone();
            tokio::spawn(async move { read_postgres(&db, &prelude, lanes, &reading, txs).await })
        }
    };
    (rxs, handle)
}

/// The zip writer stopped listening (it failed, and says why itself).
pub(super) fn gone<T>(_: T) -> ExportError {
    ExportError::Cancelled
}

/// The lanes' outcome: the first error that is not only "the writer stopped listening"
/// (that one follows from another).
pub(super) fn first_error(
    outcomes: impl IntoIterator<Item = Result<(), ExportError>>,
) -> Result<(), ExportError> {
    let mut cancelled = false;
    for outcome in outcomes {
        match outcome {
            Ok(()) => {}
            Err(ExportError::Cancelled) => cancelled = true,
            Err(e) => return Err(e),
        }
    }
    if cancelled {
        Err(ExportError::Cancelled)
    } else {
        Ok(())
    }
}

/// The connection the export reads SQLite through.
pub(super) fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, ExportError> {
    use rusqlite::OpenFlags;
    // Opened read-write (a read-only connection cannot open a WAL database whose
    // shared-memory file is missing, nor write its temporary tables); it writes only
    // to its own temporary tables.
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A larger page cache than the default 2 MB (the tables' indexes stay in memory
    // while a file is read); the list of exported enrollments in memory, not in a
    // temporary file (1.5 million IDs at a million clients: ~60 MB; 11 s on disk).
    // Not memory-mapped: the mapped pages count against the export's memory (754 MB
    // at a million clients when tried with two readers; docs/PERFORMANCE.md).
    conn.execute_batch(
        "PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
    )?;
    Ok(conn)
}

/// SQLite: one connection and one read transaction for every lane, read one after the
/// other (the export gives SQLite one lane: a second connection in the same snapshot
/// cost more memory than it saved time, docs/PERFORMANCE.md).
pub(super) fn read_sqlite(
    path: &Path,
    prelude: &[(String, Vec<Value>)],
    lanes: Vec<Vec<FilePlan>>,
    reading: &Reading,
    txs: Vec<mpsc::Sender<Piece>>,
) -> Result<(), ExportError> {
    let conn = open_sqlite(path)?;
    conn.execute_batch("BEGIN")?;
    for (sql, values) in prelude {
        let params = sqlite_values(values)?;
        conn.execute(sql, rusqlite::params_from_iter(params))?;
    }
    for (plans, tx) in lanes.iter().zip(txs) {
        read_sqlite_lane(&conn, plans, reading, &tx)?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}

pub(super) fn read_sqlite_lane(
    conn: &rusqlite::Connection,
    plans: &[FilePlan],
    reading: &Reading,
    tx: &mpsc::Sender<Piece>,
) -> Result<(), ExportError> {
    use rusqlite::types::ValueRef;
    for plan in plans {
        let outs = outs(plan.file, reading.hash_pii);
        let mut out = Csv::new(plan.file, reading);
        let mut statement = conn.prepare(&plan.sql)?;
        let params = sqlite_values(&plan.values)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            for (i, how) in outs.iter().enumerate() {
                match (*how, row.get_ref(i)?) {
                    (Out::ExportId, _) => out.text(reading.export_id.as_bytes()),
                    (_, ValueRef::Null) => out.null(),
                    (Out::Value(Kind::Timestamp), ValueRef::Text(t)) => out.stored_timestamp(i, t)?,
                    (Out::Value(Kind::Money), ValueRef::Integer(n)) => out.money(n as f64),
                    (Out::Value(_), ValueRef::Integer(n)) => out.int(n),
                    (Out::Value(_), ValueRef::Real(m)) => out.money(m),
                    (Out::Value(_), ValueRef::Text(t) | ValueRef::Blob(t)) => out.text(t),
                    (Out::HashedName, value) => {
                        out.hashed_name(&String::from_utf8_lossy(value.as_bytes().unwrap_or_default()))
                    }
                    (Out::Ssn, value) => {
                        let sealed = String::from_utf8_lossy(value.as_bytes().unwrap_or_default());
                        let personal_id = row.get_ref(0)?.as_str().unwrap_or_default().to_string();
                        out.ssn(&personal_id, &sealed)?
                    }
                }
            }
            for piece in out.end_row().into_iter().flatten() {
                tx.blocking_send(piece).map_err(gone)?;
            }
        }
        for piece in out.finish() {
            tx.blocking_send(piece).map_err(gone)?;
        }
    }
    Ok(())
}

/// The values of a query as rusqlite binds them (as sqlx binds them on SQLite).
pub(super) fn sqlite_values(values: &[Value]) -> Result<Vec<rusqlite::types::Value>, ExportError> {
    use rusqlite::types::Value as V;
    values
        .iter()
        .map(|value| match value {
            Value::Bool(Some(b)) => Ok(V::Integer(i64::from(*b))),
            Value::String(Some(s)) => Ok(V::Text(s.clone())),
            Value::ChronoDate(Some(d)) => Ok(V::Text(d.format("%Y-%m-%d").to_string())),
            Value::Int(Some(n)) => Ok(V::Integer(i64::from(*n))),
            Value::BigInt(Some(n)) => Ok(V::Integer(*n)),
            // Never bound as NULL by mistake: a query that would read nothing.
            other => Err(ExportError::Value(format!(
                "an export query value it cannot bind: {other:?}"
            ))),
        })
        .collect()
}

/// PostgreSQL: each lane in a repeatable-read transaction of its own, the first's
/// snapshot exported to the others (`pg_export_snapshot`), so every file reads the same
/// database. The files without secrets come through `COPY (…) TO STDOUT (FORMAT csv)`:
/// the server writes their CSV itself (timestamps in the CoC's zone, set for the
/// transaction), so this process only turns line ends into CRLF (28 million rows at a
/// million clients: docs/PERFORMANCE.md). Client.csv, whose SSNs are opened here, is
/// read row by row.
pub(super) async fn read_postgres(
    db: &DatabaseConnection,
    prelude: &[(String, Vec<Value>)],
    lanes: Vec<Vec<FilePlan>>,
    reading: &Reading,
    txs: Vec<mpsc::Sender<Piece>>,
) -> Result<(), ExportError> {
    const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ";
    let pool = db.get_postgres_connection_pool();
    let mut first = pool.begin_with(BEGIN).await?;
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
        .fetch_one(&mut *first)
        .await?;
    let mut snapshots = vec![first];
    for _ in 1..lanes.len() {
        let mut next = pool.begin_with(BEGIN).await?;
        let set = format!("SET TRANSACTION SNAPSHOT {}", pg_literal(&snapshot)?);
        sqlx::query(AssertSqlSafe(set)).execute(&mut *next).await?;
        snapshots.push(next);
    }
    let readers = snapshots
        .into_iter()
        .zip(lanes)
        .zip(txs)
        .map(|((snapshot, plans), tx)| read_postgres_lane(snapshot, prelude, plans, reading, tx));
    first_error(futures_util::future::join_all(readers).await)
}

pub(super) async fn read_postgres_lane(
    mut snapshot: sqlx::Transaction<'_, sqlx::Postgres>,
    prelude: &[(String, Vec<Value>)],
    plans: Vec<FilePlan>,
    reading: &Reading,
    tx: mpsc::Sender<Piece>,
) -> Result<(), ExportError> {
    let zone = pg_literal(reading.time_zone.name())?;
    let settings = [
        format!("SET LOCAL TimeZone = {zone}"),
        "SET LOCAL DateStyle = 'ISO, YMD'".to_string(),
        "SET LOCAL standard_conforming_strings = on".to_string(),
    ];
    for sql in &settings {
        sqlx::query(AssertSqlSafe(sql.as_str()))
            .execute(&mut *snapshot)
            .await?;
    }
    for (sql, values) in prelude {
        sqlx::query(AssertSqlSafe(pg_inline(sql, values)?))
            .execute(&mut *snapshot)
            .await?;
    }
    for plan in &plans {
        let mut out = Csv::new(plan.file, reading);
        let sql = pg_inline(&plan.sql, &plan.values)?;
        if plan.copied {
            let mut lines = Lines::default();
            let mut chunks = snapshot
                .copy_out_raw(&format!("COPY ({sql}) TO STDOUT (FORMAT csv)"))
                .await?;
            while let Some(chunk) = chunks.next().await {
                for piece in out.copied(&chunk?, &mut lines).into_iter().flatten() {
                    tx.send(piece).await.map_err(gone)?;
                }
            }
        } else {
            let outs = outs(plan.file, reading.hash_pii);
            let mut rows = sqlx::query(AssertSqlSafe(sql.as_str())).fetch(&mut *snapshot);
            while let Some(row) = rows.next().await {
                let row = row?;
                for (i, how) in outs.iter().enumerate() {
                    match how {
                        Out::ExportId => out.text(reading.export_id.as_bytes()),
                        Out::Value(kind) => out.decoded(&row, i, *kind)?,
                        Out::HashedName => match row.try_get::<Option<&str>, _>(i)? {
                            Some(name) => out.hashed_name(name),
                            None => out.null(),
                        },
                        Out::Ssn => match row.try_get::<Option<&str>, _>(i)? {
                            Some(sealed) => {
                                let personal_id: &str = row.try_get(0)?;
                                out.ssn(personal_id, sealed)?
                            }
                            None => out.null(),
                        },
                    }
                }
                for piece in out.end_row().into_iter().flatten() {
                    tx.send(piece).await.map_err(gone)?;
                }
            }
        }
        for piece in out.finish() {
            tx.send(piece).await.map_err(gone)?;
        }
    }
    snapshot.commit().await?;
    Ok(())
}

/// `sql` with each `?` replaced by its value as a PostgreSQL literal: `COPY` takes no
/// parameters. Only the kinds the export binds (IDs, dates, flags, numbers).
pub(super) fn pg_inline(sql: &str, values: &[Value]) -> Result<String, ExportError> {
    let mut values = values.iter();
    let mut out = String::with_capacity(sql.len() + 64);
    for ch in sql.chars() {
        if ch != '?' {
            out.push(ch);
            continue;
        }
        let value = values
            .next()
            .ok_or_else(|| ExportError::Value("an export query with a value missing".into()))?;
        match value {
            Value::Bool(Some(b)) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
            Value::String(Some(s)) => out.push_str(&pg_literal(s)?),
            Value::ChronoDate(Some(d)) => out.push_str(&format!("DATE '{}'", d.format("%Y-%m-%d"))),
            Value::Int(Some(n)) => out.push_str(&n.to_string()),
            Value::BigInt(Some(n)) => out.push_str(&n.to_string()),
            // Never inlined as NULL by mistake: a query that would read nothing.
            other => {
                return Err(ExportError::Value(format!(
                    "an export query value it cannot inline: {other:?}"
                )));
            }
        }
    }
    if values.next().is_some() {
        return Err(ExportError::Value(
            "an export query with a value left over".into(),
        ));
    }
    Ok(out)
}

/// Text as a PostgreSQL string literal (standard conforming strings: quotes doubled).
pub(super) fn pg_literal(text: &str) -> Result<String, ExportError> {
    if text.contains('\0') {
        return Err(ExportError::Value("an export value holds a NUL character".into()));
    }
    Ok(format!("'{}'", text.replace('\'', "''")))
}
