//! Crash safety (issue 20): `kill -9` of the server during an administrative exit, of
//! `hearth auto-exit` in the middle of its sweep and of `hearth import` in the middle of
//! writing. After a restart no household is half-exited, no import is half-written, the
//! server's job shows "interrupted" with what it had done, and running it again
//! finishes the work (each household exited once). `kill -9` of `hearth rotate-key`
//! halfway loses no SSN or secret; the restore drill (serve, write, back up while
//! writing, restore elsewhere, serve that). Both databases; the real binary.

#[path = "../common/mod.rs"]
mod common;

mod keys;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// The `hearth` binary on `database` with its data (key, jobs) in `data_dir`.
fn hearth(database: &str, data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    // Long jobs pause at each step, so the kill lands in the middle on any machine.
    cmd.env("HEARTH_TEST_PACE_MS", "20")
        // No nightly sweep unless a test asks for one.
        .env("HEARTH_AUTO_EXIT_AT", "off")
        .env_remove("HEARTH_CONFIG")
        .env("DATABASE_URL", database)
        .env("HEARTH_DATA_DIR", data_dir)
        .env("HEARTH_TIME_ZONE", "America/Chicago")
        .env("RUST_LOG", "off");
    cmd
}

fn run(cmd: &mut Command) -> String {
    let output = cmd.output().expect("hearth runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A database with the demo CoC and `clients` generated clients.
async fn prepared(
    backend: common::Backend,
    clients: u64,
) -> Option<(common::TestDatabase, tempfile::TempDir)> {
    let database = common::TestDatabase::create(backend).await?;
    let dir = tempfile::tempdir().unwrap();
    run(hearth(&database.url, dir.path()).arg("migrate"));
    run(hearth(&database.url, dir.path()).args([
        "demo-data",
        "--clients",
        &clients.to_string(),
        "--seed",
        "20",
    ]));
    Some((database, dir))
}

/// A running `hearth serve` and its address.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(database: &str, data_dir: &std::path::Path) -> Served {
        Served::start_with(database, data_dir, &[])
    }

    /// With more environment (`HEARTH_AUTO_EXIT_AT`, …).
    fn start_with(database: &str, data_dir: &std::path::Path, env: &[(&str, &str)]) -> Served {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = hearth(database, data_dir)
            .envs(env.iter().copied())
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--site-root")
            .arg(data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("hearth serve starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "hearth serve listens");
            std::thread::sleep(Duration::from_millis(50));
        }
        Served { child, base }
    }

    /// A clean stop (SIGTERM), as a service manager stops it.
    fn stop(mut self) {
        let status = Command::new("kill")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap();
    }

    /// `kill -9`.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn admin(&self) -> reqwest::Client {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(format!("{}/api/login", self.base))
            .header("Accept", "application/json")
            .form(&[
                ("username", "admin"),
                ("password", hearth_demo::accounts::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        client
    }

    /// Previews the administrative exit of every household without a service or
    /// contact for 30 days; answers the plan's ID.
    async fn preview_inactive(&self, admin: &reqwest::Client) -> String {
        let response = self
            .call(
                admin,
                "preview_admin_exit",
                &[("filter[days]", "30"), ("all", "yes")],
            )
            .await;
        assert_eq!(response.status(), 200);
        // The answer is the plan's page: /admin/admin-exits/<plan ID>.
        let page: String = response.json().await.unwrap();
        page.rsplit('/').next().unwrap().to_string()
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    common::one(db, sql).await
}

async fn job(db: &DatabaseConnection, id: &str) -> (String, i32, Option<String>) {
    use app::db::entities::job_run;
    use sea_orm::EntityTrait;
    let row = job_run::Entity::find_by_id(id.to_string())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    (row.status, row.progress, row.message)
}

/// The open enrollments (no live exit) of each household.
async fn open_households(db: &DatabaseConnection) -> BTreeMap<String, Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT e.household_id, e.enrollment_id FROM enrollments e WHERE e.date_deleted IS NULL \
             AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)"
                .to_string(),
        ))
        .await
        .unwrap();
    let mut households: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        let household: String = row.try_get_by_index(0).unwrap();
        let enrollment: String = row.try_get_by_index(1).unwrap();
        households.entry(household).or_default().push(enrollment);
    }
    households
}

/// Households of `before` (open members then) some but not all of whose members have
/// been exited since: a crash between one member's exit and the next.
async fn half_exited(db: &DatabaseConnection, before: &BTreeMap<String, Vec<String>>) -> usize {
    let now = open_households(db).await;
    before
        .iter()
        .filter(|(household, members)| {
            let still_open = now.get(*household).map_or(0, Vec::len);
            still_open != 0 && still_open != members.len()
        })
        .count()
}

