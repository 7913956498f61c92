//! Configuration, layered: built-in defaults < `hearth.toml` < environment variables <
//! command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Settings read from `hearth.toml` (every key optional); also the shape of the
/// values given by flags and environment variables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub addr: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub site_root: Option<PathBuf>,
    pub time_zone: Option<String>,
    /// Served over TLS (directly or behind a TLS-terminating proxy).
    pub secure_cookies: Option<bool>,
    /// Sign out after this many seconds without a request (default 1800).
    pub session_idle_seconds: Option<u64>,
    /// Behind a reverse proxy that appends the client's address to X-Forwarded-For.
    pub trust_proxy: Option<bool>,
    /// Failed sign-ins one address may make in ten minutes (default 20).
    pub login_ip_max_failures: Option<u64>,
    /// The key that encrypts secrets at rest (32 bytes, base64). Every server sharing a
    /// database needs the same key; without one, `<data_dir>/data.key` is created.
    pub data_key: Option<String>,
    /// The file holding the data key (default: `data.key` beside the SQLite database,
    /// or in the data directory).
    pub data_key_file: Option<PathBuf>,
    /// When the daily auto-exit sweep runs, in the CoC's time zone: "HH:MM", or "off"
    /// (default 02:00).
    pub auto_exit_at: Option<String>,
}

impl FileConfig {
    /// Each setting from `self`, or from `lower` where `self` has none.
    fn or(self, lower: FileConfig) -> FileConfig {
        FileConfig {
            database_url: self.database_url.or(lower.database_url),
            addr: self.addr.or(lower.addr),
            data_dir: self.data_dir.or(lower.data_dir),
            site_root: self.site_root.or(lower.site_root),
            time_zone: self.time_zone.or(lower.time_zone),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            session_idle_seconds: self.session_idle_seconds.or(lower.session_idle_seconds),
            trust_proxy: self.trust_proxy.or(lower.trust_proxy),
            login_ip_max_failures: self.login_ip_max_failures.or(lower.login_ip_max_failures),
            data_key: self.data_key.or(lower.data_key),
            data_key_file: self.data_key_file.or(lower.data_key_file),
            auto_exit_at: self.auto_exit_at.or(lower.auto_exit_at),
        }
    }
}

/// The resolved configuration the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Where cargo-leptos put the compiled site (wasm, js, css, assets).
    pub site_root: PathBuf,
    /// The CoC's IANA time zone, e.g. America/Chicago.
    pub time_zone: chrono_tz::Tz,
    pub security: app::state::Security,
    /// The configured data key; `None` means the key file (`data_key_file`).
    pub data_key: Option<app::crypto::DataKey>,
    /// Where the data key file is: as configured, else `data.key` beside the SQLite
    /// database file (never the working directory when the database is elsewhere), else
    /// in the data directory.
    pub data_key_file: PathBuf,
    /// When the daily auto-exit sweep starts (CoC time); None: never on its own.
    pub auto_exit_at: Option<chrono::NaiveTime>,
    /// Keep the summaries kept on write (`features::kept`: the Annual Assessment
    /// Tool's owed anniversaries, the data-quality facts) up to date in the background;
    /// off only in tests, which refresh them themselves.
    pub keep_summaries: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: String, message: String },
    #[error("unknown time zone '{0}': use an IANA name such as America/Chicago")]
    TimeZone(String),
    #[error("session_idle_seconds must be at least 5, not {0}")]
    IdleTimeout(u64),
    #[error("cannot create data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("data_key: {0}")]
    DataKey(app::crypto::CryptoError),
    #[error("auto_exit_at must be a time such as 02:00, or off; not '{0}'")]
    AutoExitAt(String),
    #[error("data key file {path}: {message}")]
    DataKeyFile { path: String, message: String },
    #[error(
        "this database's SSNs and secrets are sealed with a data key that is not at {place}: point --data-dir (or HEARTH_DATA_KEY) to the database's own key; nothing was done"
    )]
    MissingDataKey { place: String },
    #[error(
        "the data key at {place} is not the one this database's SSNs and secrets are sealed with: use the database's own key; nothing was done"
    )]
    WrongDataKey { place: String },
    #[error(
        "a key rotation of this database is under way and its new key is not at {place}: put it back there, then run hearth rotate-key again; nothing was done"
    )]
    MissingNextKey { place: String },
    #[error("the data key could not be checked against the database: {0}")]
    KeyDatabase(String),
}

