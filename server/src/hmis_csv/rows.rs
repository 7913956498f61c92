//! The rows of the export's files, from the database to CSV bytes, off the task that
//! writes the zip: SQLite is read by `rusqlite` on a blocking thread (each value read
//! in place; sqlx's driver copies every value of every row across a thread channel,
//! which cost ~20 µs a row), PostgreSQL by sqlx in a task of its own, its server
//! writing most files' CSV (`COPY`). Every file is read in one snapshot, so the files
//! agree with each other, and the CSV goes in chunks of [`CHUNK`] bytes through a
//! bounded channel per lane: memory stays flat and the deflate runs beside the
//! reading, on the other core.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use futures_util::StreamExt;
use sea_orm::sqlx::{self, AssertSqlSafe, Row, postgres::PgRow};
use sea_orm::{DatabaseConnection, Value};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::export::{ExportError, HASHED_NAME_COLUMNS};
use super::spec::{self, Kind};

/// Bytes of CSV sent to the zip writer at a time.
const CHUNK: usize = 1 << 20;
/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 50_000;

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
enum Out {
    /// The export's own ID.
    ExportId,
    /// The database value as its kind is written.
    Value(Kind),
    /// A name, hashed (Soundex, then SHA-256) in a hashed export.
    HashedName,
    /// The SSN: opened with the data key (and hashed in a hashed export).
    Ssn,
}

