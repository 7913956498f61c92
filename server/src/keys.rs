//! What the database holds sealed with the data key: binding a key to its database
//! (`Config::data_key_for`), and sealing it all again with a new key (`hearth
//! rotate-key`), which no server running since before may see.

use app::db::settings;
use app::features::access::second_factor;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement, Value};

use crate::config::{Config, ConfigError};

/// Whether anything in the database is sealed: an SSN or a two-step secret.
pub async fn has_sealed_values(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(first_sealed(db).await?.is_some())
}

/// Whether `key` opens what the database holds sealed (true when it holds nothing).
pub async fn opens_sealed_values(db: &DatabaseConnection, key: &app::crypto::DataKey) -> Result<bool, DbErr> {
    Ok(match first_sealed(db).await? {
        Some((sealed, id, value)) => key.open(&value, &(sealed.context)(&id)).is_ok(),
        None => true,
    })
}

/// The first sealed value the database holds, with its column and row.
async fn first_sealed(
    db: &DatabaseConnection,
) -> Result<Option<(&'static SealedColumn, String, String)>, DbErr> {
    for sealed in &SEALED {
        if let Some((id, value)) = Cursor::new(sealed, 1).next(db).await?.into_iter().next() {
            return Ok(Some((sealed, id, value)));
        }
    }
    Ok(None)
}

/// A serving Hearth says it is alive in `settings` (`server_alive:<id>`), so a command
/// that must not run beside a server (`hearth rotate-key`) can refuse.
pub struct Presence {
    db: DatabaseConnection,
    key: String,
    refresh: tokio::task::JoinHandle<()>,
}

impl Presence {
    /// Says this server is alive, now and every `SERVER_ALIVE_EVERY_SECONDS`.
    pub async fn announce(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let key = format!("{}{}", settings::SERVER_ALIVE_PREFIX, app::db::new_id());
        let now = chrono::Utc::now();
        settings::set(db, &key, &now.to_rfc3339(), now).await?;
        let refresh = tokio::spawn({
            let (db, key) = (db.clone(), key.clone());
            async move {
                let every = std::time::Duration::from_secs(settings::SERVER_ALIVE_EVERY_SECONDS);
                loop {
                    tokio::time::sleep(every).await;
                    let now = chrono::Utc::now();
                    if let Err(err) = settings::set(&db, &key, &now.to_rfc3339(), now).await {
                        tracing::warn!(error = %err, "this server's presence could not be written");
                    }
                }
            }
        });
        Ok(Presence {
            db: db.clone(),
            key,
            refresh,
        })
    }

    /// On a clean stop: this server is gone.
    pub async fn withdraw(self) {
        self.refresh.abort();
        if let Err(err) = settings::delete(&self.db, &self.key).await {
            tracing::warn!(error = %err, "this server's presence could not be removed");
        }
    }
}

/// How many seconds ago the most recently seen serving Hearth said it was alive, if
/// one did within `SERVER_ALIVE_STALE_SECONDS`.
pub async fn live_server(db: &impl ConnectionTrait) -> Result<Option<i64>, DbErr> {
    let now = chrono::Utc::now();
    let ages = settings::with_prefix(db, settings::SERVER_ALIVE_PREFIX)
        .await?
        .into_iter()
        .filter_map(|(_, at)| chrono::DateTime::parse_from_rfc3339(&at).ok())
        .map(|at| (now - at.with_timezone(&chrono::Utc)).num_seconds().max(0));
    Ok(ages
        .filter(|age| *age < settings::SERVER_ALIVE_STALE_SECONDS)
        .min())
}

/// A column of sealed values and how its values are bound to their row.
struct SealedColumn {
    table: &'static str,
    key: &'static str,
    column: &'static str,
    context: fn(&str) -> String,
}

/// Every column the data key seals.
const SEALED: [SealedColumn; 3] = [
    SealedColumn {
        table: "clients",
        key: "personal_id",
        column: "ssn_encrypted",
        context: app::crypto::ssn_context,
    },
    SealedColumn {
        table: "users",
        key: "user_id",
        column: "totp_secret",
        context: |id| second_factor::seal_context("totp_secret", id),
    },
    SealedColumn {
        table: "users",
        key: "user_id",
        column: "totp_pending_secret",
        context: |id| second_factor::seal_context("totp_pending_secret", id),
    },
];

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "the data key is configured (HEARTH_DATA_KEY or data_key in hearth.toml): a rotation writes the new key to a file, so keep the key in a file (--data-key-file) first; nothing was done"
    )]
    ConfiguredKey,
    #[error(
        "a Hearth server is serving this database (seen {seconds} s ago): stop every server, then run hearth rotate-key again"
    )]
    ServerRunning { seconds: i64 },
    #[error("the database could not be read or written: {0}")]
    Database(#[from] DbErr),
}

