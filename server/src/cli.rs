//! The `hearth` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use crate::config::{Config, ConfigError, FileConfig};
use crate::router;

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
    DemoData(#[from] crate::demo_data::DemoDataError),
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

async fn import_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: ImportArgs,
) -> Result<(), CliError> {
    use crate::hmis_csv::import::{self, ImportError, ImportOptions};
    let file = std::fs::File::open(&args.file)
        .map_err(|e| CliError::Usage(format!("cannot open {}: {e}", args.file.display())))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(ImportError::from)?;
    let started = std::time::Instant::now();
    let options = ImportOptions {
        time_zone: config.time_zone,
        data_key: config.data_key_for(db).await?,
    };
    // Each file named as it starts.
    let mut file_number = 0;
    let mut progress = |at: &import::ImportProgress| {
        if at.file_number != file_number {
            file_number = at.file_number;
            eprintln!("  importing {}", at.file);
        }
    };
    match import::import(db, &mut archive, &options, &mut progress).await {
        Ok(summary) => {
            println!("CSVVersion {}", summary.version);
            println!("From {}", summary.source);
            println!("Holds {}", summary.scope);
            println!(
                "  {:<28} {:>10} {:>10} {:>13} {:>20} {:>8}",
                "File", "Read", "Imported", "Not imported", "Hearth's copy newer", "Deleted"
            );
            for f in summary.files.iter().filter(|f| f.read > 0 || f.deleted > 0) {
                println!(
                    "  {:<28} {:>10} {:>10} {:>13} {:>20} {:>8}",
                    f.file, f.read, f.imported, f.skipped, f.kept_newer, f.deleted
                );
            }
            let (imported, read) = summary.rows();
            println!(
                "Imported {imported} of {read} rows from {} in {:.1} s.",
                args.file.display(),
                started.elapsed().as_secs_f64()
            );
            let report = &summary.report;
            if report.total() == 0 {
                println!("Every cell met the HMIS CSV specification: nothing to report.");
            } else {
                println!(
                    "{} findings (cells and rows that break the specification):",
                    report.total()
                );
                for c in report.counts() {
                    println!(
                        "  {:<28} {:>8}  {} — {}",
                        c.file,
                        c.count,
                        c.kind.label(),
                        c.action.label()
                    );
                }
            }
            if let Some(path) = &args.report {
                write_report(path, report.kept())
                    .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
                println!(
                    "The report is in {} ({} findings listed).",
                    path.display(),
                    report.kept().len()
                );
            }
            Ok(())
        }
        Err(ImportError::Invalid { problems, total }) => {
            for problem in &problems {
                eprintln!("  {problem}");
            }
            if total > problems.len() {
                eprintln!("  … and {} more", total - problems.len());
            }
            Err(ImportError::Invalid { problems, total }.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The import report as CSV, as the report page's download writes it (formulas
/// defused, kind and action by their codes).
fn write_report(
    path: &std::path::Path,
    findings: &[app::features::hmis_import::api::ImportFinding],
) -> std::io::Result<()> {
    use app::report::csv::csv_line;
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(csv_line(&app::features::hmis_import::api::REPORT_CSV_COLUMNS).as_bytes())?;
    for finding in findings {
        out.write_all(csv_line(&finding.csv_fields()).as_bytes())?;
    }
    out.flush()
}

/// `hearth bench pages`: against `url`, or a server started here on a free port.
async fn pages_bench_command(
    config: &Config,
    state: app::state::AppState,
    url: Option<String>,
    options: crate::bench::pages::Options,
) -> Result<(), CliError> {
    let mut shutdown = None;
    let base = match url {
        Some(url) => url,
        None => {
            let mut local = config.clone();
            local.addr = SocketAddr::from(([127, 0, 0, 1], 0));
            let server = router::Server::bind_with_state(&local, state.clone())
                .await
                .map_err(|source| CliError::Bind {
                    addr: local.addr,
                    source,
                })?;
            let base = format!("http://{}", server.local_addr());
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            shutdown = Some(tx);
            tokio::spawn(server.run(async {
                let _ = rx.await;
            }));
            base
        }
    };
    let report = crate::bench::pages::run(&state, &base, &options)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    println!("{report}");
    if let Some(tx) = shutdown {
        let _ = tx.send(());
    }
    Ok(())
}

async fn auto_exit_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: AutoExitArgs,
) -> Result<(), CliError> {
    use app::features::auto_exit::sweep::{SweepError, SweepOptions, sweep};
    let today = chrono::Utc::now().with_timezone(&config.time_zone).date_naive();
    let started = std::time::Instant::now();
    let options = SweepOptions {
        dry_run: args.dry_run,
        project_id: args.project,
        keep_listed: if args.dry_run { usize::MAX } else { 0 },
        lease_holder: None,
    };
    let actor = crate::jobs::system_actor("hearth auto-exit");
    let mut progress = |p: app::features::auto_exit::sweep::SweepProgress| {
        eprintln!("  {} of {} heads of household looked at", p.done, p.total);
        crate::jobs::test_pace();
    };
    let report = match sweep(db, today, &chrono::Utc::now, &actor, &options, &mut progress).await {
        Ok(report) => report,
        Err(SweepError::App(e)) => return Err(CliError::App(e)),
        Err(e) => return Err(CliError::Usage(e.to_string())),
    };
    if report.dry_run {
        let names = app::features::auto_exit::sweep::names_of_listed(db, &report.listed)
            .await
            .map_err(CliError::App)?;
        let rows = crate::auto_exit_list::rows(&report.listed, &names);
        print!("{}", crate::auto_exit_list::table(&rows));
        if let Some(path) = &args.csv {
            crate::auto_exit_list::write_csv(path, &rows)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            println!("Wrote {} household(s) to {}", rows.len(), path.display());
        }
    } else {
        for s in &report.skipped {
            println!(
                "  skipped: {} household {} (head {}): {}",
                s.project_name, s.household_id, s.head_personal_id, s.reason
            );
        }
    }
    println!("{} ({:.1} s)", report.summary(), started.elapsed().as_secs_f64());
    Ok(())
}

async fn export_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: ExportArgs,
) -> Result<(), CliError> {
    let now = chrono::Utc::now();
    let today = now.with_timezone(&config.time_zone).date_naive();
    let options = crate::hmis_csv::ExportOptions {
        from: args.from,
        to: args.to.unwrap_or(today),
        projects: args.projects,
        hash_pii: args.hash_pii,
        time_zone: config.time_zone,
        now,
        export_id: app::db::new_id(),
        implementation_id: crate::hmis_csv::implementation_id(db)
            .await
            .map_err(CliError::Migrate)?,
        data_key: config.data_key_for(db).await?,
    };
    let started = std::time::Instant::now();
    let mut progress = |p: &crate::hmis_csv::export::ExportProgress| {
        eprintln!("  [{:>2}/24] {}: {} rows", p.files_done, p.file, p.rows)
    };
    let summary = crate::hmis_csv::export_to_path(db, &args.out, &options, &mut progress).await?;
    let total: u64 = summary.files.iter().map(|(_, n)| n).sum();
    println!(
        "Wrote {} ({} files, {total} rows) in {:.1} s.",
        args.out.display(),
        summary.files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn create_user_command(db: &sea_orm::DatabaseConnection, args: CreateUserArgs) -> Result<(), CliError> {
    use app::domain::access::Workgroup;
    use app::features::access::service::{NewUser, create_organization, create_user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| CliError::Usage(format!("cannot read the password from standard input: {e}")))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let now = chrono::Utc::now();
    let mut access = Vec::new();
    if args.admin {
        use app::db::entities::organization;
        let existing = organization::Entity::find()
            .filter(organization::Column::OrganizationName.eq(&args.organization))
            .one(db)
            .await
            .map_err(CliError::Migrate)?;
        let organization_id = match existing {
            Some(org) => org.organization_id,
            None => create_organization(db, &args.organization, false, false, now)
                .await
                .map_err(CliError::Migrate)?,
        };
        access.push((organization_id, Workgroup::HmisAdmin));
    }
    let new = NewUser {
        username: args.username.clone(),
        first_name: args.first_name,
        last_name: args.last_name,
        email: None,
        password,
        access,
    };
    match create_user(db, new, now).await {
        Ok(_) => {
            println!(
                "Created user {}{}.",
                args.username,
                if args.admin { " (HMIS admin)" } else { "" }
            );
            Ok(())
        }
        Err(app::error::AppError::Validation(errors)) => Err(CliError::Usage(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        )),
        Err(e) => Err(CliError::App(e)),
    }
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
                BenchCommand::Search { samples } => crate::bench::search_bench(&state, samples as usize)
                    .await
                    .map(|r| r.to_string()),
                BenchCommand::Annual { runs } => crate::bench::annual_bench(&state, runs as usize)
                    .await
                    .map(|r| r.to_string()),
                BenchCommand::Reports { runs } => crate::bench::reports::reports_bench(&state, runs as usize)
                    .await
                    .map(|r| r.to_string()),
                BenchCommand::AutoExit { exit_days, write } => {
                    crate::bench::auto_exit_bench(&state, exit_days, write)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::Priority { households, runs } => {
                    crate::bench::priority_bench(&state, households as usize, runs as usize)
                        .await
                        .map(|r| r.to_string())
                }
                BenchCommand::Pages {
                    users,
                    requests,
                    exits,
                    url,
                } => {
                    let options = crate::bench::pages::Options {
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
                let created = crate::demo::seed(&db, chrono::Utc::now())
                    .await
                    .map_err(CliError::App)?;
                if !created.is_empty() {
                    tracing::info!(users = created.len(), "demo organizations and users created");
                    let options = crate::demo_data::Options {
                        clients: crate::demo_data::SERVE_DEMO_CLIENTS,
                        seed: 1,
                        today: chrono::Utc::now().with_timezone(&config.time_zone).date_naive(),
                        progress: false,
                    };
                    let summary =
                        crate::demo_data::run(&db, &options, &config.data_key_for(&db).await?).await?;
                    tracing::info!(
                        clients = summary.clients,
                        rows = summary.total_rows(),
                        "demo clients created"
                    );
                }
                println!("{}", crate::demo::describe());
            }
            serve(config, db).await
        }
    }
}

/// `hearth demo-data`: refuses a database with clients; prints progress to standard
/// error and the summary (and any demo logins created) to standard output.
async fn demo_data_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: DemoDataArgs,
) -> Result<(), CliError> {
    let options = crate::demo_data::Options {
        clients: args.clients,
        seed: args.seed,
        today: args
            .today
            .unwrap_or_else(|| chrono::Utc::now().with_timezone(&config.time_zone).date_naive()),
        progress: true,
    };
    let summary = crate::demo_data::run(db, &options, &config.data_key_for(db).await?).await?;
    print!("{summary}");
    if !summary.demo_users.is_empty() {
        println!("{}", crate::demo::describe());
    }
    Ok(())
}

async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> Result<(), CliError> {
    // Without the database's key it is refused here, having written nothing.
    config.data_key_for(&db).await?;
    // The key is read again once this server is said to be alive: a key rotation
    // starting at the same moment sees this server, or this server sees the rotation
    // (and seals with its new key).
    let presence = crate::keys::Presence::announce(&db)
        .await
        .map_err(CliError::Database)?;
    let bound = match config.data_key_for(&db).await {
        Ok(data_key) => router::Server::bind(&config, db, data_key)
            .await
            .map_err(|source| CliError::Bind {
                addr: config.addr,
                source,
            }),
        Err(err) => Err(err.into()),
    };
    let served = match bound {
        Ok(server) => {
            println!("Hearth is serving on http://{}", server.local_addr());
            server.run_until_shutdown().await.map_err(CliError::Serve)
        }
        Err(err) => Err(err),
    };
    presence.withdraw().await;
    served
}

/// `hearth backup --out FILE`: says where the key is and that it is not in the backup.
async fn backup_command(config: &Config, args: BackupArgs) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let summary = crate::backup::backup(&config.database_url, &args.out).await?;
    println!(
        "Backed up {} to {} ({}, {:.1} MB) in {:.1} s: the database as of one moment.",
        app::db::redact_url(&config.database_url),
        args.out.display(),
        summary.kind.label(),
        summary.bytes as f64 / 1_000_000.0,
        started.elapsed().as_secs_f64()
    );
    let place = config.key_place();
    match (&summary.key_check, config.find_data_key()) {
        (None, _) => println!("Nothing in it is sealed with a data key yet."),
        (Some(check), Ok(Some(key))) if key.check() == *check => println!(
            "Its SSNs and two-step secrets are sealed with the data key at {place}, which is not in the backup: \
             keep a copy of the key apart from the backups (without it they cannot be read; with both, anyone can)."
        ),
        (Some(check), _) => eprintln!(
            "Warning: the data key at {place} is not the one this backup needs (key check {check}): \
             find the database's own key and keep it with the backups, or they cannot be read."
        ),
    }
    Ok(())
}

/// `hearth restore --from FILE`: into a new, empty database; then migrated, and every
/// sealed value opened once.
async fn restore_command(config: &Config, args: RestoreArgs) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let key = config.find_data_key()?;
    let summary = crate::backup::restore(
        &config.database_url,
        &args.from,
        key.as_ref(),
        &config.key_place(),
    )
    .await?;
    let db = app::db::connect(&config.database_url).await?;
    Migrator::up(&db, None).await.map_err(CliError::Migrate)?;
    // The servers of the database the backup was taken from are not this one's.
    for (name, _) in app::db::settings::with_prefix(&db, app::db::settings::SERVER_ALIVE_PREFIX)
        .await
        .map_err(CliError::Database)?
    {
        app::db::settings::delete(&db, &name)
            .await
            .map_err(CliError::Database)?;
    }
    let data_key = config.data_key_for(&db).await?;
    let check = crate::keys::open_all(&db, &data_key)
        .await
        .map_err(CliError::Database)?;
    println!(
        "Restored {} ({}) into {} in {:.1} s: {} clients, {} enrollments, {} users.",
        args.from.display(),
        summary.kind.label(),
        app::db::redact_url(&config.database_url),
        started.elapsed().as_secs_f64(),
        app::db::row_count(&db, "clients")
            .await
            .map_err(CliError::Database)?,
        app::db::row_count(&db, "enrollments")
            .await
            .map_err(CliError::Database)?,
        app::db::row_count(&db, "users")
            .await
            .map_err(CliError::Database)?,
    );
    if check.not_opened > 0 {
        return Err(CliError::Usage(format!(
            "{} sealed values do not open with the data key ({}); {} do",
            check.not_opened,
            check.rows.join(", "),
            check.opened
        )));
    }
    println!(
        "All {} sealed values (SSNs, two-step secrets) open with the data key.",
        check.opened
    );
    Ok(())
}

/// `hearth copy --to URL`: each table on standard error as it is done.
async fn copy_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: CopyArgs,
) -> Result<(), CliError> {
    // The copy is useless without the key its SSNs need: make sure it is here.
    config.data_key_for(db).await?;
    let started = std::time::Instant::now();
    let target = app::db::connect(&args.to).await?;
    Migrator::up(&target, None).await.map_err(CliError::Migrate)?;
    let mut progress = |t: &crate::copy::TableCopied| eprintln!("  {}: {} rows", t.table, t.rows);
    let copied = crate::copy::copy(db, &target, &mut progress).await?;
    println!(
        "Copied {} rows of {} tables into {} in {:.1} s; every table holds as many rows as here.",
        copied.iter().map(|t| t.rows).sum::<u64>(),
        copied.len(),
        app::db::redact_url(&args.to),
        started.elapsed().as_secs_f64()
    );
    println!(
        "Its SSNs and secrets are sealed with the same data key: serve it with --data-key-file {} (or copy that file where its commands look).",
        config.data_key_path().display()
    );
    Ok(())
}

/// `hearth rotate-key`: progress on standard error, what it did on standard output.
async fn rotate_key_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: RotateKeyArgs,
) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let mut progress = |p: &crate::keys::RotationProgress| {
        eprintln!("  {}: {} of {} looked at", p.column, p.looked_at, p.total);
    };
    let batch = usize::try_from(args.batch_size).unwrap_or(500);
    let rotation = crate::keys::rotate(db, config, batch, &mut progress).await?;
    println!(
        "{} the data key: {} values sealed again ({} already were) in {:.1} s.",
        if rotation.resumed {
            "Finished rotating"
        } else {
            "Rotated"
        },
        rotation.sealed_again,
        rotation.already_new,
        started.elapsed().as_secs_f64()
    );
    if rotation.unreadable > 0 {
        println!(
            "{} values opened with neither key and were left as they were: {}",
            rotation.unreadable,
            rotation.unreadable_rows.join(", ")
        );
    }
    println!("The new key is at {}.", rotation.key.display());
    if let Some(old) = &rotation.old_key {
        println!(
            "The old key is kept at {}: backups made before now need it. Keep it with them, and delete it when they expire.",
            old.display()
        );
    }
    Ok(())
}