fn outs(file: &spec::File, hash_pii: bool) -> Vec<Out> {
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
fn gone<T>(_: T) -> ExportError {
    ExportError::Cancelled
}

/// The lanes' outcome: the first error that is not only "the writer stopped listening"
/// (that one follows from another).
fn first_error(outcomes: impl IntoIterator<Item = Result<(), ExportError>>) -> Result<(), ExportError> {
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
fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, ExportError> {
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
fn read_sqlite(
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

fn read_sqlite_lane(
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
fn sqlite_values(values: &[Value]) -> Result<Vec<rusqlite::types::Value>, ExportError> {
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
async fn read_postgres(
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

async fn read_postgres_lane(
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
fn pg_inline(sql: &str, values: &[Value]) -> Result<String, ExportError> {
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

/// Where `COPY`'s CSV is between two chunks: inside a quoted field or not.
#[derive(Default)]
struct Lines {
    quoted: bool,
}

/// One file's CSV being written: fields of the current row, then whole rows, sent in
/// chunks.
struct Csv<'a> {
    /// CSV written and not yet sent.
    bytes: Vec<u8>,
    /// Whether the next field starts a row (no comma before it).
    row_start: bool,
    rows: u64,
    reading: &'a Reading,
    /// The last stored timestamp text of each column and how it was written: rows
    /// written together often share them.
    last_time: Vec<(Vec<u8>, [u8; 19])>,
    number: itoa::Buffer,
    scratch: Vec<u8>,
}

impl<'a> Csv<'a> {
    fn new(file: &spec::File, reading: &'a Reading) -> Self {
        let mut csv = Self {
            bytes: Vec::with_capacity(CHUNK + CHUNK / 4),
            row_start: true,
            rows: 0,
            reading,
            last_time: vec![(Vec::new(), [0; 19]); file.columns.len()],
            number: itoa::Buffer::new(),
            scratch: Vec::with_capacity(32),
        };
        for column in &file.columns {
            csv.text(column.name.as_bytes());
        }
        csv.end_record();
        csv
    }

    /// A field that needs no quotes (numbers, dates, times).
    fn field(&mut self, bytes: &[u8]) {
        if !std::mem::take(&mut self.row_start) {
            self.bytes.push(b',');
        }
        self.bytes.extend_from_slice(bytes);
    }

    fn null(&mut self) {
        self.field(b"");
    }

    /// Text, in double quotes (doubled inside) when it holds a comma, a quote or a
    /// line break (RFC 4180, as HUD's CSV specification asks).
    fn text(&mut self, bytes: &[u8]) {
        if !bytes.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.field(bytes);
            return;
        }
        self.field(b"\"");
        for &b in bytes {
            if b == b'"' {
                self.bytes.push(b'"');
            }
            self.bytes.push(b);
        }
        self.bytes.push(b'"');
    }

    fn int(&mut self, n: i64) {
        let mut number = std::mem::take(&mut self.number);
        self.field(number.format(n).as_bytes());
        self.number = number;
    }

    fn money(&mut self, m: f64) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = write!(scratch, "{m:.2}");
        self.field(&scratch);
        self.scratch = scratch;
    }

    fn date(&mut self, d: NaiveDate) {
        let mut text = [0u8; 10];
        put_date(&mut text, d);
        self.field(&text);
    }

    fn timestamp(&mut self, t: DateTime<Utc>) {
        let text = local_text(t, &self.reading.time_zone);
        self.field(&text);
    }

    /// A timestamp as SQLite keeps it (RFC 3339, or `YYYY-MM-DD HH:MM:SS[.f]` in UTC),
    /// in the CoC's local time.
    fn stored_timestamp(&mut self, column: usize, stored: &[u8]) -> Result<(), ExportError> {
        let (last, text) = &self.last_time[column];
        if last.as_slice() == stored {
            let text = *text;
            self.field(&text);
            return Ok(());
        }
        let at = std::str::from_utf8(stored)
            .ok()
            .and_then(parse_stored)
            .ok_or_else(|| {
                ExportError::Value(format!(
                    "the database holds a timestamp that cannot be read: {}",
                    String::from_utf8_lossy(stored)
                ))
            })?;
        let text = local_text(at, &self.reading.time_zone);
        self.last_time[column] = (stored.to_vec(), text);
        self.field(&text);
        Ok(())
    }

    /// One column of a PostgreSQL row, decoded as its kind.
    fn decoded(&mut self, row: &PgRow, i: usize, kind: Kind) -> Result<(), ExportError> {
        match kind {
            Kind::Integer => match row.try_get::<Option<i32>, _>(i)? {
                Some(n) => self.int(i64::from(n)),
                None => self.null(),
            },
            Kind::Money => match row.try_get::<Option<f64>, _>(i)? {
                Some(m) => self.money(m),
                None => self.null(),
            },
            Kind::Date => match row.try_get::<Option<NaiveDate>, _>(i)? {
                Some(d) => self.date(d),
                None => self.null(),
            },
            Kind::Timestamp => match row.try_get::<Option<DateTime<Utc>>, _>(i)? {
                Some(t) => self.timestamp(t),
                None => self.null(),
            },
            Kind::Text => match row.try_get::<Option<&str>, _>(i)? {
                Some(s) => self.text(s.as_bytes()),
                None => self.null(),
            },
        }
        Ok(())
    }

    fn hashed_name(&mut self, name: &str) {
        self.text(hash_pii(true, name).as_bytes());
    }

    fn ssn(&mut self, personal_id: &str, sealed: &str) -> Result<(), ExportError> {
        let ssn = open_ssn(&self.reading.data_key, personal_id, sealed)?;
        if self.reading.hash_pii {
            self.text(hash_pii(false, &ssn).as_bytes());
        } else {
            self.text(ssn.as_bytes());
        }
        Ok(())
    }

    /// CSV written by PostgreSQL's `COPY`: copied with each row's LF made CRLF (a line
    /// break inside a quoted field is left as it is) and its rows counted. Answers what
    /// is to be sent now.
    fn copied(&mut self, chunk: &[u8], lines: &mut Lines) -> [Option<Piece>; 2] {
        let rows_before = self.rows;
        let mut start = 0;
        for (i, &b) in chunk.iter().enumerate() {
            match b {
                b'"' => lines.quoted = !lines.quoted,
                b'\n' if !lines.quoted => {
                    self.bytes.extend_from_slice(&chunk[start..i]);
                    self.bytes.extend_from_slice(b"\r\n");
                    self.rows += 1;
                    start = i + 1;
                }
                _ => {}
            }
        }
        self.bytes.extend_from_slice(&chunk[start..]);
        let progress =
            (self.rows / PROGRESS_EVERY > rows_before / PROGRESS_EVERY).then_some(Piece::Rows(self.rows));
        let chunk = (self.bytes.len() >= CHUNK).then(|| Piece::Bytes(self.take()));
        [chunk, progress]
    }

    /// Ends the row: answers what is to be sent now (a full chunk, a progress report).
    fn end_row(&mut self) -> [Option<Piece>; 2] {
        self.end_record();
        self.rows += 1;
        let progress = self
            .rows
            .is_multiple_of(PROGRESS_EVERY)
            .then_some(Piece::Rows(self.rows));
        let chunk = (self.bytes.len() >= CHUNK).then(|| Piece::Bytes(self.take()));
        [chunk, progress]
    }

    fn end_record(&mut self) {
        self.bytes.extend_from_slice(b"\r\n");
        self.row_start = true;
    }

    /// Ends the file: its last bytes and its row count.
    fn finish(mut self) -> [Piece; 2] {
        [Piece::Bytes(self.take()), Piece::Done(self.rows)]
    }

    /// The bytes written so far (the buffer starts again, empty).
    fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.bytes, Vec::with_capacity(CHUNK + CHUNK / 4))
    }
}

/// A timestamp SQLite holds: RFC 3339 as sqlx writes it, or SQLite's own
/// `YYYY-MM-DD HH:MM:SS[.fff]` (UTC).
fn parse_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// `YYYY-MM-DD hh:mm:ss` in the CoC's time zone, as HUD writes timestamps.
fn local_text(at: DateTime<Utc>, zone: &Tz) -> [u8; 19] {
    let local = at.with_timezone(zone).naive_local();
    let mut text = [0u8; 19];
    put_date(&mut text[..10], local.date());
    text[10] = b' ';
    put_two(&mut text[11..13], local.hour());
    text[13] = b':';
    put_two(&mut text[14..16], local.minute());
    text[16] = b':';
    put_two(&mut text[17..19], local.second());
    text
}

/// `YYYY-MM-DD` into the first 10 bytes (years 0–9999, as HMIS dates are).
fn put_date(text: &mut [u8], d: NaiveDate) {
    let year = d.year().clamp(0, 9999) as u32;
    put_two(&mut text[0..2], year / 100);
    put_two(&mut text[2..4], year % 100);
    text[4] = b'-';
    put_two(&mut text[5..7], d.month());
    text[7] = b'-';
    put_two(&mut text[8..10], d.day());
}

fn put_two(text: &mut [u8], n: u32) {
    text[0] = b'0' + (n / 10 % 10) as u8;
    text[1] = b'0' + (n % 10) as u8;
}

/// A stored (sealed) SSN in plain text.
fn open_ssn(key: &app::crypto::DataKey, personal_id: &str, sealed: &str) -> Result<String, ExportError> {
    key.open(sealed, &app::crypto::ssn_context(personal_id))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ExportError::DataKey(personal_id.to_string()))
}

/// HUD's hashed export: a name is Soundex-coded, then hashed; the SSN is hashed. Empty
/// stays empty.
pub fn hash_pii(name: bool, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let input = if name { soundex(value) } else { value.to_string() };
    let digest = Sha256::digest(input.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = std::fmt::Write::write_fmt(&mut hex, format_args!("{b:02X}"));
    }
    hex
}

/// American Soundex: the first letter, then three digits for the consonant sounds that
/// follow ("Robert" → R163). Letters only; other characters are ignored.
pub fn soundex(name: &str) -> String {
    fn digit(c: char) -> Option<char> {
        match c {
            'B' | 'F' | 'P' | 'V' => Some('1'),
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Some('2'),
            'D' | 'T' => Some('3'),
            'L' => Some('4'),
            'M' | 'N' => Some('5'),
            'R' => Some('6'),
            _ => None,
        }
    }
    let mut letters = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut code = String::from(first);
    let mut last = digit(first);
    for c in letters {
        let d = digit(c);
        if let Some(d) = d
            && Some(d) != last
        {
            code.push(d);
            if code.len() == 4 {
                break;
            }
        }
        // H and W do not separate letters with the same code; vowels do.
        if !matches!(c, 'H' | 'W') {
            last = d;
        }
    }
    while code.len() < 4 {
        code.push('0');
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_codes() {
        for (name, code) in [
            ("Robert", "R163"),
            ("Rupert", "R163"),
            ("Ashcraft", "A261"),
            ("Tymczak", "T522"),
            ("Pfister", "P236"),
            ("Lee", "L000"),
            ("O'Brien", "O165"),
            ("", ""),
        ] {
            assert_eq!(soundex(name), code, "{name}");
        }
    }

    #[test]
    fn hashing_covers_names_and_ssn() {
        let hashed = hash_pii(true, "Robert");
        assert_eq!(hashed.len(), 64);
        assert_eq!(hashed, hash_pii(true, "Rupert"), "same Soundex, same hash");
        assert_ne!(hash_pii(false, "123456789"), "123456789");
        assert_ne!(hash_pii(false, "Robert"), hashed, "an SSN is hashed as it is");
        assert_eq!(hash_pii(true, ""), "");
    }

    #[test]
    fn stored_timestamps_read_in_both_forms_and_written_in_local_time() {
        let chicago: Tz = "America/Chicago".parse().unwrap();
        let rfc = parse_stored("2025-04-18T14:00:00+00:00").unwrap();
        let fraction = parse_stored("2025-04-18T14:00:00.123456+00:00").unwrap();
        let sqlite = parse_stored("2025-04-18 14:00:00").unwrap();
        assert_eq!(rfc, sqlite);
        assert_eq!(rfc.timestamp(), fraction.timestamp());
        assert_eq!(&local_text(rfc, &chicago), b"2025-04-18 09:00:00", "CDT is UTC-5");
        let winter = parse_stored("2025-01-02T03:04:05+00:00").unwrap();
        assert_eq!(
            &local_text(winter, &chicago),
            b"2025-01-01 21:04:05",
            "CST is UTC-6"
        );
        assert_eq!(parse_stored("yesterday"), None);
    }

    /// What a plain export of Organization.csv reads with.
    fn reading() -> Reading {
        Reading {
            export_id: "e1".into(),
            hash_pii: false,
            time_zone: chrono_tz::America::Chicago,
            data_key: app::crypto::DataKey::generate(),
        }
    }

    #[test]
    fn text_is_quoted_only_when_it_must_be() {
        let reading = reading();
        let mut csv = Csv::new(spec::file("Organization.csv").unwrap(), &reading);
        csv.text(b"Shelter, \"North\" wing");
        csv.text(b"plain");
        csv.null();
        csv.int(-12);
        csv.money(1234.5);
        csv.text(b"two\r\nlines");
        let [chunk, progress] = csv.end_row();
        assert!(
            chunk.is_none() && progress.is_none(),
            "a small file is sent at its end"
        );
        let [Piece::Bytes(bytes), Piece::Done(1)] = csv.finish() else {
            panic!("bytes, then one row done");
        };
        let text = String::from_utf8(bytes).unwrap();
        let (header, row) = text.split_once("\r\n").unwrap();
        assert!(header.starts_with("OrganizationID,OrganizationName,"));
        assert_eq!(
            row,
            "\"Shelter, \"\"North\"\" wing\",plain,,-12,1234.50,\"two\r\nlines\"\r\n"
        );
        let parsed: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(row.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            parsed[0][0], "Shelter, \"North\" wing",
            "a CSV reader reads back what was written"
        );
        assert_eq!(parsed[0][5], "two\r\nlines");
    }

    #[test]
    fn copied_csv_ends_its_rows_with_crlf_and_counts_them() {
        let reading = reading();
        let mut csv = Csv::new(spec::file("Organization.csv").unwrap(), &reading);
        let header_len = csv.bytes.len();
        let mut lines = Lines::default();
        // A quoted field with a line break, cut between two chunks; a doubled quote.
        for chunk in [&b"o1,\"North\nwing\",1\no2,\"Say \"\"hi"[..], b"\"\"\",0\n"] {
            let [chunk, progress] = csv.copied(chunk, &mut lines);
            assert!(chunk.is_none() && progress.is_none());
        }
        assert_eq!(
            &csv.bytes[header_len..],
            b"o1,\"North\nwing\",1\r\no2,\"Say \"\"hi\"\"\",0\r\n"
        );
        let [_, Piece::Done(2)] = csv.finish() else {
            panic!("two rows");
        };
        assert_eq!(
            pg_inline(
                "a = ? AND b IN (?, ?) AND c = ?",
                &[
                    Value::from("it's"),
                    Value::from(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
                    Value::Bool(Some(true)),
                    Value::Int(Some(7)),
                ]
            )
            .unwrap(),
            "a = 'it''s' AND b IN (DATE '2026-01-02', TRUE) AND c = 7"
        );
        assert!(pg_inline("a = ?", &[]).is_err(), "a value missing");
        assert!(
            pg_inline("a = 1", &[Value::Int(Some(1))]).is_err(),
            "a value left over"
        );
        assert!(pg_literal("a\0b").is_err());
    }

    #[test]
    fn dates_are_written_as_hud_writes_them() {
        let mut text = [0u8; 10];
        put_date(&mut text, NaiveDate::from_ymd_opt(987, 3, 4).unwrap());
        assert_eq!(&text, b"0987-03-04");
        put_date(&mut text, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(&text, b"2026-12-31");
    }
}