/// Where a rotation is: `looked_at` of `total` values of one column.
#[derive(Clone, Debug)]
pub struct RotationProgress {
    pub column: String,
    pub looked_at: u64,
    pub total: u64,
}

/// What a rotation did.
#[derive(Debug, Default)]
pub struct Rotation {
    /// A rotation stopped earlier (a crash, `kill -9`) was taken up again.
    pub resumed: bool,
    /// Values sealed again with the new key by this run.
    pub sealed_again: u64,
    /// Values already sealed with the new key (by an earlier run, or a server started
    /// during the rotation).
    pub already_new: u64,
    /// Values neither key opens (left as they were): how many, and the first rows.
    pub unreadable: u64,
    pub unreadable_rows: Vec<String>,
    /// Where the old key was kept, and where the new one is.
    pub old_key: Option<std::path::PathBuf>,
    pub key: std::path::PathBuf,
}

/// `hearth rotate-key`: seals every sealed value again with a new key, `batch` rows
/// per transaction. The new key is written (synced) to `<key file>.next` and its check
/// to the database before it seals anything; until the last batch is done every
/// command opens values with either key and seals with the new one, so a run stopped
/// anywhere (crash, `kill -9`) loses nothing and the next run takes it up again. At the
/// end the database's key check becomes the new key's, in one transaction, and the
/// files are swapped: the old key is kept beside it as `<key file>.old-<time>`.
/// Refused while a server that started before the rotation is serving.
pub async fn rotate(
    db: &DatabaseConnection,
    config: &Config,
    batch: usize,
    progress: &mut (dyn FnMut(&RotationProgress) + Send),
) -> Result<Rotation, RotateError> {
    if config.data_key.is_some() {
        return Err(RotateError::ConfiguredKey);
    }
    refuse_if_served(db).await?;
    let keys = config.database_keys(db).await?;
    let mut rotation = Rotation {
        key: config.data_key_path(),
        ..Default::default()
    };
    let next = match keys.next {
        Some(next) => {
            rotation.resumed = true;
            next
        }
        None => {
            // A new key file left by a run stopped before the database named it has
            // sealed nothing: a new one replaces it.
            let path = config.next_key_path();
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| ConfigError::DataKeyFile {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
            }
            let next = crate::config::create_key_file(&path)?;
            settings::set(
                db,
                settings::DATA_KEY_NEXT_CHECK,
                &next.check(),
                chrono::Utc::now(),
            )
            .await?;
            next
        }
    };
    // A server that started just before the rotation was named has only the old key.
    refuse_if_served(db).await?;
    for sealed in &SEALED {
        seal_again(
            db,
            sealed,
            &keys.current,
            &next,
            batch.max(1),
            &mut rotation,
            progress,
        )
        .await?;
    }
    refuse_if_served(db).await?;
    let now = chrono::Utc::now();
    let txn = app::db::begin_write(db).await?;
    settings::set(&txn, settings::DATA_KEY_CHECK, &next.check(), now).await?;
    settings::delete(&txn, settings::DATA_KEY_NEXT_CHECK).await?;
    app::db::audit::record(
        &txn,
        now,
        &app::db::audit::Actor::system("hearth rotate-key"),
        app::db::audit::Event::new("data_key.rotated").detail(format!(
            "{} values sealed again ({} already were, {} opened with neither key)",
            rotation.sealed_again, rotation.already_new, rotation.unreadable
        )),
    )
    .await?;
    txn.commit().await?;
    rotation.old_key = config.swap_key_files(now)?;
    Ok(rotation)
}

async fn refuse_if_served(db: &DatabaseConnection) -> Result<(), RotateError> {
    match live_server(db).await? {
        Some(seconds) => Err(RotateError::ServerRunning { seconds }),
        None => Ok(()),
    }
}

/// Reads a sealed column in key order, `batch` rows at a time.
struct Cursor<'a> {
    sealed: &'a SealedColumn,
    select: String,
    after: String,
}

impl<'a> Cursor<'a> {
    fn new(sealed: &'a SealedColumn, batch: usize) -> Self {
        let SealedColumn {
            table, key, column, ..
        } = sealed;
        Cursor {
            sealed,
            select: format!(
                "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL AND {key} > ? ORDER BY {key} LIMIT {}",
                batch.max(1)
            ),
            after: String::new(),
        }
    }

