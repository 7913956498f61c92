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
    /// Key encrypting secrets at rest (base64, 32 bytes); environment or hearth.toml
    /// only, so it never shows in a process list [default: DATA_DIR/data.key]
    #[arg(skip)]
    pub data_key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the web app (the default command)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Create a user; the password is read from the first line of standard input
    CreateUser(CreateUserArgs),
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
    #[error("{0}")]
    Usage(String),
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
            data_key: cli
                .global
                .data_key
                .or_else(|| std::env::var("HEARTH_DATA_KEY").ok().filter(|k| !k.is_empty())),
        },
    )?;
    config.ensure_data_dir()?;
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
        Command::Serve(args) => {
            if args.demo {
                let created = crate::demo::seed(&db, chrono::Utc::now())
                    .await
                    .map_err(CliError::App)?;
                if !created.is_empty() {
                    tracing::info!(users = created.len(), "demo organizations and users created");
                }
                println!("{}", crate::demo::describe());
            }
            serve(config, db).await
        }
    }
}

async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> Result<(), CliError> {
    let data_key = config.data_key()?;
    let server = router::Server::bind(&config, db, data_key)
        .await
        .map_err(|source| CliError::Bind {
            addr: config.addr,
            source,
        })?;
    println!("Hearth is serving on http://{}", server.local_addr());
    server.run_until_shutdown().await.map_err(CliError::Serve)
}