/// The directory of a SQLite database file URL (`sqlite://path/hearth.db?mode=rwc`);
/// `None` for PostgreSQL or an in-memory database.
fn sqlite_dir(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    Some(
        Path::new(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    )
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_TIME_ZONE: &str = "America/Chicago";
pub const DEFAULT_AUTO_EXIT_AT: &str = "02:00";

impl Config {
    /// Resolves the configuration: `overrides` (flags and environment variables, which
    /// clap reads) win over the config file, which wins over the defaults.
    pub fn load(config_file: Option<&Path>, overrides: FileConfig) -> Result<Self, ConfigError> {
        let file = match config_file {
            Some(path) => read_file(path)?,
            None if Path::new("hearth.toml").exists() => read_file(Path::new("hearth.toml"))?,
            None => FileConfig::default(),
        };
        let layered = overrides.or(file);
        let data_dir_given = layered.data_dir.is_some();
        let data_dir = layered.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        let database_url = layered
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("hearth.db").display()));
        let data_key_file = layered.data_key_file.unwrap_or_else(|| {
            match sqlite_dir(&database_url).filter(|_| !data_dir_given) {
                Some(dir) => dir.join("data.key"),
                None => data_dir.join("data.key"),
            }
        });
        let addr = layered
            .addr
            .unwrap_or_else(|| DEFAULT_ADDR.parse().expect("the default address is valid"));
        let site_root = layered
            .site_root
            .or_else(|| std::env::var_os("LEPTOS_SITE_ROOT").map(PathBuf::from))
            .unwrap_or_else(default_site_root);
        let tz_name = layered.time_zone.unwrap_or_else(|| DEFAULT_TIME_ZONE.into());
        let time_zone = tz_name
            .parse()
            .map_err(|_| ConfigError::TimeZone(tz_name.clone()))?;
        let mut security = app::state::Security {
            secure_cookies: layered.secure_cookies.unwrap_or(false),
            trust_proxy: layered.trust_proxy.unwrap_or(false),
            login_ip_max_failures: layered
                .login_ip_max_failures
                .unwrap_or(app::domain::access::LOGIN_IP_MAX_FAILURES),
            ..Default::default()
        };
        if let Some(seconds) = layered.session_idle_seconds {
            if seconds < 5 {
                return Err(ConfigError::IdleTimeout(seconds));
            }
            security.session.idle =
                chrono::Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 1000));
        }
        let data_key = layered
            .data_key
            .as_deref()
            .map(app::crypto::DataKey::from_base64)
            .transpose()
            .map_err(ConfigError::DataKey)?;
        let auto_exit_at = match layered
            .auto_exit_at
            .as_deref()
            .unwrap_or(DEFAULT_AUTO_EXIT_AT)
            .trim()
        {
            "off" => None,
            at => Some(
                chrono::NaiveTime::parse_from_str(at, "%H:%M")
                    .map_err(|_| ConfigError::AutoExitAt(at.to_string()))?,
            ),
        };
        Ok(Config {
            database_url,
            addr,
            data_dir,
            site_root,
            time_zone,
            security,
            data_key,
            data_key_file,
            auto_exit_at,
            keep_summaries: true,
        })
    }

    /// Where the data key is looked for (unless it is configured).
    pub fn data_key_path(&self) -> PathBuf {
        self.data_key_file.clone()
    }

    /// Where a key rotation keeps the new key until it is finished: `<key file>.next`.
    pub fn next_key_path(&self) -> PathBuf {
        with_suffix(&self.data_key_file, ".next")
    }

    /// The key for `db`: the configured one or the one in the key file, which must be
    /// the one the database's sealed values were sealed with (its check is kept in the
    /// database). A new key is made only for a database that has no check and nothing
    /// sealed. During a key rotation it is the new key, still opening what the old one
    /// sealed. Every command that reads or writes sealed values starts here.
    pub async fn data_key_for(
        &self,
        db: &sea_orm::DatabaseConnection,
    ) -> Result<app::crypto::DataKey, ConfigError> {
        let keys = self.database_keys(db).await?;
        Ok(match keys.next {
            Some(next) => next.with_previous(&keys.current),
            None => keys.current,
        })
    }

    /// The keys of `db` (see [`Config::data_key_for`]): its key and, while a rotation is
    /// under way, the new one.
    pub async fn database_keys(&self, db: &sea_orm::DatabaseConnection) -> Result<DatabaseKeys, ConfigError> {
        use app::db::settings;
        let database_error = |e: sea_orm::DbErr| ConfigError::KeyDatabase(e.to_string());
        let stored = settings::get(db, settings::DATA_KEY_CHECK)
            .await
            .map_err(database_error)?;
        let next_stored = settings::get(db, settings::DATA_KEY_NEXT_CHECK)
            .await
            .map_err(database_error)?;
        let place = self.key_place();
        let found = self.find_data_key()?;
        let now = chrono::Utc::now();
        match (found, stored) {
            (Some(key), Some(check)) if key.check() == check => {
                let next = match next_stored {
                    None => None,
                    Some(next_check) => match read_key_file(&self.next_key_path())? {
                        Some(next) if next.check() == next_check => Some(next),
                        _ => {
                            return Err(ConfigError::MissingNextKey {
                                place: self.next_key_path().display().to_string(),
                            });
                        }
                    },
                };
                Ok(DatabaseKeys { current: key, next })
            }
            (found, Some(check)) => {
                // A rotation finished in the database but stopped before its key files
                // were swapped: finish it.
                if self.data_key.is_none()
                    && next_stored.is_none()
                    && let Some(next) = read_key_file(&self.next_key_path())?
                    && next.check() == check
                {
                    self.swap_key_files(now)?;
                    return Ok(DatabaseKeys {
                        current: next,
                        next: None,
                    });
                }
                Err(match found {
                    Some(_) => ConfigError::WrongDataKey { place },
                    None => ConfigError::MissingDataKey { place },
                })
            }
            (Some(key), None) => {
                // A database from before key checks: the key must open what it holds.
                if !crate::keys::opens_sealed_values(db, &key)
                    .await
                    .map_err(database_error)?
                {
                    return Err(ConfigError::WrongDataKey { place });
                }
                settings::set(db, settings::DATA_KEY_CHECK, &key.check(), now)
                    .await
                    .map_err(database_error)?;
                Ok(DatabaseKeys {
                    current: key,
                    next: None,
                })
            }
            (None, None) => {
                if crate::keys::has_sealed_values(db).await.map_err(database_error)? {
                    return Err(ConfigError::MissingDataKey { place });
                }
                let key = create_key_file(&self.data_key_path())?;
                tracing::warn!(
                    path = %self.data_key_path().display(),
                    "created a new data key for a new database; back it up apart from the database (sealed values cannot be read without it)"
                );
                settings::set(db, settings::DATA_KEY_CHECK, &key.check(), now)
                    .await
                    .map_err(database_error)?;
                Ok(DatabaseKeys {
                    current: key,
                    next: None,
                })
            }
        }
    }

    /// Where the key is looked for, as a message says it.
    pub fn key_place(&self) -> String {
        match &self.data_key {
            Some(_) => "the configured data_key (HEARTH_DATA_KEY)".to_string(),
            None => self.data_key_path().display().to_string(),
        }
    }

    /// The key configured or in the key file, if there is one (nothing is made).
    pub fn find_data_key(&self) -> Result<Option<app::crypto::DataKey>, ConfigError> {
        match &self.data_key {
            Some(key) => Ok(Some(key.clone())),
            None => read_key_file(&self.data_key_path()),
        }
    }

    /// Ends a key rotation on disk: the old key file is kept as `<key file>.old-<time>`
    /// (backups made before the rotation need it) and the new one takes its place.
    /// Answers where the old key went.
    pub fn swap_key_files(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Option<PathBuf>, ConfigError> {
        let (path, next) = (self.data_key_path(), self.next_key_path());
        let file_error = |path: &Path, e: std::io::Error| ConfigError::DataKeyFile {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let old = with_suffix(&path, &format!(".old-{}", now.format("%Y%m%dT%H%M%SZ")));
        let kept = if path.exists() {
            std::fs::rename(&path, &old).map_err(|e| file_error(&path, e))?;
            Some(old)
        } else {
            None
        };
        std::fs::rename(&next, &path).map_err(|e| file_error(&next, e))?;
        sync_dir(&path).map_err(|e| file_error(&path, e))?;
        tracing::warn!(path = %path.display(), "the rotated data key is in place");
        Ok(kept)
    }

    /// Creates the data directory when the database is the default SQLite file in it.
    pub fn ensure_data_dir(&self) -> Result<(), ConfigError> {
        if self.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&self.data_dir).map_err(|source| ConfigError::DataDir {
                path: self.data_dir.display().to_string(),
                source,
            })?;
        }
        Ok(())
    }
}

