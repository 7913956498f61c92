//! Test harness: the real Hearth router on 127.0.0.1:0 against a fresh database —
//! a temporary SQLite file, or a new PostgreSQL database on the server at
//! 127.0.0.1:5432 (required when CI=true, skipped with a message otherwise).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use app::state::{AppState, Clock};
use hearth_server::config::Config;
use hearth_server::router::Server;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::sync::oneshot;

pub mod hmis_files;
pub mod households;
pub mod workflow;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a way to talk to it.
pub struct TestApp {
    pub state: AppState,
    pub base_url: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub backend: Backend,
    shutdown: std::sync::Mutex<Option<oneshot::Sender<()>>>,
    /// The server's task, until a test stops it.
    serving: std::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>,
    _database: TestDatabase,
    /// Job files (exports) of this test.
    pub files: tempfile::TempDir,
    /// This installation's ImplementationID (what its own HMIS CSV exports carry).
    pub implementation_id: String,
}

impl TestApp {
    /// The address of this test's database.
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Calls a server function (`/api/<endpoint>`) the way the hydrated page does:
    /// a form-encoded POST, JSON back.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request reaches the server")
    }
}

impl TestApp {
    /// The text of the page at `path` as `client` gets it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.expect("the page answers");
        response.text().await.expect("the page's text")
    }

    /// Creates the demo organizations and users (see `hearth serve --demo`).
    pub async fn seed_demo(&self) {
        hearth_demo::accounts::seed(&self.db, self.state.now())
            .await
            .expect("demo data");
    }

    /// A fresh client (its own cookie jar) signed in as `username` (a demo user).
    pub async fn signed_in(&self, username: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        let response = client
            .post(self.url("/api/login"))
            .header("Accept", "application/json")
            .form(&[
                ("username", username),
                ("password", hearth_demo::accounts::DEMO_PASSWORD),
            ])
            .send()
            .await
            .expect("login request");
        assert_eq!(
            response.status(),
            200,
            "{username} signs in: {}",
            response.text().await.unwrap_or_default()
        );
        client
    }

    /// Calls a server function with `client`'s cookies.
    pub async fn call_as(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// The audit actions recorded so far, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        use sea_orm::{EntityTrait, QueryOrder};
        self.state.views.flush().await;
        app::db::entities::audit_log::Entity::find()
            .order_by_asc(app::db::entities::audit_log::Column::AuditId)
            .all(&self.db)
            .await
            .expect("audit log")
            .into_iter()
            .map(|row| row.action)
            .collect()
    }
}

impl TestApp {
    /// Stops the server as a signal does (in-flight requests finish, then the server
    /// writes what it still holds); the returned task ends when it has.
    pub fn stop(&self) -> tokio::task::JoinHandle<std::io::Result<()>> {
        if let Some(tx) = self.shutdown.lock().expect("shutdown").take() {
            let _ = tx.send(());
        }
        self.serving
            .lock()
            .expect("server task")
            .take()
            .expect("the server was not stopped before")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.get_mut().ok().and_then(Option::take) {
            let _ = tx.send(());
        }
    }
}

/// Starts Hearth on a free port with a fresh, migrated database. Returns `None` for
/// PostgreSQL when no server answers and CI is not set.
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, |_| {}).await
}

/// As `spawn`, with `configure` applied to the database connection before the server
/// gets it (e.g. a metric callback that records every statement).
pub async fn spawn_with(
    backend: Backend,
    configure: impl FnOnce(&mut DatabaseConnection),
) -> Option<TestApp> {
    spawn_site(backend, configure, PathBuf::from("../target/site")).await
}

