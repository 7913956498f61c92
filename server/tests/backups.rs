//! Issue 26: backups a CoC can restore. A backup taken while clients are being written
//! is the database as of one moment; restored into a new database every row is there
//! and every SSN opens; a restore with another key, without a key, into a database in
//! use or of the other kind is refused and stores nothing. Both databases.

mod common;

use std::collections::BTreeMap;

use app::crypto::DataKey;
use hearth_server::backup::{self, BackupError};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// A new, migrated database of `backend` with `clients` generated clients, their SSNs
/// sealed with the key it answers (its check stored as a first start stores it).
async fn with_demo_clients(
    backend: common::Backend,
    clients: u64,
    seed: u64,
) -> Option<(common::TestDatabase, DatabaseConnection, DataKey)> {
    let database = common::TestDatabase::create(backend).await?;
    let db = app::db::connect(&database.url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let key = DataKey::generate();
    app::db::settings::set(
        &db,
        app::db::settings::DATA_KEY_CHECK,
        &key.check(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let options = hearth_demo::data::Options {
        clients,
        seed,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        progress: false,
    };
    hearth_demo::data::run(&db, &options, &key).await.unwrap();
    Some((database, db, key))
}

on_both_backends!(a_backup_taken_while_writing_restores_whole, |backend| {
    let Some((source, db, key)) = with_demo_clients(backend, 60, 7).await else {
        return;
    };

    let writer = common::ClientWriter::start(db.clone(), key.clone()).await;
    writer.wait_for(5).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hearth.backup");
    let summary = backup::backup(&source.url, &out).await.unwrap();
    let by_then = writer.written();
    writer.wait_for(by_then + 3).await;
    let total = writer.stop().await;
    assert_eq!(summary.key_check, Some(key.check()));
    assert!(summary.bytes > 0);
    assert!(!dir.path().join("hearth.backup.partial").exists());
    // A backup never overwrites.
    assert!(matches!(
        backup::backup(&source.url, &out).await,
        Err(BackupError::Exists(_))
    ));

    // Refused, storing nothing: another key, no key, a database in use, the other kind.
    let target = common::TestDatabase::create(backend).await.unwrap();
    let other = DataKey::generate();
    assert!(matches!(
        backup::restore(&target.url, &out, Some(&other), "elsewhere").await,
        Err(BackupError::WrongKey { .. })
    ));
    let refused = backup::restore(&target.url, &out, None, "/keys/data.key").await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("not at /keys/data.key")),
        "{refused:?}"
    );
    assert!(matches!(
        backup::restore(&source.url, &out, Some(&key), "here").await,
        Err(BackupError::NotEmpty(_))
    ));
    let other_kind = match backend {
        common::Backend::Sqlite => "postgres://postgres@127.0.0.1:5432/never_made".to_string(),
        common::Backend::Postgres => format!("sqlite://{}?mode=rwc", dir.path().join("other.db").display()),
    };
    assert!(matches!(
        backup::restore(&other_kind, &out, Some(&key), "here").await,
        Err(BackupError::WrongTarget { .. })
    ));
    let restored = app::db::connect(&target.url).await.unwrap();
    assert!(
        common::table_counts(&restored).await.is_empty(),
        "nothing was stored"
    );
    restored.close().await.unwrap();

    // Restored: the database as of one moment.
    backup::restore(&target.url, &out, Some(&key), "here")
        .await
        .unwrap();
    let restored = app::db::connect(&target.url).await.unwrap();
    Migrator::up(&restored, None).await.unwrap();
    let opened = hearth_server::keys::open_all(&restored, &key).await.unwrap();
    assert_eq!(opened.not_opened, 0, "{:?}", opened.rows);
    let k = common::ClientWriter::check_prefix(&restored, &key).await;
    assert!(
        (5..=by_then).contains(&k),
        "{k} of the writer's clients, {by_then} written when the backup ended"
    );
    let (before, after) = (
        common::table_counts(&db).await,
        common::table_counts(&restored).await,
    );
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (table, n) in &before {
        let expected = if table == "clients" {
            n - (total - k) as u64
        } else {
            *n
        };
        assert_eq!(after[table], expected, "{table}");
    }
    let sealed: i64 = common::one(
        &restored,
        "SELECT count(*) FROM clients WHERE ssn_encrypted IS NOT NULL",
    )
    .await;
    assert_eq!(opened.opened as i64, sealed, "every SSN opens");
});

/// Each file of an HMIS CSV export as its lines, sorted (rows of enrollments' records
/// come in no set order).
fn export_files(path: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        files.insert(file.name().to_string(), lines);
    }
    files
}

