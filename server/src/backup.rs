//! `hearth backup` and `hearth restore`: a consistent copy of a live database, and
//! putting one back into a new, empty database.
//!
//! SQLite is copied with `VACUUM INTO` (one read transaction: writers go on, the copy
//! is the database as of one moment, compacted). PostgreSQL is copied by `pg_dump`
//! (custom format, one snapshot) and put back by `pg_restore` in one transaction. The
//! data key is never in a backup, only its check (in `settings`): a restore is refused
//! with any other key, and every sealed value is opened once before it says done.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::with_suffix;
use app::crypto::DataKey;
use app::db::settings;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// What a backup file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite database file (`VACUUM INTO`).
    Sqlite,
    /// A `pg_dump --format=custom` archive.
    PgDump,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Sqlite => "SQLite database",
            Kind::PgDump => "PostgreSQL archive (pg_dump)",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: a backup never overwrites a file, give a new name")]
    Exists(String),
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("the database could not be read or written: {0}")]
    Database(#[from] DbErr),
    #[error("the database could not be opened: {0}")]
    Connect(#[from] app::db::ConnectError),
    #[error("{program} failed: {message}")]
    Tool { program: &'static str, message: String },
    #[error("{0} is neither a SQLite backup nor a pg_dump archive")]
    UnknownFormat(String),
    #[error(
        "{path} is a {kind}: restore it into a {wanted} database (moving between SQLite and PostgreSQL is described in docs/OPERATIONS.md); nothing was done"
    )]
    WrongTarget {
        path: String,
        kind: &'static str,
        wanted: &'static str,
    },
    #[error("the database {0} is not empty: restore only into a new, empty database; nothing was done")]
    NotEmpty(String),
    #[error(
        "the backup's SSNs and secrets are sealed with a data key that is not at {place}: put the key kept with the backup there (or point --data-key-file to it); nothing was done"
    )]
    MissingKey { place: String },
    #[error(
        "the data key at {place} is not the one this backup's SSNs and secrets are sealed with: use the key kept with the backup; nothing was done"
    )]
    WrongKey { place: String },
}

fn file_error(path: &Path, err: impl std::fmt::Display) -> BackupError {
    BackupError::File {
        path: path.display().to_string(),
        message: err.to_string(),
    }
}

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupSummary {
    pub kind: Kind,
    pub bytes: u64,
    /// The check of the key its sealed values need (`None`: nothing sealed yet).
    pub key_check: Option<String>,
}

/// Writes a consistent copy of the database at `database_url` to `out` (a new file),
/// while it serves. Written beside `out` first and renamed when whole.
pub async fn backup(database_url: &str, out: &Path) -> Result<BackupSummary, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let partial = with_suffix(out, ".partial");
    if partial.exists() {
        // Left by a backup that stopped: never a whole backup.
        std::fs::remove_file(&partial).map_err(|e| file_error(&partial, e))?;
    }
    let kind = if is_sqlite(database_url) {
        let file = sqlite_file(database_url)?;
        if !file.exists() {
            return Err(file_error(&file, "there is no database here"));
        }
        let db = app::db::connect(database_url).await?;
        let target = partial.display().to_string().replace('\'', "''");
        let copied = db.execute_unprepared(&format!("VACUUM INTO '{target}'")).await;
        db.close().await?;
        copied?;
        Kind::Sqlite
    } else {
        let pg = PgTarget::parse(database_url);
        let mut dump = Command::new("pg_dump");
        dump.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
            .arg(&partial);
        run_tool("pg_dump", pg.apply(dump)).await?;
        Kind::PgDump
    };
    let key_check = match key_check_of(&partial, kind).await {
        Ok(check) => check,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    put_in_place(&partial, out)?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackupSummary {
        kind,
        bytes,
        key_check,
    })
}

/// What a restore put back.
#[derive(Debug)]
pub struct RestoreSummary {
    pub kind: Kind,
    pub key_check: Option<String>,
}