/// As `spawn_with`, serving the compiled assets of `site_root`.
pub async fn spawn_site(
    backend: Backend,
    configure: impl FnOnce(&mut DatabaseConnection),
    site_root: PathBuf,
) -> Option<TestApp> {
    // Server-side errors show in a failing test's output (RUST_LOG picks the level).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_test_writer()
        .try_init();
    let database = TestDatabase::create(backend).await?;
    let mut db = app::db::connect(&database.url)
        .await
        .expect("test database opens");
    Migrator::up(&db, None).await.expect("migrations apply");
    let implementation_id = hearth_server::hmis_csv::implementation_id(&db)
        .await
        .expect("an ImplementationID");
    configure(&mut db);
    // Job files (exports) of this test.
    let files = tempfile::tempdir().expect("temp dir");
    let config = Config {
        database_url: database.url.clone(),
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: database.dir.clone().unwrap_or_else(std::env::temp_dir),
        site_root,
        time_zone: "America/Chicago".parse().expect("valid zone"),
        security: app::state::Security::default(),
        data_key: None,
        data_key_file: files.path().join("data.key"),
        // Tests run sweeps themselves, on their own clock.
        auto_exit_at: None,
        // And refresh the Annual Assessment Tool's kept rows themselves.
        keep_summaries: false,
    };
    let state = AppState {
        db: db.clone(),
        security: config.security,
        time_zone: config.time_zone,
        clock: Clock::manual(chrono::Utc::now()),
        data_key: app::crypto::DataKey::generate(),
        jobs: app::jobs::Jobs::new(files.path().join("jobs")),
        views: app::db::audit::ViewLog::start(db.clone()),
    };
    let server = Server::bind_with_state(&config, state.clone())
        .await
        .expect("binds a free port");
    let base_url = format!("http://{}", server.local_addr());
    let (tx, rx) = oneshot::channel();
    let serving = tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("http client");
    Some(TestApp {
        state,
        base_url,
        client,
        db,
        backend,
        shutdown: std::sync::Mutex::new(Some(tx)),
        serving: std::sync::Mutex::new(Some(serving)),
        _database: database,
        files,
        implementation_id,
    })
}

/// The PostgreSQL server tests use; override with HEARTH_TEST_POSTGRES_URL.
pub fn postgres_admin_url() -> String {
    std::env::var("HEARTH_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub url: String,
    pub dir: Option<PathBuf>,
    _tempdir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

impl TestDatabase {
    /// A new, empty database; `None` for PostgreSQL when no server answers outside CI.
    pub async fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("hearth.db").display());
                Some(TestDatabase {
                    url,
                    dir: Some(dir.path().to_path_buf()),
                    _tempdir: Some(dir),
                    postgres_name: None,
                })
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = match Database::connect(&admin_url).await {
                    Ok(admin) => admin,
                    Err(err) if !in_ci() => {
                        eprintln!(
                            "SKIPPED: no PostgreSQL answers at {} ({err}); PostgreSQL tests run when one does (and are required when CI=true).",
                            app::db::redact_url(&admin_url)
                        );
                        return None;
                    }
                    Err(err) => panic!(
                        "CI=true requires PostgreSQL at {}: {err}",
                        app::db::redact_url(&admin_url)
                    ),
                };
                let name = format!("hearth_test_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                let url = match admin_url.rsplit_once('/') {
                    Some((server, _db)) => format!("{server}/{name}"),
                    None => panic!("HEARTH_TEST_POSTGRES_URL needs a database path"),
                };
                Some(TestDatabase {
                    url,
                    dir: None,
                    _tempdir: None,
                    postgres_name: Some(name),
                })
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs outside async code: use a small runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&postgres_admin_url()).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

/// Defines `NAME::sqlite` and `NAME::postgres`, each running `BODY` with a fresh
/// `TestApp` bound to `app`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = common::spawn(common::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = common::spawn(common::Backend::Postgres).await else {
                    return;
                };
                $body
            }
        }
    };
}

/// The first column of the first row `sql` answers.
pub async fn one<T: sea_orm::TryGetable>(db: &DatabaseConnection, sql: &str) -> T {
    db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .await
    .expect("the query runs")
    .expect("a row")
    .try_get_by_index(0)
    .expect("its first column")
}

