//! Writing checked rows: one multi-row `INSERT … ON CONFLICT (key) DO UPDATE` per batch
//! (rows whose IDs exist are updated in place, so importing an export twice changes
//! nothing), stage-dated rows hung off their assessment event, SSNs sealed, clients
//! given their name search keys, users made as accounts that cannot sign in.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, Value};
use sha2::{Digest, Sha256};

use super::cells::{self, Cell};
use crate::hmis_csv::spec::{self, Kind};

/// Bind parameters per INSERT, under SQLite's 32,766 and PostgreSQL's 65,535.
pub(super) const MAX_PARAMS: usize = 30_000;
/// Each imported record's source (`keys`).
const SOURCE_COLUMN: &str = "import_source_id";
/// Files whose rows hang off an assessment event (enrollment, stage, information date).
const STAGE_FILES: [&str; 5] = [
    "IncomeBenefits.csv",
    "HealthAndDV.csv",
    "EmploymentEducation.csv",
    "Disabilities.csv",
    "YouthEducationStatus.csv",
];

fn cell<'a>(cells: &'a [Cell], file: &spec::File, column: &str) -> Option<&'a Cell> {
    file.columns
        .iter()
        .position(|c| c.name == column)
        .map(|i| &cells[i])
}

fn text(cells: &[Cell], file: &spec::File, column: &str) -> Option<String> {
    cell(cells, file, column)?.text().map(str::to_string)
}

/// A timestamp column's value (the epoch when empty: required columns never are).
fn timestamp(cells: &[Cell], file: &spec::File, column: &str) -> DateTime<Utc> {
    match cell(cells, file, column) {
        Some(Cell::Timestamp(t)) => *t,
        _ => DateTime::default(),
    }
}

/// A timestamp column's value, if any.
fn optional_timestamp(cells: &[Cell], file: &spec::File, column: &str) -> Option<DateTime<Utc>> {
    match cell(cells, file, column) {
        Some(Cell::Timestamp(t)) => Some(*t),
        _ => None,
    }
}

fn value(cell: &Cell, column: &spec::Column, table: &str) -> Value {
    let boolean = table == "organizations" && column.db_column.as_deref() == Some("victim_service_provider");
    match (cell, column.kind) {
        (Cell::Integer(n), _) if boolean => Value::Bool(Some(*n == 1)),
        (Cell::Null, _) if boolean => Value::Bool(Some(false)),
        (Cell::Text(t), _) => Value::String(Some(t.clone())),
        (Cell::Integer(n), _) => Value::Int(Some(*n)),
        (Cell::Date(d), _) => Value::ChronoDate(Some(*d)),
        (Cell::Timestamp(t), _) => Value::ChronoDateTimeUtc(Some(*t)),
        (Cell::Money(m), _) => Value::Double(Some(*m)),
        (Cell::Null, Kind::Integer) => Value::Int(None),
        (Cell::Null, Kind::Date) => Value::ChronoDate(None),
        (Cell::Null, Kind::Timestamp) => Value::ChronoDateTimeUtc(None),
        (Cell::Null, Kind::Money) => Value::Double(None),
        (Cell::Null, Kind::Text) => Value::String(None),
    }
}

/// The assessment event a stage-dated row belongs to: derived from (enrollment,
/// stage, information date), so re-imports find the same one.
fn assessment_event_id(enrollment_id: &str, stage: i32, date: NaiveDate) -> String {
    let digest = Sha256::digest(format!("{enrollment_id}|{stage}|{date}").as_bytes());
    hex(&digest[..16])
}