/// Puts the backup `from` into the new, empty database at `database_url`, after
/// checking that `key` (found at `place`) is the one its sealed values need. The
/// caller migrates the database afterwards (a backup of an older Hearth) and opens
/// its sealed values ([`crate::keys::open_all`]).
pub async fn restore(
    database_url: &str,
    from: &Path,
    key: Option<&DataKey>,
    place: &str,
) -> Result<RestoreSummary, BackupError> {
    let kind = kind_of(from)?;
    let wanted = match kind {
        Kind::Sqlite if !is_sqlite(database_url) => Some("SQLite"),
        Kind::PgDump if is_sqlite(database_url) => Some("PostgreSQL"),
        _ => None,
    };
    if let Some(wanted) = wanted {
        return Err(BackupError::WrongTarget {
            path: from.display().to_string(),
            kind: kind.label(),
            wanted,
        });
    }
    let key_check = key_check_of(from, kind).await?;
    match (&key_check, key) {
        (Some(check), Some(key)) if key.check() == *check => {}
        (Some(_), Some(_)) => return Err(BackupError::WrongKey { place: place.into() }),
        (Some(_), None) => return Err(BackupError::MissingKey { place: place.into() }),
        (None, _) => {}
    }
    match kind {
        Kind::Sqlite => restore_sqlite(database_url, from).await?,
        Kind::PgDump => {
            refuse_if_not_empty(database_url, &app::db::redact_url(database_url)).await?;
            let mut put_back = Command::new("pg_restore");
            put_back
                .args([
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                ])
                .arg(from);
            run_tool("pg_restore", PgTarget::parse(database_url).apply(put_back)).await?;
        }
    }
    Ok(RestoreSummary { kind, key_check })
}

/// Copies a SQLite backup into place: beside the target first, then renamed.
async fn restore_sqlite(database_url: &str, from: &Path) -> Result<(), BackupError> {
    let target = sqlite_file(database_url)?;
    if target.exists() {
        refuse_if_not_empty(database_url, &target.display().to_string()).await?;
        for leftover in [
            target.clone(),
            with_suffix(&target, "-wal"),
            with_suffix(&target, "-shm"),
        ] {
            if leftover.exists() {
                std::fs::remove_file(&leftover).map_err(|e| file_error(&leftover, e))?;
            }
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
    }
    let partial = with_suffix(&target, ".restoring");
    std::fs::copy(from, &partial).map_err(|e| file_error(&partial, e))?;
    put_in_place(&partial, &target)
}

/// Moves a whole file written beside `target` into its place, durably: readable by its
/// owner only (it holds every client's record, the SSNs sealed), synced, renamed, and
/// the rename synced.
fn put_in_place(partial: &Path, target: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(partial, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| file_error(partial, e))?;
    }
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| file_error(partial, e))?;
    std::fs::rename(partial, target).map_err(|e| file_error(target, e))?;
    crate::config::sync_dir(target).map_err(|e| file_error(target, e))
}

/// Refuses a database that has tables (`shown` names it in the message).
async fn refuse_if_not_empty(database_url: &str, shown: &str) -> Result<(), BackupError> {
    let db = app::db::connect(database_url).await?;
    let tables = table_count(&db).await;
    db.close().await?;
    if tables? > 0 {
        return Err(BackupError::NotEmpty(shown.to_string()));
    }
    Ok(())
}

/// How many tables the database has (0: new and empty).
async fn table_count(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        _ => "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await?;
    Ok(row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0))
}

/// What kind of backup `path` is, by its first bytes.
pub fn kind_of(path: &Path) -> Result<Kind, BackupError> {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| file_error(path, e))?;
    let read = file.read(&mut head).map_err(|e| file_error(path, e))?;
    match &head[..read] {
        h if h.starts_with(b"SQLite format 3\0") => Ok(Kind::Sqlite),
        h if h.starts_with(b"PGDMP") => Ok(Kind::PgDump),
        _ => Err(BackupError::UnknownFormat(path.display().to_string())),
    }
}

/// The data key check a backup holds, read from the backup itself.
pub async fn key_check_of(path: &Path, kind: Kind) -> Result<Option<String>, BackupError> {
    match kind {
        Kind::Sqlite => {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || sqlite_key_check(&path))
                .await
                .map_err(|e| BackupError::Tool {
                    program: "sqlite",
                    message: e.to_string(),
                })?
        }
        Kind::PgDump => {
            let mut listing = Command::new("pg_restore");
            listing
                .args(["--data-only", "--table=settings", "--file=-"])
                .arg(path);
            let text = run_tool("pg_restore", listing).await?;
            Ok(copy_value(&text, "settings", settings::DATA_KEY_CHECK))
        }
    }
}

fn sqlite_key_check(path: &Path) -> Result<Option<String>, BackupError> {
    use rusqlite::OpenFlags;
    let sqlite = |e: rusqlite::Error| file_error(path, e);
    let conn =
        rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sqlite)?;
    let has_settings: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'settings'",
            [],
            |row| row.get(0),
        )
        .map_err(sqlite)?;
    if has_settings == 0 {
        return Ok(None);
    }
    match conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [settings::DATA_KEY_CHECK],
        |row| row.get(0),
    ) {
        Ok(check) => Ok(Some(check)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(sqlite(e)),
    }
}