/// Issue 26: `hearth copy` moves a populated SQLite database into PostgreSQL losing
/// nothing: every table's row count, the same HMIS CSV export, passwords and sealed
/// SSNs as they were; counters go on after the copied IDs; a database in use is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_moves_to_postgresql_whole() {
    let Some(target) = common::TestDatabase::create(common::Backend::Postgres).await else {
        return;
    };
    let (_source, db, key) = with_demo_clients(common::Backend::Sqlite, 80, 11)
        .await
        .expect("SQLite is always available");
    hearth_demo::accounts::seed(&db, chrono::Utc::now())
        .await
        .unwrap();
    app::db::audit::record(
        &db,
        chrono::Utc::now(),
        &app::db::audit::Actor::default(),
        app::db::audit::Event::new("test.before_copy"),
    )
    .await
    .unwrap();

    // The installation's ImplementationID (made by its first export) moves with it.
    let implementation_id = hearth_server::hmis_csv::implementation_id(&db).await.unwrap();
    let pg = app::db::connect(&target.url).await.unwrap();
    Migrator::up(&pg, None).await.unwrap();
    let mut heard = Vec::new();
    let copied = hearth_server::copy::copy(&db, &pg, &mut |t| heard.push(t.clone()))
        .await
        .unwrap();
    assert_eq!(heard, copied);
    assert_eq!(
        hearth_server::hmis_csv::implementation_id(&pg).await.unwrap(),
        implementation_id
    );
    let (before, after) = (common::table_counts(&db).await, common::table_counts(&pg).await);
    assert_eq!(before, after, "every table holds as many rows");
    assert!(before["clients"] >= 80 && before["users"] > 1 && before["audit_log"] > 0);

    // The same HMIS CSV export from both.
    let dir = tempfile::tempdir().unwrap();
    let export = |db: DatabaseConnection, name: &'static str| {
        let key = key.clone();
        let path = dir.path().join(name);
        async move {
            let options = hearth_server::hmis_csv::ExportOptions {
                from: None,
                to: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                projects: vec![],
                hash_pii: false,
                time_zone: "America/Chicago".parse().unwrap(),
                now: chrono::DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
                    .unwrap()
                    .to_utc(),
                export_id: "copytest".into(),
                implementation_id: hearth_server::hmis_csv::implementation_id(&db).await.unwrap(),
                data_key: key,
            };
            hearth_server::hmis_csv::export_to_path(&db, &path, &options, &mut |_| {})
                .await
                .unwrap();
            export_files(&path)
        }
    };
    let (here, there) = (
        export(db.clone(), "sqlite.zip").await,
        export(pg.clone(), "pg.zip").await,
    );
    assert_eq!(here.len(), 24);
    for (file, lines) in &here {
        assert_eq!(Some(lines), there.get(file), "{file}");
    }
    // Passwords and sealed values as they were.
    let hashes = |db: DatabaseConnection| async move {
        db.query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT username, password_hash FROM users ORDER BY username".to_string(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get_by_index::<String>(0).unwrap(),
                r.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect::<Vec<_>>()
    };
    assert_eq!(hashes(db.clone()).await, hashes(pg.clone()).await);
    let opened = hearth_server::keys::open_all(&pg, &key).await.unwrap();
    assert_eq!(opened.not_opened, 0);
    assert!(opened.opened > 0);
    // Counters go on: a new audit row gets a new ID.
    app::db::audit::record(
        &pg,
        chrono::Utc::now(),
        &app::db::audit::Actor::default(),
        app::db::audit::Event::new("test.after_copy"),
    )
    .await
    .unwrap();
    // Not into a database in use.
    let again = hearth_server::copy::copy(&db, &pg, &mut |_| {}).await;
    assert!(
        matches!(again, Err(hearth_server::copy::CopyError::NotEmpty(_))),
        "{again:?}"
    );
}