/// The keys of a database: its key and, while a rotation is under way, the new one.
pub struct DatabaseKeys {
    pub current: app::crypto::DataKey,
    pub next: Option<app::crypto::DataKey>,
}

/// The key in the file at `path`, if there is one.
pub fn read_key_file(path: &Path) -> Result<Option<app::crypto::DataKey>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            app::crypto::DataKey::from_base64(&text)
                .map(Some)
                .map_err(|e| ConfigError::DataKeyFile {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(ConfigError::DataKeyFile {
            path: path.display().to_string(),
            message: err.to_string(),
        }),
    }
}

/// Makes a new key in a new file at `path`, readable by this user only, on disk
/// (synced, with its directory) before it seals anything.
pub fn create_key_file(path: &Path) -> Result<app::crypto::DataKey, ConfigError> {
    let file_error = |message: String| ConfigError::DataKeyFile {
        path: path.display().to_string(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| file_error(e.to_string()))?;
    }
    let key = app::crypto::DataKey::generate();
    write_private(path, &key.to_base64()).map_err(|e| file_error(e.to_string()))?;
    sync_dir(path).map_err(|e| file_error(e.to_string()))?;
    Ok(key)
}

/// `path` with `suffix` added to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Makes a file's creation or renaming durable: syncs the directory holding `path`.
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes a file only its owner can read, failing if it already exists.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.display().to_string(),
        message: e.message().to_string(),
    })
}

