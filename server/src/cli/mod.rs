//! The `hearth` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use crate::config::{Config, ConfigError, FileConfig};

mod commands;
use commands::*;

#[derive(Debug, Parser)]
#[command(name = "hearth", version, about = "Hearth — an open-source HMIS")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Path of a TOML config file [default: ./hearth.toml when present]
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH?mode=rwc or postgres://USER@HOST/DB
    /// [default: a SQLite file in the data directory]
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory for the default SQLite database [default: ./data]
    #[arg(long, global = true, env = "HEARTH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// The CoC's IANA time zone [default: America/Chicago]
    #[arg(long, global = true, env = "HEARTH_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// Served over TLS (directly or behind a proxy): Secure cookies, HSTS
    #[arg(long, global = true, env = "HEARTH_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Sign users out after this many idle seconds [default: 1800]
    #[arg(long, global = true, env = "HEARTH_SESSION_IDLE_SECONDS")]
    pub session_idle_seconds: Option<u64>,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For
    #[arg(long, global = true, env = "HEARTH_TRUST_PROXY")]
    pub trust_proxy: Option<bool>,
    /// Failed sign-ins one address may make in ten minutes before it waits [default: 20]
    #[arg(long, global = true, env = "HEARTH_LOGIN_IP_MAX_FAILURES")]
    pub login_ip_max_failures: Option<u64>,
    /// When the daily auto-exit sweep runs (CoC time), HH:MM or off [default: 02:00]
    #[arg(long, global = true, env = "HEARTH_AUTO_EXIT_AT")]
    pub auto_exit_at: Option<String>,
    /// Key encrypting secrets at rest (base64, 32 bytes); environment or hearth.toml
    /// only, so it never shows in a process list [default: the key file]
    #[arg(skip)]
    pub data_key: Option<String>,
    /// The file holding the data key [default: data.key beside the SQLite database, or
    /// in the data directory]
    #[arg(long, global = true, env = "HEARTH_DATA_KEY_FILE")]
    pub data_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the web app (the default command)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Create a user; the password is read from the first line of standard input
    CreateUser(CreateUserArgs),
    /// Fill a database without clients with realistic demo clients (deterministic per seed)
    DemoData(DemoDataArgs),
    /// Write the HMIS CSV FY2026 export (24 files in one zip)
    Export(ExportArgs),
    /// Read an HMIS CSV export (FY2026 or FY2024, a zip) into the database in one
    /// transaction; cells and rows that break the specification are listed in the
    /// import report (--report), an unreadable export is refused as a whole
    Import(ImportArgs),
    /// Exit every household of a project with an auto-exit setting whose last service
    /// or contact is that many days old (what the daily sweep does)
    AutoExit(AutoExitArgs),
    /// Write a consistent copy of the database while it serves (SQLite: a database file;
    /// PostgreSQL: a pg_dump archive). The data key is not in it: keep the key apart
    Backup(BackupArgs),
    /// Put a backup into a new, empty database, refused unless the data key is the one
    /// the backup's sealed values need; then migrate it and open every sealed value
    Restore(RestoreArgs),
    /// Copy this SQLite database, every table and row, into a new PostgreSQL database
    /// (migrated here); row counts compared. The data key stays the same
    Copy(CopyArgs),
    /// Seal every SSN and two-step secret again with a new data key, in batches; safe
    /// to stop and run again. Stop every server first; the old key is kept beside the
    /// new one for older backups
    RotateKey(RotateKeyArgs),
    /// Measure the app on this database (results for docs/PERFORMANCE.md)
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Args, Clone)]
pub struct AutoExitArgs {
    /// Count and list what would be exited; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Sweep only this project (ProjectID)
    #[arg(long)]
    pub project: Option<String>,
    /// With --dry-run: also write the list of households to this CSV file
    #[arg(long, value_name = "FILE", requires = "dry_run")]
    pub csv: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Client search (ID, first three + first three, DOB, SSN last four) against a
    /// primary-key read, on the clients already in the database
    Search {
        /// How many sample clients to search for
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        samples: u64,
    },
    /// The Annual Assessment Tool page (organization, project, whole CoC) and the home
    /// page's counts, on due dates over a year, against a primary-key read
    Annual {
        /// How many times to load each
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        runs: u64,
    },
    /// The data-quality report (whole CoC, one organization, records pages) and the
    /// supervisor's caseload dashboard per organization, against a primary-key read
    Reports {
        /// How many times to load each
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        runs: u64,
    },
    /// The Coordinated Entry priority list (pages, filters, the CSV) for a priority
    /// list manager, with at least `--households` open placed CE enrollments (those
    /// missing are added to existing clients first), against a primary-key read
    Priority {
        /// How many households the list should hold
        #[arg(long, default_value_t = 50_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        households: u64,
        /// How many times to load each
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        runs: u64,
    },
    /// The pages people use all day over HTTP (client dashboard, search, priority list,
    /// Annual Assessment Tool, the exit workflow's steps, Default Last, No Changes) as
    /// the signed-in demo users, one at a time and `--users` at once, against a static
    /// file of the same server; with `--exits N`, N whole household exits, Finish
    /// included (they write: use a copy of the database)
    Pages {
        /// Concurrent users of the loaded run
        #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=1_000))]
        users: u64,
        /// Requests per page and run
        #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        requests: u64,
        /// Whole household exits to walk and finish
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        exits: u64,
        /// A running Hearth on this database to measure (default: one started in this
        /// process on a free port)
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// The auto-exit sweep over every open household, every project (but Coordinated
    /// Entry) set to exit after `--exit-days` for the run: a dry run, and with `--write`
    /// a real sweep (it exits them: use a copy of the database). Time and memory
    AutoExit {
        /// The auto-exit setting given to every project for the run
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(i32).range(30..=3650))]
        exit_days: i32,
        /// Also run the real sweep, writing the exits
        #[arg(long)]
        write: bool,
    },
}

