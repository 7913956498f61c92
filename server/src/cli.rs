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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the web app (the default command)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:3000]
    #[arg(long, env = "HEARTH_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Directory of the compiled site (wasm, js, css) [default: target/site]
    #[arg(long, env = "HEARTH_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
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
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let serve_args = match &command {
        Command::Serve(args) => args.clone(),
        Command::Migrate => ServeArgs::default(),
    };
    let config = Config::load(
        cli.global.config.as_deref(),
        FileConfig {
            database_url: cli.global.database_url,
            addr: serve_args.addr,
            data_dir: cli.global.data_dir,
            site_root: serve_args.site_root,
            time_zone: cli.global.time_zone,
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
        Command::Serve(_) => serve(config, db).await,
    }
}

async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> Result<(), CliError> {
    let server = router::Server::bind(&config, db)
        .await
        .map_err(|source| CliError::Bind {
            addr: config.addr,
            source,
        })?;
    println!("Hearth is serving on http://{}", server.local_addr());
    server.run_until_shutdown().await.map_err(CliError::Serve)
}