/// Lower-case hex digits of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// Writes checked rows of `file` (cells in the spec's column order). A row whose record
/// Hearth holds with a later DateUpdated (changed in Hearth since, or an older export
/// imported after a newer one) leaves Hearth's copy as it is: answers how many did.
pub(super) async fn write_batch(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    table: &str,
    batch: &[&[Cell]],
    source: Option<i32>,
    data_key: &app::crypto::DataKey,
) -> Result<u64, DbErr> {
    if batch.is_empty() {
        return Ok(0);
    }
    if file.name == "User.csv" {
        write_users(txn, file, batch, source).await?;
        return Ok(0);
    }
    let updated_at = file.column("DateUpdated").and_then(|c| c.db_column.clone());
    let mut kept_newer = 0;
    let kept: Vec<&spec::Column> = file.columns.iter().filter(|c| c.db_column.is_some()).collect();
    let stage_file = STAGE_FILES.contains(&file.name.as_str());
    let mut columns: Vec<String> = kept.iter().filter_map(|c| c.db_column.clone()).collect();
    let mut events: Vec<[Value; 6]> = Vec::new();
    if stage_file {
        columns.push("assessment_event_id".into());
    }
    // SSNs are sealed to their client; the last four digits are kept for search.
    let ssn_at = (file.name == "Client.csv")
        .then(|| kept.iter().position(|c| c.name == "SSN"))
        .flatten();
    if ssn_at.is_some() {
        columns.push("ssn_last4".into());
    }
    // Clients get their name search keys (what client search and dedup look up).
    let client_file = file.name == "Client.csv";
    if client_file {
        columns.push("first_name_key".into());
        columns.push("last_name_key".into());
    }
    // The system the records came from (kept as it was for Hearth's own export).
    if source.is_some() {
        columns.push(SOURCE_COLUMN.into());
    }
    let key = file.key_column().unwrap_or_default();
    let rows_per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let not_newer = updated_at
        .as_deref()
        .map(|at| not_newer(txn.get_database_backend(), table, at));
    let conflict = Conflict::Update {
        key,
        only_if: not_newer.as_deref(),
    };
    for chunk in batch.chunks(rows_per_statement) {
        let mut rows = Vec::with_capacity(chunk.len());
        for &cells in chunk {
            let mut values: Vec<Value> = file
                .columns
                .iter()
                .zip(cells)
                .filter(|(c, _)| c.db_column.is_some())
                .map(|(c, cell)| value(cell, c, table))
                .collect();
            if let Some(at) = ssn_at {
                let personal_id = text(cells, file, "PersonalID").unwrap_or_default();
                let ssn = text(cells, file, "SSN");
                values[at] = Value::String(
                    ssn.as_ref()
                        .map(|s| data_key.seal(s.as_bytes(), &app::crypto::ssn_context(&personal_id))),
                );
                // The last four characters, as the app keeps them ('x' for an unknown
                // digit); a hashed SSN has none.
                values.push(Value::String(ssn.filter(|s| !cells::is_hash(s)).and_then(|s| {
                    let chars: Vec<char> = s.chars().collect();
                    (chars.len() >= 4).then(|| chars[chars.len() - 4..].iter().collect())
                })));
            }
            if client_file {
                for name in ["FirstName", "LastName"] {
                    let key = text(cells, file, name).map(|n| app::domain::dedup::search_key(&n));
                    values.push(Value::String(key));
                }
            }
            if stage_file {
                let enrollment = text(cells, file, "EnrollmentID").unwrap_or_default();
                let personal = text(cells, file, "PersonalID").unwrap_or_default();
                let stage = match cell(cells, file, "DataCollectionStage") {
                    Some(Cell::Integer(n)) => *n,
                    _ => 0,
                };
                let date = match cell(cells, file, "InformationDate") {
                    Some(Cell::Date(d)) => *d,
                    _ => NaiveDate::default(),
                };
                let id = assessment_event_id(&enrollment, stage, date);
                events.push([
                    Value::String(Some(id.clone())),
                    Value::String(Some(enrollment)),
                    Value::String(Some(personal)),
                    Value::Int(Some(stage)),
                    Value::ChronoDate(Some(date)),
                    Value::ChronoDateTimeUtc(Some(timestamp(cells, file, "DateCreated").max(timestamp(
                        cells,
                        file,
                        "DateUpdated",
                    )))),
                ]);
                values.push(Value::String(Some(id)));
            }
            if source.is_some() {
                values.push(Value::Int(source));
            }
            rows.push(values);
        }
        if stage_file && !events.is_empty() {
            write_events(txn, &mut events).await?;
        }
        let written = upsert(txn, table, &columns, rows, &conflict).await?;
        kept_newer += (chunk.len() as u64).saturating_sub(written);
    }
    Ok(kept_newer)
}

/// The FY2024 elements FY2026 retired (`domain::retired`) of a batch's clients or
/// enrollments: (the record's Hearth ID, its elements as a JSON object), replaced by
/// the latest import's.
pub(super) async fn write_retired(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    rows: Vec<(String, String)>,
    version: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (table, key) = match file.name.as_str() {
        "Client.csv" => ("retired_client_elements", "personal_id"),
        "Enrollment.csv" => ("retired_enrollment_elements", "enrollment_id"),
        _ => return Ok(()),
    };
    let columns: Vec<String> = [key, "csv_version", "elements", "updated_at"]
        .map(String::from)
        .into();
    let rows = rows
        .into_iter()
        .map(|(id, elements)| {
            vec![
                Value::from(id),
                Value::from(version.to_string()),
                Value::from(elements),
                Value::ChronoDateTimeUtc(Some(now)),
            ]
        })
        .collect();
    upsert(
        txn,
        table,
        &columns,
        rows,
        &Conflict::Update { key, only_if: None },
    )
    .await?;
    Ok(())
}