#[derive(Debug, Args, Clone)]
pub struct BackupArgs {
    /// The backup file to write (a new file)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct RestoreArgs {
    /// The backup file to read (from `hearth backup`)
    #[arg(long)]
    pub from: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct CopyArgs {
    /// The PostgreSQL database to copy into: postgres://USER@HOST/DB (new or empty)
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Args, Clone)]
pub struct RotateKeyArgs {
    /// Rows sealed again per transaction
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub batch_size: u64,
}

#[derive(Debug, Args, Clone)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub last_name: String,
    /// Make the user an HMIS admin (of the organization given, created if missing)
    #[arg(long)]
    pub admin: bool,
    /// Organization the admin works in
    #[arg(long, default_value = "HMIS Lead Agency")]
    pub organization: String,
}

#[derive(Debug, Args, Clone)]
pub struct ImportArgs {
    /// The zip file to read
    pub file: PathBuf,
    /// Write the import report (every finding listed, up to 100,000) to this CSV file
    #[arg(long)]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    /// The zip file to write
    #[arg(long)]
    pub out: PathBuf,
    /// First day of the export period, YYYY-MM-DD [default: everything before --to]
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the export period, YYYY-MM-DD [default: today]
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// Export only this project (ProjectID); repeat for several [default: all]
    #[arg(long = "project")]
    pub projects: Vec<String>,
    /// Replace names and SSNs with SHA-256 hashes (HashStatus 4)
    #[arg(long)]
    pub hash_pii: bool,
}

