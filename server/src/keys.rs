//! What the database holds sealed with the data key, for binding a key to its database
//! (`Config::data_key_for`).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// Whether anything in the database is sealed: an SSN or a two-step secret.
pub async fn has_sealed_values(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(first_sealed_ssn(db).await?.is_some() || first_sealed_secret(db).await?.is_some())
}

/// Whether `key` opens what the database holds sealed (true when it holds nothing).
pub async fn opens_sealed_values(db: &DatabaseConnection, key: &app::crypto::DataKey) -> Result<bool, DbErr> {
    if let Some((personal_id, sealed)) = first_sealed_ssn(db).await? {
        return Ok(key.open(&sealed, &app::crypto::ssn_context(&personal_id)).is_ok());
    }
    if let Some((user_id, sealed)) = first_sealed_secret(db).await? {
        return Ok(app::features::access::second_factor::opens_secret(
            key, &user_id, &sealed,
        ));
    }
    Ok(true)
}

async fn first_sealed_ssn(db: &DatabaseConnection) -> Result<Option<(String, String)>, DbErr> {
    first_pair(
        db,
        "SELECT personal_id, ssn_encrypted FROM clients WHERE ssn_encrypted IS NOT NULL LIMIT 1",
    )
    .await
}

async fn first_sealed_secret(db: &DatabaseConnection) -> Result<Option<(String, String)>, DbErr> {
    first_pair(
        db,
        "SELECT user_id, totp_secret FROM users WHERE totp_secret IS NOT NULL LIMIT 1",
    )
    .await
}

async fn first_pair(db: &DatabaseConnection, sql: &str) -> Result<Option<(String, String)>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await?;
    row.map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .transpose()
}