/// Enrollments with more than one live exit.
async fn exited_twice(db: &DatabaseConnection) -> i64 {
    scalar(
        db,
        "SELECT COUNT(*) FROM (SELECT enrollment_id FROM exits WHERE date_deleted IS NULL \
         GROUP BY enrollment_id HAVING COUNT(*) > 1) t",
    )
    .await
}

async fn wait_for(
    db: &DatabaseConnection,
    id: &str,
    status: &str,
    within: Duration,
) -> (String, i32, Option<String>) {
    let deadline = Instant::now() + within;
    loop {
        let row = job(db, id).await;
        if row.0 == status {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "job {id} never became {status}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_backends!(a_server_killed_during_an_administrative_exit, |backend| {
    let Some((database, dir)) = prepared(backend, 3000).await else {
        return;
    };
    let db = app::db::connect(&database.url).await.unwrap();
    let before = open_households(&db).await;
    let server = Served::start(&database.url, dir.path());
    let admin = server.admin().await;
    let plan_id = server.preview_inactive(&admin).await;
    let view: app::features::admin_exits::api::AdminExitPlanView = server
        .call(&admin, "admin_exit_plan", &[("plan_id", &plan_id)])
        .await
        .json()
        .await
        .unwrap();
    let total = view.plan.households.len();
    assert!(total >= 100, "enough households to stop in the middle: {total}");
    let planned: Vec<String> = view
        .plan
        .households
        .iter()
        .flat_map(|h| h.members.iter().map(|m| m.enrollment_id.clone()))
        .collect();
    assert_eq!(
        server
            .call(&admin, "run_admin_exit", &[("plan_id", &plan_id)])
            .await
            .status(),
        200
    );
    // Killed as soon as some households are exited.
    let deadline = Instant::now() + Duration::from_secs(60);
    while job(&db, &plan_id).await.1 < 5 {
        assert!(Instant::now() < deadline, "the exit makes progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let (status, progress, _) = job(&db, &plan_id).await;
    assert_eq!(status, "running", "killed mid-run");
    assert!((progress as usize) < total, "{progress} of {total}");
    assert_eq!(half_exited(&db, &before).await, 0, "no household is half-exited");

    // Restarted: the job is seen as interrupted with what it had done …
    let server = Served::start(&database.url, dir.path());
    let (_, done, message) = wait_for(&db, &plan_id, "interrupted", Duration::from_secs(60)).await;
    let message = message.unwrap_or_default();
    assert!(
        message.starts_with(&format!("Interrupted ({done} of {total} done)")),
        "{message}"
    );
    // … and running it again finishes the work, each household once.
    let admin = server.admin().await;
    let response = server
        .call(&admin, "run_job_again", &[("job_run_id", &plan_id)])
        .await;
    assert_eq!(response.status(), 200);
    wait_for(&db, &plan_id, "done", Duration::from_secs(120)).await;
    let ids = planned
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    let exited = scalar(
        &db,
        &format!("SELECT COUNT(DISTINCT enrollment_id) FROM exits WHERE date_deleted IS NULL AND enrollment_id IN ({ids})"),
    )
    .await;
    assert_eq!(exited as usize, planned.len(), "every planned member is exited");
    assert_eq!(exited_twice(&db).await, 0);
    assert_eq!(half_exited(&db, &before).await, 0);
    // A job that is not interrupted cannot be run again.
    let response = server
        .call(&admin, "run_job_again", &[("job_run_id", &plan_id)])
        .await;
    assert_eq!(response.status(), 409);
});

on_both_backends!(an_auto_exit_sweep_killed_in_the_middle, |backend| {
    let Some((database, dir)) = prepared(backend, 3000).await else {
        return;
    };
    let db = app::db::connect(&database.url).await.unwrap();
    // Every project exits households after 30 days without activity.
    db.execute_unprepared("UPDATE projects SET auto_exit_days = 30")
        .await
        .unwrap();
    let before = open_households(&db).await;
    let exits_at_start = scalar(&db, "SELECT COUNT(*) FROM exits").await;
    let mut sweep = hearth(&database.url, dir.path())
        .arg("auto-exit")
        // A pause after each batch of 500 heads: the kill lands between two batches.
        .env("HEARTH_TEST_PACE_MS", "500")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(sweep.stderr.take().unwrap());
    for line in stderr.lines() {
        let line = line.unwrap();
        // "  N of M heads of household looked at": killed once it is under way.
        if line
            .trim_start()
            .split(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n > 0)
        {
            break;
        }
    }
    sweep.kill().unwrap();
    sweep.wait().unwrap();
    let exited_before = scalar(&db, "SELECT COUNT(*) FROM exits").await;
    assert!(
        exited_before > exits_at_start,
        "the sweep had exited some households"
    );
    assert_eq!(half_exited(&db, &before).await, 0, "no household is half-exited");
    // The dead sweep's lease is still there; a new sweep waits for it to go stale …
    let output = hearth(&database.url, dir.path())
        .arg("auto-exit")
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "a second sweep does not run beside a live lease"
    );
    // … which takes a minute without renewal (here: the minute passes).
    let stale = chrono::Utc::now() - chrono::Duration::minutes(2);
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        match backend {
            common::Backend::Sqlite => "UPDATE sweep_locks SET renewed_at = ?",
            common::Backend::Postgres => "UPDATE sweep_locks SET renewed_at = $1",
        },
        [stale.into()],
    ))
    .await
    .unwrap();
    run(hearth(&database.url, dir.path()).arg("auto-exit"));
    assert!(
        scalar(&db, "SELECT COUNT(*) FROM exits").await > exited_before,
        "the sweep was killed before its end, and the rerun finished it"
    );
    assert_eq!(half_exited(&db, &before).await, 0);
    assert_eq!(exited_twice(&db).await, 0, "no enrollment is exited twice");
    // A third sweep finds nothing left to do.
    let after = scalar(&db, "SELECT COUNT(*) FROM exits").await;
    run(hearth(&database.url, dir.path()).arg("auto-exit"));
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM exits").await, after);
});