#[derive(Debug, Args, Clone)]
pub struct DemoDataArgs {
    /// How many clients to create
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub clients: u64,
    /// Seed of the generator: the same seed, count and --today give the same rows
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Last day of the data, YYYY-MM-DD [default: today in the CoC's time zone]
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:3000]
    #[arg(long, env = "HEARTH_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Directory of the compiled site (wasm, js, css) [default: target/site]
    #[arg(long, env = "HEARTH_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// On an empty database, create demo organizations and users and print their logins
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Connect(#[from] app::db::ConnectError),
    #[error("database migration failed: {0}")]
    Migrate(sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    App(app::error::AppError),
    #[error(transparent)]
    DemoData(#[from] hearth_demo::data::DemoDataError),
    #[error("{0}")]
    Usage(String),
    #[error("export failed: {0}")]
    Export(#[from] crate::hmis_csv::ExportError),
    #[error("import failed: {0}")]
    Import(#[from] crate::hmis_csv::import::ImportError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error("key rotation stopped: {0}")]
    Rotate(#[from] crate::keys::RotateError),
    #[error("the database could not be read or written: {0}")]
    Database(sea_orm::DbErr),
    #[error("copy failed: {0}")]
    Copy(#[from] crate::copy::CopyError),
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let serve_args = match &command {
        Command::Serve(args) => args.clone(),
        _ => ServeArgs::default(),
    };
    let config = Config::load(
        cli.global.config.as_deref(),
        FileConfig {
            database_url: cli.global.database_url,
            addr: serve_args.addr,
            data_dir: cli.global.data_dir,
            site_root: serve_args.site_root,
            time_zone: cli.global.time_zone,
            secure_cookies: cli.global.secure_cookies,
            session_idle_seconds: cli.global.session_idle_seconds,
            trust_proxy: cli.global.trust_proxy,
            login_ip_max_failures: cli.global.login_ip_max_failures,
            auto_exit_at: cli.global.auto_exit_at,
            data_key: cli
                .global
                .data_key
                .or_else(|| std::env::var("HEARTH_DATA_KEY").ok().filter(|k| !k.is_empty())),
            data_key_file: cli.global.data_key_file,
        },
    )?;
    config.ensure_data_dir()?;
    // A backup copies the database as it is (before an upgrade's migrations above
    // all); a restore goes into a database that must still be empty.
    match command {
        Command::Backup(args) => return backup_command(&config, args).await,
        Command::Restore(args) => return restore_command(&config, args).await,
        _ => {}
    }
    let db = app::db::connect(&config.database_url).await?;
    Migrator::up(&db, None).await.map_err(CliError::Migrate)?;
    tracing::info!(database = %app::db::redact_url(&config.database_url), "database ready");
    match command {
        Command::Migrate => {
            let applied = app::db::migrations_applied(&db)
                .await
                .map_err(CliError::Migrate)?;
            println!("Database is up to date ({applied} migrations applied).");
            Ok(())
        }
        Command::CreateUser(args) => create_user_command(&db, args).await,
        Command::DemoData(args) => demo_data_command(&db, &config, args).await,
        Command::Export(args) => export_command(&db, &config, args).await,
        Command::Import(args) => import_command(&db, &config, args).await,
        Command::AutoExit(args) => auto_exit_command(&db, &config, args).await,
        Command::RotateKey(args) => rotate_key_command(&db, &config, args).await,
        Command::Copy(args) => copy_command(&db, &config, args).await,
        Command::Backup(_) | Command::Restore(_) => unreachable!("handled before the database is opened"),
        Command::Bench(bench) => {
            let data_key = config.data_key_for(&db).await?;
            let state = app::state::AppState {
                db: db.clone(),
                security: config.security,
                time_zone: config.time_zone,
                clock: app::state::Clock::System,
                data_key,
                jobs: app::jobs::Jobs::new(config.data_dir.join("jobs")),
                views: app::db::audit::ViewLog::start(db.clone()),
            };
            // The benchmarks of the Annual Assessment Tool's pages read its kept rows as a
            // running server keeps them (a database made before them, or by an import,
            // has them built here).
            if matches!(bench, BenchCommand::Annual { .. } | BenchCommand::Pages { .. }) {
                let started = std::time::Instant::now();
                let kept = app::features::annual::stored::refresh(&db, state.today(), None)
                    .await
                    .map_err(|e| {
                        CliError::Usage(format!("the annual assessments due could not be kept: {e}"))
                    })?;
                if let Some(rows) = kept.rebuilt {
                    eprintln!(
                        "Annual assessments due: {rows} rows built in {:.1} s",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            // The data-quality report reads its kept facts as a running server keeps them.
            if matches!(bench, BenchCommand::Reports { .. } | BenchCommand::Pages { .. }) {
                let started = std::time::Instant::now();
                let kept =
                    app::features::data_quality::kept::refresh(&db, state.time_zone, state.today(), None)
                        .await
                        .map_err(|e| {
                            CliError::Usage(format!("the data-quality facts could not be kept: {e}"))
                        })?;
                if let Some(rows) = kept.rebuilt {
                    eprintln!(
                        "Data-quality facts: {rows} rows built in {:.1} s",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
            let report = match bench {
                BenchCommand::Search { samples } => {
                    hearth_demo::bench::search_bench(&state, samples as usize)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::Annual { runs } => hearth_demo::bench::annual_bench(&state, runs as usize)
                    .await
                    .map(|r| r.to_string()),
                BenchCommand::Reports { runs } => {
                    hearth_demo::bench::reports::reports_bench(&state, runs as usize)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::AutoExit { exit_days, write } => {
                    hearth_demo::bench::auto_exit_bench(&state, exit_days, write)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::Priority { households, runs } => {
                    hearth_demo::bench::priority_bench(&state, households as usize, runs as usize)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::Pages {
                    users,
                    requests,
                    exits,
                    url,
                } => {
                    let options = hearth_demo::bench::pages::Options {
                        users: users as usize,
                        requests: requests as usize,
                        exits: exits as usize,
                    };
                    return pages_bench_command(&config, state, url, options).await;
                }
            }
            .map_err(|e| CliError::Usage(e.to_string()))?;
            println!("{report}");
            Ok(())
        }
        Command::Serve(args) => {
            if args.demo {
                let created = hearth_demo::accounts::seed(&db, chrono::Utc::now())
                    .await
                    .map_err(CliError::App)?;
                if !created.is_empty() {
                    tracing::info!(users = created.len(), "demo organizations and users created");
                    let options = hearth_demo::data::Options {
                        clients: hearth_demo::data::SERVE_DEMO_CLIENTS,
                        seed: 1,
                        today: chrono::Utc::now().with_timezone(&config.time_zone).date_naive(),
                        progress: false,
                    };
                    let summary =
                        hearth_demo::data::run(&db, &options, &config.data_key_for(&db).await?).await?;
                    tracing::info!(
                        clients = summary.clients,
                        rows = summary.total_rows(),
                        "demo clients created"
                    );
                }
                println!("{}", hearth_demo::accounts::describe());
            }
            serve(config, db).await
        }
    }
}
