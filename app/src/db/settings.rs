//! CoC-wide settings stored as key/value rows in `settings`.

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

use crate::domain::access::Workgroup;
use crate::domain::enrollment::DEFAULT_CE_EXITERS;

/// The CoC's display name.
pub const COC_NAME: &str = "coc_name";

/// The workgroups that may exit CE enrollments now.
pub async fn ce_exiters(db: &impl ConnectionTrait) -> Result<Vec<Workgroup>, DbErr> {
    let stored = get(db, CE_EXIT_WORKGROUPS).await?;
    Ok(match stored {
        None => DEFAULT_CE_EXITERS.to_vec(),
        Some(codes) => codes
            .split(',')
            .filter_map(|c| Workgroup::from_code(c.trim()))
            .collect(),
    })
}

/// Reads one setting.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "SELECT value FROM settings WHERE key = $1",
        _ => "SELECT value FROM settings WHERE key = ?",
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [Value::from(key)]))
        .await?;
    row.map(|r| r.try_get::<String>("", "value")).transpose()
}

/// Writes one setting (inserted or replaced).
pub async fn set(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at"
        }
        _ => {
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(key), Value::from(value), Value::from(now)],
    ))
    .await?;
    Ok(())
}

/// Removes one setting.
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "DELETE FROM settings WHERE key = $1",
        _ => "DELETE FROM settings WHERE key = ?",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [Value::from(key)]))
        .await?;
    Ok(())
}

/// Every setting whose name starts with `prefix`, as (name, value) (the table holds a
/// few dozen rows: they are filtered here, where `_` and `%` mean themselves).
pub async fn with_prefix(db: &impl ConnectionTrait, prefix: &str) -> Result<Vec<(String, String)>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT key, value FROM settings ORDER BY key",
        ))
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let key: String = row.try_get("", "key")?;
        if key.starts_with(prefix) {
            found.push((key, row.try_get("", "value")?));
        }
    }
    Ok(found)
}

/// The workgroups that may exit Coordinated Entry enrollments (codes, comma-separated).
pub const CE_EXIT_WORKGROUPS: &str = "ce_exit_workgroups";

/// This installation's HMIS CSV ImplementationID: the same in every export.
pub const IMPLEMENTATION_ID: &str = "implementation_id";

/// The check of the data key this database's sealed values are sealed with
/// (`DataKey::check`): never the key.
pub const DATA_KEY_CHECK: &str = "data_key_check";

/// During a key rotation (`hearth rotate-key`): the check of the key the values are
/// being sealed again with. Gone once the rotation is finished.
pub const DATA_KEY_NEXT_CHECK: &str = "data_key_next_check";

/// Settings named `server_alive:<worker>` say when a serving Hearth was last seen
/// (written every [`SERVER_ALIVE_EVERY_SECONDS`], removed on a clean stop).
pub const SERVER_ALIVE_PREFIX: &str = "server_alive:";
pub const SERVER_ALIVE_EVERY_SECONDS: u64 = 20;
/// A server not seen for this long is taken as stopped.
pub const SERVER_ALIVE_STALE_SECONDS: i64 = 60;

/// Reads a setting, storing `make()` first when it has none (concurrent callers agree:
/// the first insert wins).
pub async fn get_or_create(
    db: &impl ConnectionTrait,
    key: &str,
    make: impl FnOnce() -> String,
) -> Result<String, DbErr> {
    if let Some(value) = get(db, key).await? {
        return Ok(value);
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
        }
        _ => "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::from(key), Value::from(make())],
    ))
    .await?;
    get(db, key)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("setting {key}")))
}