/// Every table's row count (the migrations' own table too).
pub async fn table_counts(db: &DatabaseConnection) -> std::collections::BTreeMap<String, u64> {
    let backend = db.get_database_backend();
    let list = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let mut counts = std::collections::BTreeMap::new();
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(backend, list.to_string()))
        .await
        .expect("the tables are listed")
    {
        let table: String = row.try_get_by_index(0).expect("a table name");
        let n = app::db::row_count(db, &table).await.expect("rows are counted");
        counts.insert(table, n);
    }
    counts
}

/// Adds clients `w00000`, `w00001`, … (copies of a client on record, each with its
/// own SSN sealed by `key`), one transaction each, until stopped: the writes a backup
/// is taken during.
pub struct ClientWriter {
    written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl ClientWriter {
    pub async fn start(db: DatabaseConnection, key: app::crypto::DataKey) -> Self {
        use app::db::entities::client;
        use sea_orm::{ActiveModelTrait as _, EntityTrait as _};
        use std::sync::atomic::Ordering;
        let template = client::Entity::find()
            .one(&db)
            .await
            .expect("clients are read")
            .expect("a client on record");
        let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let task = tokio::spawn({
            let (written, stop) = (written.clone(), stop.clone());
            async move {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let mut row = template.clone();
                    row.personal_id = format!("w{i:05}");
                    row.ssn_encrypted = Some(key.seal(
                        Self::ssn(i).as_bytes(),
                        &app::crypto::ssn_context(&row.personal_id),
                    ));
                    let row = client::ActiveModel::from(row).reset_all();
                    client::Entity::insert(row)
                        .exec(&db)
                        .await
                        .expect("a client is written");
                    i += 1;
                    written.store(i, Ordering::SeqCst);
                }
            }
        });
        ClientWriter { written, stop, task }
    }

    /// The SSN of the `i`th client written.
    pub fn ssn(i: usize) -> String {
        format!("{:09}", 100_000_000 + i)
    }

    /// How many clients are written so far.
    pub fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until at least `n` are written.
    pub async fn wait_for(&self, n: usize) {
        while self.written() < n {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// Stops; answers how many were written.
    pub async fn stop(self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let written = self.written.clone();
        self.task.await.expect("the writer ran");
        written.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The writer's clients in `db`, in order, with their sealed SSNs; panics unless
    /// they are the first ones written with none missing, each SSN opening with `key`.
    /// Answers how many.
    pub async fn check_prefix(db: &DatabaseConnection, key: &app::crypto::DataKey) -> usize {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT personal_id, ssn_encrypted FROM clients WHERE personal_id LIKE 'w%' ORDER BY personal_id"
                    .to_string(),
            ))
            .await
            .expect("clients are read");
        for (i, row) in rows.iter().enumerate() {
            let id: String = row.try_get_by_index(0).expect("an ID");
            let sealed: String = row.try_get_by_index(1).expect("a sealed SSN");
            assert_eq!(
                id,
                format!("w{i:05}"),
                "the writer's clients up to one moment, none missing"
            );
            assert_eq!(
                key.open(&sealed, &app::crypto::ssn_context(&id))
                    .expect("the SSN opens"),
                Self::ssn(i).as_bytes()
            );
        }
        rows.len()
    }
}

/// Defines `NAME::sqlite` and `NAME::postgres`, each running `BODY` with `backend` set
/// (the body makes its own databases: `TestDatabase::create(backend)`).
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$backend:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $backend = common::Backend::Sqlite;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $backend = common::Backend::Postgres;
                $body
            }
        }
    };
}

/// Generated demo data (`hearth demo-data`: households of several members, years of
/// history) of `clients` clients up to `today`, and an HMIS admin's session to read it.
pub async fn generated(
    app: &TestApp,
    clients: u64,
    seed: u64,
    today: chrono::NaiveDate,
) -> app::session::CurrentSession {
    let options = hearth_demo::data::Options {
        clients,
        seed,
        today,
        progress: false,
    };
    hearth_demo::data::run(&app.db, &options, &app.state.data_key)
        .await
        .expect("demo data is written");
    hearth_demo::bench::bench_session(&app.state, app::domain::access::Workgroup::HmisAdmin)
        .await
        .unwrap()
}