    /// The next rows as (key, sealed value); empty at the end.
    async fn next(&mut self, db: &DatabaseConnection) -> Result<Vec<(String, String)>, DbErr> {
        let rows = db
            .query_all_raw(app::db::statement(
                db.get_database_backend(),
                &self.select,
                vec![Value::from(self.after.clone())],
            ))
            .await?;
        let rows = rows
            .iter()
            .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
            .collect::<Result<Vec<(String, String)>, DbErr>>()?;
        if let Some((last, _)) = rows.last() {
            self.after = last.clone();
        }
        Ok(rows)
    }

    /// How many values the column holds.
    async fn total(&self, db: &DatabaseConnection) -> Result<u64, DbErr> {
        let SealedColumn { table, column, .. } = self.sealed;
        let total: i64 = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"),
            ))
            .await?
            .map(|row| row.try_get_by_index(0))
            .transpose()?
            .unwrap_or(0);
        Ok(u64::try_from(total).unwrap_or(0))
    }

    fn row_name(&self, id: &str) -> String {
        format!("{} {id}", self.sealed.table)
    }
}

/// How many rows a report names (the count is always whole).
const ROWS_NAMED: usize = 20;

/// Whether `key` opens every sealed value: how many it opens, how many it does not,
/// and the first rows it does not (after a restore, before anyone relies on it).
#[derive(Debug, Default)]
pub struct OpenCheck {
    pub opened: u64,
    pub not_opened: u64,
    pub rows: Vec<String>,
}

pub async fn open_all(db: &DatabaseConnection, key: &app::crypto::DataKey) -> Result<OpenCheck, DbErr> {
    let mut check = OpenCheck::default();
    for sealed in &SEALED {
        let mut cursor = Cursor::new(sealed, 2_000);
        loop {
            let rows = cursor.next(db).await?;
            if rows.is_empty() {
                break;
            }
            for (id, value) in rows {
                if key.open(&value, &(sealed.context)(&id)).is_ok() {
                    check.opened += 1;
                } else {
                    check.not_opened += 1;
                    if check.rows.len() < ROWS_NAMED {
                        check.rows.push(cursor.row_name(&id));
                    }
                }
            }
        }
    }
    Ok(check)
}

/// Seals one column's values again, in key order, `batch` rows per transaction; a
/// value changed meanwhile (by a server) is left as it now is.
async fn seal_again(
    db: &DatabaseConnection,
    sealed: &SealedColumn,
    current: &app::crypto::DataKey,
    next: &app::crypto::DataKey,
    batch: usize,
    rotation: &mut Rotation,
    progress: &mut (dyn FnMut(&RotationProgress) + Send),
) -> Result<(), RotateError> {
    let backend = db.get_database_backend();
    let SealedColumn {
        table, key, column, ..
    } = sealed;
    let mut cursor = Cursor::new(sealed, batch);
    let mut at = RotationProgress {
        column: format!("{table}.{column}"),
        looked_at: 0,
        total: cursor.total(db).await?,
    };
    loop {
        let rows = cursor.next(db).await?;
        if rows.is_empty() {
            break;
        }
        let mut changes: Vec<Value> = Vec::new();
        for (id, value) in &rows {
            let context = (sealed.context)(id);
            if next.open(value, &context).is_ok() {
                rotation.already_new += 1;
            } else if let Ok(plain) = current.open(value, &context) {
                let again = next.seal(&plain, &context);
                changes.extend([
                    Value::from(id.clone()),
                    Value::from(value.clone()),
                    Value::from(again),
                ]);
            } else {
                rotation.unreadable += 1;
                if rotation.unreadable_rows.len() < ROWS_NAMED {
                    rotation.unreadable_rows.push(cursor.row_name(id));
                }
            }
        }
        if !changes.is_empty() {
            let tuples = vec!["(?, ?, ?)"; changes.len() / 3].join(", ");
            let sql = format!(
                "WITH v(id, old, new) AS (VALUES {tuples}) UPDATE {table} SET {column} = v.new FROM v \
                 WHERE {table}.{key} = v.id AND {table}.{column} = v.old"
            );
            let txn = app::db::begin_write(db).await?;
            let done = txn
                .execute_raw(app::db::statement(backend, &sql, changes))
                .await?;
            txn.commit().await?;
            rotation.sealed_again += done.rows_affected();
        }
        at.looked_at += rows.len() as u64;
        progress(&at);
        crate::jobs::test_pace();
    }
    Ok(())
}