/// What a row whose key exists does.
enum Conflict<'a> {
    /// Leaves the existing row as it is.
    Nothing { key: &'a str },
    /// Overwrites every other column, where the condition (SQL) holds if there is one.
    Update { key: &'a str, only_if: Option<&'a str> },
}

/// Writes `rows` (values in the order of `columns`) in one `INSERT … ON CONFLICT`;
/// answers how many rows it inserted or updated. PostgreSQL gets the rows as one JSON
/// parameter read by `json_populate_recordset`: one short statement to parse and plan
/// whatever the batch's size, instead of ~15,000 bound values. SQLite binds each value.
async fn upsert(
    txn: &impl ConnectionTrait,
    table: &str,
    columns: &[String],
    rows: Vec<Vec<Value>>,
    conflict: &Conflict<'_>,
) -> Result<u64, DbErr> {
    if rows.is_empty() {
        return Ok(0);
    }
    let backend = txn.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Postgres {
        let action = match conflict {
            Conflict::Nothing { key } => format!("(\"{key}\") DO NOTHING"),
            Conflict::Update { key, only_if } => {
                let set = columns
                    .iter()
                    .filter(|c| c.as_str() != *key)
                    .map(|c| format!("\"{c}\" = excluded.\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let only_if = only_if.map(|w| format!(" WHERE {w}")).unwrap_or_default();
                format!("(\"{key}\") DO UPDATE SET {set}{only_if}")
            }
        };
        let sql = format!("{} ON CONFLICT {action}", json_insert(table, columns));
        let json = json_rows(columns, &rows);
        let statement = sea_orm::Statement::from_sql_and_values(backend, sql, [Value::from(json)]);
        return Ok(txn.execute_raw(statement).await?.rows_affected());
    }
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.iter().map(Alias::new));
    for values in rows {
        insert.values_panic(values.into_iter().map(Into::into));
    }
    let on_conflict = match conflict {
        Conflict::Nothing { key } => OnConflict::column(Alias::new(*key)).do_nothing().to_owned(),
        Conflict::Update { key, only_if } => {
            let update = columns.iter().filter(|c| c.as_str() != *key).map(Alias::new);
            let mut on_conflict = OnConflict::column(Alias::new(*key))
                .update_columns(update)
                .to_owned();
            if let Some(only_if) = only_if {
                on_conflict.action_and_where(Expr::cust(only_if.to_string()));
            }
            on_conflict
        }
    };
    insert.on_conflict(on_conflict);
    Ok(txn.execute(&insert).await?.rows_affected())
}

/// PostgreSQL's `INSERT` of `columns` into `table` from the rows of one JSON parameter
/// ([`json_rows`]), cast into the columns' types by `json_populate_recordset`.
pub(crate) fn json_insert(table: &str, columns: &[String]) -> String {
    let names = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO \"{table}\" ({names}) SELECT {names} FROM json_populate_recordset(NULL::\"{table}\", $1::json)"
    )
}

/// The rows as a JSON array of objects keyed by column, as `json_populate_recordset`
/// reads them (timestamps in RFC 3339, dates as `YYYY-MM-DD`).
pub(crate) fn json_rows(columns: &[String], rows: &[Vec<Value>]) -> String {
    let keys: Vec<Vec<u8>> = columns
        .iter()
        .map(|c| serde_json::to_vec(c).unwrap_or_default())
        .collect();
    let mut out: Vec<u8> = Vec::with_capacity(rows.len() * columns.len() * 24);
    out.push(b'[');
    for (i, values) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        for (j, (key, value)) in keys.iter().zip(values).enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            out.push(b':');
            json_value(&mut out, value);
        }
        out.push(b'}');
    }
    out.push(b']');
    // Only valid UTF-8 went in: strings through serde_json, the rest ASCII.
    String::from_utf8(out).unwrap_or_default()
}

fn json_value(out: &mut Vec<u8>, value: &Value) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = match value {
        Value::String(Some(s)) => serde_json::to_writer(&mut *out, s).map_err(std::io::Error::other),
        Value::Int(Some(n)) => write!(out, "{n}"),
        Value::BigInt(Some(n)) => write!(out, "{n}"),
        Value::Bool(Some(b)) => write!(out, "{b}"),
        Value::Double(Some(d)) if d.is_finite() => write!(out, "{d}"),
        Value::ChronoDate(Some(d)) => write!(out, "\"{}\"", d.format("%Y-%m-%d")),
        Value::ChronoDateTimeUtc(Some(t)) => write!(out, "\"{}\"", t.to_rfc3339()),
        _ => write!(out, "null"),
    };
}