/// The `value` column of the row whose `key` is `key` in `table`'s `COPY` data, as
/// `pg_restore --data-only` prints it (tab-separated, the column list in its header).
fn copy_value(text: &str, table: &str, key: &str) -> Option<String> {
    let mut columns: Option<Vec<&str>> = None;
    for line in text.lines() {
        match &columns {
            None => {
                let Some(rest) = line.strip_prefix("COPY ") else {
                    continue;
                };
                let rest = rest.strip_prefix("public.").unwrap_or(rest);
                if let Some(list) = rest
                    .strip_prefix(table)
                    .and_then(|r| r.trim_start().strip_prefix('('))
                {
                    let list = list.split(')').next().unwrap_or_default();
                    columns = Some(list.split(',').map(|c| c.trim().trim_matches('"')).collect());
                }
            }
            Some(names) => {
                if line == "\\." {
                    return None;
                }
                let cells: Vec<&str> = line.split('\t').collect();
                let cell = |name: &str| {
                    names
                        .iter()
                        .position(|n| *n == name)
                        .and_then(|i| cells.get(i).copied())
                };
                if cell("key") == Some(key) {
                    return cell("value").map(str::to_string);
                }
            }
        }
    }
    None
}

/// Runs a PostgreSQL client tool, answering its standard output; its standard error
/// is the message when it fails.
async fn run_tool(program: &'static str, mut command: Command) -> Result<String, BackupError> {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| BackupError::Tool {
            program,
            message: e.to_string(),
        })?
        .map_err(|e| BackupError::Tool {
            program,
            message: format!("{e} (install the PostgreSQL client tools, e.g. Debian's postgresql-client)"),
        })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(BackupError::Tool { program, message });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A PostgreSQL database for `pg_dump`/`pg_restore`: the URL without its password
/// (which would show in the process list) and the password through `PGPASSWORD`.
struct PgTarget {
    url: String,
    password: Option<String>,
}

impl PgTarget {
    fn parse(database_url: &str) -> Self {
        let Some((scheme, rest)) = database_url.split_once("://") else {
            return PgTarget {
                url: database_url.to_string(),
                password: None,
            };
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, password)) => PgTarget {
                    url: format!("{scheme}://{user}@{host}"),
                    password: Some(
                        percent_encoding::percent_decode_str(password)
                            .decode_utf8_lossy()
                            .into_owned(),
                    ),
                },
                None => PgTarget {
                    url: database_url.to_string(),
                    password: None,
                },
            },
            None => PgTarget {
                url: database_url.to_string(),
                password: None,
            },
        }
    }

    fn apply(self, mut command: Command) -> Command {
        command.arg("--dbname").arg(&self.url);
        if let Some(password) = self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }
}

fn is_sqlite(database_url: &str) -> bool {
    database_url.starts_with("sqlite:")
}

/// The file of a SQLite database URL.
fn sqlite_file(database_url: &str) -> Result<PathBuf, BackupError> {
    use std::str::FromStr as _;
    let options = sea_orm::sqlx::sqlite::SqliteConnectOptions::from_str(database_url).map_err(|e| {
        BackupError::File {
            path: database_url.to_string(),
            message: e.to_string(),
        }
    })?;
    Ok(options.get_filename().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_is_read_from_pg_restore_copy_data() {
        let text = "--\n-- Data for Name: settings\nCOPY public.settings (key, value, updated_at) FROM stdin;\n\
                    coc_name\tXX-500 CoC\t2026-12-01 00:00:00+00\n\
                    data_key_check\tAbC-_9\t2026-12-01 00:00:00+00\n\\.\n";
        assert_eq!(
            copy_value(text, "settings", "data_key_check").as_deref(),
            Some("AbC-_9")
        );
        assert_eq!(copy_value(text, "settings", "missing"), None);
        assert_eq!(copy_value("", "settings", "data_key_check"), None);
    }

    #[test]
    fn a_password_never_goes_on_the_command_line() {
        let pg = PgTarget::parse("postgres://hearth:p%40ss@db.example:5432/hearth?sslmode=require");
        assert_eq!(pg.url, "postgres://hearth@db.example:5432/hearth?sslmode=require");
        assert_eq!(pg.password.as_deref(), Some("p@ss"));
        let pg = PgTarget::parse("postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(pg.url, "postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(pg.password, None);
    }

    #[test]
    fn a_backup_is_known_by_its_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (sqlite, dump, other) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
        std::fs::write(&sqlite, b"SQLite format 3\0rest").unwrap();
        std::fs::write(&dump, b"PGDMP\x01\x0e").unwrap();
        std::fs::write(&other, b"PK\x03\x04").unwrap();
        assert_eq!(kind_of(&sqlite).unwrap(), Kind::Sqlite);
        assert_eq!(kind_of(&dump).unwrap(), Kind::PgDump);
        assert!(matches!(kind_of(&other), Err(BackupError::UnknownFormat(_))));
    }
}
