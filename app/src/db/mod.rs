//! Database access (server only): connecting with safe settings, write transactions,
//! and small queries shared by features.

pub mod annual;
pub mod audit;
pub mod entities;
pub mod lease;
pub mod settings;
pub mod stale;
pub mod visibility;
pub mod zone;

/// A new record ID: a UUID v7 (time-ordered) as 32 hex digits, which is also a valid
/// HUD CSV ID (S32).
/// The UserID of records Hearth makes by itself (demo data, jobs): an account nobody can
/// sign in to, created by the HUD model migration. Exports write it where a record has
/// no user, as HUD requires a UserID on every record.
pub const SYSTEM_USER_ID: &str = "hearth-system";

pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, IsolationLevel, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

/// Why the database could not be opened. The message never contains a password.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedScheme(String),
    #[error("cannot open database {url}: {source}")]
    Open { url: String, source: DbErr },
}

/// How long a request waits for a free database connection before it is answered
/// "busy" (503 with Retry-After) instead of queueing on: the bound on the queue.
pub const POOL_WAIT: Duration = Duration::from_secs(5);

/// How long a writer waits for SQLite's lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens the database at `url`.
///
/// SQLite runs in WAL mode with `synchronous=FULL` and foreign keys on (an HMIS must
/// not lose a committed exit on power loss); PostgreSQL gets a connection pool.
pub async fn connect(url: &str) -> Result<DatabaseConnection, ConnectError> {
    let shown = redact_url(url);
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(POOL_WAIT);
    if url.starts_with("sqlite:") {
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| {
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .create_if_missing(true)
            });
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        options.max_connections(20).min_connections(1);
    } else {
        return Err(ConnectError::UnsupportedScheme(shown));
    }
    let db = Database::connect(options)
        .await
        .map_err(|source| ConnectError::Open {
            url: shown.clone(),
            source,
        })?;
    // Connecting is lazy for some drivers: make sure the database really answers.
    db.ping()
        .await
        .map_err(|source| ConnectError::Open { url: shown, source })?;
    Ok(db)
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Starts a transaction for a user action that writes. On SQLite it takes the write
/// lock at once (`BEGIN IMMEDIATE`), so two writers never deadlock upgrading a read.
/// Inside a transaction it is a savepoint of it.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Starts a read-only transaction that sees one snapshot for all its statements (on
/// PostgreSQL repeatable read; a SQLite read transaction is one snapshot already), for
/// a page that reads kept rows beside the marks of those that are stale.
pub async fn begin_read(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly))
                .await
        }
        _ => db.begin().await,
    }
}

/// IDs bound per `IN (…)` lookup: well under both databases' limits on bound values
/// (SQLite 32,766, PostgreSQL 65,535), large enough that a report's lookups stay few.
pub const IN_CHUNK: usize = 500;

/// `?, ?, …`: the placeholders of an `IN (…)` list of `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `rows` in one `INSERT` (nothing when there are none).
pub async fn insert_all<A>(txn: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    if !rows.is_empty() {
        <A::Entity as sea_orm::EntityTrait>::insert_many(rows)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// A statement written with `?` placeholders, numbered `$1…` for PostgreSQL.
pub fn statement(backend: DatabaseBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    numbered.push_str(&format!("${n}"));
                } else {
                    numbered.push(ch);
                }
            }
            numbered
        }
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Refreshes the query planner's statistics after a bulk load (demo data, an import, a
/// copy): until then PostgreSQL may plan searches over a million clients as if the
/// tables were empty (hundreds of milliseconds instead of a few). On PostgreSQL it
/// also vacuums, which marks the loaded pages all-visible: until autovacuum gets there
/// every count and index-only read visits the table too (the priority list's count at
/// 1,000,000 clients: 18 ms before, 2 ms after). Not in a transaction. SQLite's
/// `PRAGMA optimize` does the same where it helps.
pub async fn refresh_statistics(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM (ANALYZE)",
        _ => "PRAGMA optimize",
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// "SQLite" or "PostgreSQL", for people.
pub fn backend_name(db: &impl ConnectionTrait) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => "SQLite",
        DatabaseBackend::Postgres => "PostgreSQL",
        DatabaseBackend::MySql => "MySQL",
        _ => "unknown",
    }
}

/// How many rows `table` holds.
pub async fn row_count(db: &impl ConnectionTrait, table: &str) -> Result<u64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT count(*) FROM \"{table}\""),
        ))
        .await?;
    let n: i64 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// How many schema migrations have been applied.
pub async fn migrations_applied(db: &impl ConnectionTrait) -> Result<u32, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("seaql_migrations".into()))?;
    let n: i64 = row.try_get("", "n")?;
    u32::try_from(n).map_err(|e| DbErr::Custom(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_are_numbered() {
        let st = statement(
            DatabaseBackend::Postgres,
            "a = ? AND b IN (?, ?)",
            vec![1.into(), 2.into(), 3.into()],
        );
        assert_eq!(st.sql, "a = $1 AND b IN ($2, $3)");
        let st = statement(DatabaseBackend::Sqlite, "a = ?", vec![1.into()]);
        assert_eq!(st.sql, "a = ?");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://hearth:s3cret@db.internal:5432/hearth"),
            "postgres://hearth:***@db.internal:5432/hearth"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            redact_url("sqlite://data/hearth.db?mode=rwc"),
            "sqlite://data/hearth.db?mode=rwc"
        );
    }

    #[tokio::test]
    async fn unknown_schemes_are_refused_with_a_clear_message() {
        let err = connect("mysql://root:pw@localhost/x").await.unwrap_err();
        assert!(matches!(err, ConnectError::UnsupportedScheme(_)));
        assert!(err.to_string().contains("mysql://root:***@localhost/x"));
    }
}