/// Hearth's copy of a record is not newer than the imported row: its `updated_at` is
/// empty, or less than a second later (exports write whole seconds; Hearth keeps finer).
fn not_newer(backend: sea_orm::DatabaseBackend, table: &str, updated_at: &str) -> String {
    let (hearths, imported) = (
        format!("\"{table}\".\"{updated_at}\""),
        format!("excluded.\"{updated_at}\""),
    );
    match backend {
        sea_orm::DatabaseBackend::Postgres => {
            format!("{hearths} IS NULL OR {hearths} < {imported} + interval '1 second'")
        }
        _ => format!("{hearths} IS NULL OR julianday({hearths}) < julianday({imported}) + 1.0 / 86400"),
    }
}

async fn write_events(txn: &impl ConnectionTrait, events: &mut Vec<[Value; 6]>) -> Result<(), DbErr> {
    let columns: Vec<String> = [
        "assessment_event_id",
        "enrollment_id",
        "personal_id",
        "data_collection_stage",
        "information_date",
        "created_at",
        "updated_at",
    ]
    .map(String::from)
    .into();
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(events.len());
    for [id, enrollment, personal, stage, date, at] in events.drain(..) {
        let first = match &id {
            Value::String(Some(id)) => seen.insert(id.clone()),
            _ => true,
        };
        if first {
            rows.push(vec![id, enrollment, personal, stage, date, at.clone(), at]);
        }
    }
    let conflict = Conflict::Nothing {
        key: "assessment_event_id",
    };
    upsert(txn, "assessment_events", &columns, rows, &conflict).await?;
    Ok(())
}

/// User.csv: the people behind UserIDs. New ones become accounts that cannot sign in
/// (inactive, no password) until an admin sets them up; existing ones get their name
/// and email updated, never their credentials. Hearth's own system user (the UserID of
/// records made by no one, in every Hearth export) stays as it is.
async fn write_users(
    txn: &impl ConnectionTrait,
    file: &spec::File,
    batch: &[&[Cell]],
    source: Option<i32>,
) -> Result<(), DbErr> {
    for &cells in batch {
        let Some(user_id) = text(cells, file, "UserID") else {
            continue;
        };
        if user_id == app::db::SYSTEM_USER_ID {
            continue;
        }
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("users"))
            .columns([
                Alias::new(SOURCE_COLUMN),
                Alias::new("user_id"),
                Alias::new("username"),
                Alias::new("first_name"),
                Alias::new("last_name"),
                Alias::new("email"),
                Alias::new("phone"),
                Alias::new("phone_extension"),
                Alias::new("date_deleted"),
                Alias::new("password_hash"),
                Alias::new("is_active"),
                Alias::new("must_change_password"),
                Alias::new("failed_logins"),
                Alias::new("created_at"),
                Alias::new("updated_at"),
            ])
            .values_panic([
                source.into(),
                user_id.clone().into(),
                format!("hmis-{user_id}").into(),
                text(cells, file, "UserFirstName").unwrap_or_default().into(),
                text(cells, file, "UserLastName").unwrap_or_default().into(),
                text(cells, file, "UserEmail").into(),
                text(cells, file, "UserPhone").into(),
                text(cells, file, "UserExtension").into(),
                optional_timestamp(cells, file, "DateDeleted").into(),
                app::features::access::service::NO_PASSWORD.into(),
                false.into(),
                true.into(),
                0.into(),
                timestamp(cells, file, "DateCreated").into(),
                timestamp(cells, file, "DateUpdated").into(),
            ])
            .on_conflict(
                OnConflict::column(Alias::new("user_id"))
                    .update_columns([
                        Alias::new("first_name"),
                        Alias::new("last_name"),
                        Alias::new("email"),
                        Alias::new("phone"),
                        Alias::new("phone_extension"),
                        Alias::new("date_deleted"),
                        Alias::new("created_at"),
                        Alias::new("updated_at"),
                    ])
                    .to_owned(),
            );
        txn.execute(&insert).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_escape_text_and_write_what_postgresql_reads() {
        let columns = ["name", "n", "ok", "amount", "day", "at", "gone"].map(String::from);
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).expect("a date");
        let at = day.and_hms_opt(2, 30, 0).expect("a time").and_utc();
        let rows = vec![vec![
            Value::from("Ann \"Nan\" O\\Neil\n\u{1}é"),
            Value::Int(Some(-7)),
            Value::Bool(Some(true)),
            Value::Double(Some(12.5)),
            Value::ChronoDate(Some(day)),
            Value::ChronoDateTimeUtc(Some(at)),
            Value::String(None),
        ]];
        let json = json_rows(&columns, &rows);
        let back: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(
            back,
            serde_json::json!([{
                "name": "Ann \"Nan\" O\\Neil\n\u{1}é",
                "n": -7,
                "ok": true,
                "amount": 12.5,
                "day": "2026-03-08",
                "at": "2026-03-08T02:30:00+00:00",
                "gone": null,
            }])
        );
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }
}