on_both_backends!(an_import_killed_while_writing, |backend| {
    // The export of a generated CoC …
    let Some((source, source_dir)) = prepared(common::Backend::Sqlite, 1500).await else {
        return;
    };
    let zip = source_dir.path().join("export.zip");
    run(hearth(&source.url, source_dir.path())
        .args(["export", "--from", "2000-01-01", "--out"])
        .arg(&zip));
    let clients = {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
        let file = archive.by_name("Client.csv").unwrap();
        csv::Reader::from_reader(file).records().count() as i64
    };
    // … imported into an empty database, killed while it writes.
    let Some(target) = common::TestDatabase::create(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run(hearth(&target.url, dir.path()).arg("migrate"));
    let db = app::db::connect(&target.url).await.unwrap();
    let mut import = hearth(&target.url, dir.path())
        .arg("import")
        .arg(&zip)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(import.stderr.take().unwrap());
    let mut writing = false;
    for line in stderr.lines() {
        if line.unwrap().contains("importing Client.csv") {
            writing = true;
            break;
        }
    }
    assert!(writing, "the import reached its writing");
    std::thread::sleep(Duration::from_millis(50));
    import.kill().unwrap();
    import.wait().unwrap();
    for table in ["organizations", "projects", "clients", "enrollments"] {
        assert_eq!(
            scalar(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "nothing of the import is in {table}"
        );
    }
    // Run again, it imports whole.
    run(hearth(&target.url, dir.path()).arg("import").arg(&zip));
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM clients").await, clients);
});

/// Two servers on one PostgreSQL database: the nightly auto-exit sweep (queued by the
/// servers as they start, run by one of them) and an administrative exit of the same
/// households at once; each household is exited once, whole, and both jobs finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_and_an_administrative_exit_at_once_on_one_postgresql() {
    let Some((database, dir)) = prepared(common::Backend::Postgres, 3000).await else {
        return;
    };
    let db = app::db::connect(&database.url).await.unwrap();
    db.execute_unprepared("UPDATE projects SET auto_exit_days = 30")
        .await
        .unwrap();
    let before = open_households(&db).await;
    // Both servers queue tonight's sweep as they start (once for both).
    let nightly = [("HEARTH_AUTO_EXIT_AT", "00:00")];
    let first = Served::start_with(&database.url, dir.path(), &nightly);
    let admin = first.admin().await;
    let plan_id = first.preview_inactive(&admin).await;
    // The second server starts as the exit is confirmed on the first.
    let second = Served::start_with(&database.url, dir.path(), &nightly);
    assert_eq!(
        first
            .call(&admin, "run_admin_exit", &[("plan_id", &plan_id)])
            .await
            .status(),
        200
    );
    let (_, _, message) = wait_for(&db, &plan_id, "done", Duration::from_secs(180)).await;
    assert!(message.unwrap_or_default().starts_with("Exited"));
    let sweep: String = {
        use app::db::entities::job_run;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let jobs = job_run::Entity::find()
            .filter(job_run::Column::Kind.eq("auto_exit"))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(jobs.len(), 1, "one nightly sweep for both servers");
        jobs[0].job_run_id.clone()
    };
    wait_for(&db, &sweep, "done", Duration::from_secs(180)).await;
    assert_eq!(exited_twice(&db).await, 0, "no enrollment is exited twice");
    assert_eq!(half_exited(&db, &before).await, 0, "no household is half-exited");
    let exited = before.len() - open_households(&db).await.len();
    assert!(exited > 0, "the households were exited");
    drop((first, second));
}