/// Where `cargo leptos build` writes the site, relative to the workspace root.
fn default_site_root() -> PathBuf {
    PathBuf::from("target/site")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hearth.toml");
        std::fs::write(
            &file,
            "addr = \"127.0.0.1:4000\"\ntime_zone = \"America/New_York\"\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            FileConfig {
                time_zone: Some("America/Denver".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(config.addr.port(), 4000);
        assert_eq!(config.time_zone.name(), "America/Denver");
        assert!(config.database_url.starts_with("sqlite://data/hearth.db"));
        assert_eq!(config.auto_exit_at, chrono::NaiveTime::from_hms_opt(2, 0, 0));
    }

    #[test]
    fn unknown_time_zones_and_keys_are_clear_errors() {
        let err = Config::load(
            None,
            FileConfig {
                time_zone: Some("Mars/Olympus".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"));
        let err = Config::load(
            None,
            FileConfig {
                auto_exit_at: Some("2am".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("2am"), "{err}");
        let off = Config::load(
            None,
            FileConfig {
                auto_exit_at: Some("off".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(off.auto_exit_at, None);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hearth.toml");
        std::fs::write(&file, "databse_url = \"x\"\n").unwrap();
        let err = Config::load(Some(&file), FileConfig::default()).unwrap_err();
        assert!(err.to_string().contains("databse_url"), "{err}");
    }

    /// A new, migrated SQLite database in `dir` (a file: every pooled connection sees it).
    async fn new_database(dir: &Path) -> sea_orm::DatabaseConnection {
        use migration::MigratorTrait as _;
        let url = format!("sqlite://{}?mode=rwc", dir.join("hearth.db").display());
        let db = app::db::connect(&url).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        db
    }

    #[tokio::test]
    async fn the_data_key_comes_from_configuration_or_a_private_file_made_once() {
        let err = Config::load(
            None,
            FileConfig {
                data_key: Some("too-short".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("32 bytes"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(
            None,
            FileConfig {
                data_dir: Some(dir.path().join("data")),
                ..Default::default()
            },
        )
        .unwrap();
        let db = new_database(dir.path()).await;
        let first = config.data_key_for(&db).await.unwrap();
        let second = config.data_key_for(&db).await.unwrap();
        let sealed = first.seal(b"secret", "t");
        assert_eq!(second.open(&sealed, "t").unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join("data/data.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key file is private");
        }

        let given = app::crypto::DataKey::generate();
        let config = Config::load(
            None,
            FileConfig {
                data_dir: Some(dir.path().join("other")),
                data_key: Some(given.to_base64()),
                ..Default::default()
            },
        )
        .unwrap();
        let other = tempfile::tempdir().unwrap();
        let key = config
            .data_key_for(&new_database(other.path()).await)
            .await
            .unwrap();
        assert_eq!(key.open(&given.seal(b"x", "t"), "t").unwrap(), b"x");
        assert!(!dir.path().join("other/data.key").exists());
    }
}
