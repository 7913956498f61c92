//! What each `hearth` command does (`run` in `cli` dispatches to these).

use std::net::SocketAddr;

use migration::{Migrator, MigratorTrait};

use crate::config::Config;
use crate::router;

use super::*;

pub(super) async fn import_command(
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
pub(super) fn write_report(
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
pub(super) async fn pages_bench_command(
    config: &Config,
    state: app::state::AppState,
    url: Option<String>,
    options: hearth_demo::bench::pages::Options,
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
    let report = hearth_demo::bench::pages::run(&state, &base, &options)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    println!("{report}");
    if let Some(tx) = shutdown {
        let _ = tx.send(());
    }
    Ok(())
}

pub(super) async fn auto_exit_command(
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
    let actor = app::db::audit::Actor::system("hearth auto-exit");
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

pub(super) async fn export_command(
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

pub(super) async fn create_user_command(
    db: &sea_orm::DatabaseConnection,
    args: CreateUserArgs,
) -> Result<(), CliError> {
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

/// `hearth demo-data`: refuses a database with clients; prints progress to standard
/// error and the summary (and any demo logins created) to standard output.
pub(super) async fn demo_data_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    args: DemoDataArgs,
) -> Result<(), CliError> {
    let options = hearth_demo::data::Options {
        clients: args.clients,
        seed: args.seed,
        today: args
            .today
            .unwrap_or_else(|| chrono::Utc::now().with_timezone(&config.time_zone).date_naive()),
        progress: true,
    };
    let summary = hearth_demo::data::run(db, &options, &config.data_key_for(db).await?).await?;
    print!("{summary}");
    if !summary.demo_users.is_empty() {
        println!("{}", hearth_demo::accounts::describe());
    }
    Ok(())
}

pub(super) async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> Result<(), CliError> {
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
pub(super) async fn backup_command(config: &Config, args: BackupArgs) -> Result<(), CliError> {
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
pub(super) async fn restore_command(config: &Config, args: RestoreArgs) -> Result<(), CliError> {
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
pub(super) async fn copy_command(
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
pub(super) async fn rotate_key_command(
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
