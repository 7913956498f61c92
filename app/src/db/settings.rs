//! CoC-wide settings stored as key/value rows in `settings`.

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

/// The CoC's display name.
pub const COC_NAME: &str = "coc_name";

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
