//! The query plan of every statement the hot pages send — the walk of
//! `hearth bench pages`: client dashboard, search, priority list, Annual Assessment
//! Tool, the exit workflow's steps, Default Last, No Changes and Finish — on a
//! database whose statistics say it holds a million clients. A full scan of a large
//! table fails the test, so the next missing index fails CI, not a Continuum of Care.
//!
//! SQLite: `EXPLAIN QUERY PLAN` after `ANALYZE`, with the large tables' row counts in
//! `sqlite_stat1` set to what 1,000,000 demo clients make. PostgreSQL: `EXPLAIN` with
//! `enable_seqscan = off`, so a sequential scan is left only where no index can serve.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use hearth_demo::bench::pages::{Sample, Walk};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};

/// Tables that grow with the clients, and their rows at 1,000,000 demo clients
/// (docs/PERFORMANCE.md; the audit log and the CE tables grow with use).
const LARGE: &[(&str, i64)] = &[
    ("clients", 1_000_000),
    ("enrollments", 1_619_720),
    ("exits", 1_414_079),
    ("assessment_events", 3_259_972),
    ("income_benefits", 3_259_972),
    ("disabilities", 18_202_794),
    ("health_and_dvs", 1_077_547),
    ("employment_educations", 919_107),
    ("youth_education_statuses", 200_000),
    ("services", 1_297_273),
    ("current_living_situations", 914_657),
    ("assessments", 434_774),
    ("assessment_questions", 4_000_000),
    ("assessment_results", 434_774),
    ("events", 290_260),
    ("case_assignments", 1_000_000),
    ("ce_priority", 268_000),
    ("annual_due", 700_000),
    ("dq_facts", 1_619_720),
    // An FY2024 import of the whole CoC.
    ("retired_client_elements", 1_000_000),
    ("retired_enrollment_elements", 1_619_720),
    ("ce_referrals", 100_000),
    ("client_contacts", 500_000),
    ("emergency_contacts", 500_000),
    ("residence_history", 500_000),
    ("outreach_info", 500_000),
    ("client_notes", 500_000),
    ("workflow_drafts", 20_000),
    ("audit_log", 20_000_000),
    ("sessions", 5_000),
];

/// Full scans that are right, with the reason (statement fragment, table).
const ALLOWED: &[(&str, &str, &str)] = &[];

fn is_large(table: &str) -> bool {
    LARGE.iter().any(|(t, _)| *t == table)
}

/// The statements a test sends, in order, without repeats.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Option<BTreeMap<String, Statement>>>>);

impl Recorder {
    fn start(&self) {
        *self.0.lock().unwrap() = Some(BTreeMap::new());
    }

    fn take(&self) -> Vec<Statement> {
        self.0
            .lock()
            .unwrap()
            .take()
            .unwrap_or_default()
            .into_values()
            .collect()
    }

    fn record(&self, statement: &Statement) {
        let sql = statement.sql.trim_start().to_ascii_uppercase();
        let data = ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE"];
        if !data.iter().any(|d| sql.starts_with(d)) {
            return;
        }
        if let Some(seen) = self.0.lock().unwrap().as_mut() {
            seen.entry(statement.sql.clone())
                .or_insert_with(|| statement.clone());
        }
    }
}

/// Table names by the names a statement gives them (`FROM enrollments e`).
fn aliases(sql: &str) -> BTreeMap<String, String> {
    const KEYWORDS: &[&str] = &[
        "WHERE",
        "JOIN",
        "LEFT",
        "INNER",
        "CROSS",
        "ON",
        "ORDER",
        "GROUP",
        "LIMIT",
        "SET",
        "VALUES",
        "UNION",
        "HAVING",
        "USING",
        "AND",
        "OR",
        "AS",
        "NATURAL",
        "OUTER",
        "RETURNING",
        "WINDOW",
    ];
    let tokens: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_matches('"').to_string())
        .collect();
    let mut names = BTreeMap::new();
    for (i, token) in tokens.iter().enumerate() {
        if !matches!(
            token.to_ascii_uppercase().as_str(),
            "FROM" | "JOIN" | "UPDATE" | "INTO"
        ) {
            continue;
        }
        let Some(table) = tokens.get(i + 1) else { continue };
        names.insert(table.clone(), table.clone());
        let mut next = i + 2;
        if tokens.get(next).is_some_and(|t| t.eq_ignore_ascii_case("AS")) {
            next += 1;
        }
        if let Some(alias) = tokens.get(next)
            && !KEYWORDS.contains(&alias.to_ascii_uppercase().as_str())
        {
            names.insert(alias.clone(), table.clone());
        }
    }
    names
}

/// Gives the large tables a million clients' statistics (SQLite).
async fn sqlite_statistics(db: &impl ConnectionTrait) {
    db.execute_unprepared("ANALYZE").await.expect("ANALYZE");
    for (table, rows) in LARGE {
        let stats = db
            .query_all_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?",
                [(*table).into()],
            ))
            .await
            .expect("statistics");
        if stats.is_empty() {
            db.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ?)",
                [(*table).into(), rows.to_string().into()],
            ))
            .await
            .expect("table statistics");
            continue;
        }
        for row in stats {
            let idx: Option<String> = row.try_get("", "idx").expect("idx");
            let stat: String = row.try_get("", "stat").expect("stat");
            let mut numbers: Vec<String> = stat.split(' ').map(str::to_string).collect();
            numbers[0] = rows.to_string();
            db.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?",
                [numbers.join(" ").into(), (*table).into(), idx.into()],
            ))
            .await
            .expect("index statistics");
        }
    }
}

/// The full scans of large tables in the SQLite plan of `statement`.
async fn sqlite_scans(db: &impl ConnectionTrait, statement: &Statement) -> Vec<String> {
    let plan = db
        .query_all_raw(Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
            ..statement.clone()
        })
        .await
        .unwrap_or_else(|e| panic!("plan of {}: {e}", statement.sql));
    let names = aliases(&statement.sql);
    let mut scans = Vec::new();
    for row in plan {
        let detail: String = row.try_get("", "detail").expect("detail");
        let Some(rest) = detail.strip_prefix("SCAN ") else {
            continue;
        };
        let name = rest.split(' ').next().unwrap_or_default();
        let table = names.get(name).map(String::as_str).unwrap_or(name);
        if is_large(table) {
            scans.push(format!("{table}: {detail}"));
        }
    }
    scans
}

/// The sequential scans of large tables in the PostgreSQL plan of `statement`.
async fn postgres_scans(db: &sea_orm::DatabaseConnection, statement: &Statement) -> Vec<String> {
    fn walk(node: &serde_json::Value, scans: &mut Vec<String>) {
        if node["Node Type"] == "Seq Scan"
            && let Some(table) = node["Relation Name"].as_str()
            && is_large(table)
        {
            scans.push(format!("{table}: Seq Scan (filter {})", node["Filter"]));
        }
        if let Some(children) = node["Plans"].as_array() {
            for child in children {
                walk(child, scans);
            }
        }
    }
    let txn = db.begin().await.expect("transaction");
    txn.execute_unprepared("SET LOCAL enable_seqscan = off")
        .await
        .expect("enable_seqscan");
    let plan = txn
        .query_one_raw(Statement {
            sql: format!("EXPLAIN (FORMAT JSON) {}", statement.sql),
            ..statement.clone()
        })
        .await
        .unwrap_or_else(|e| panic!("plan of {}: {e}", statement.sql))
        .expect("a plan");
    txn.rollback().await.expect("rollback");
    let plan: serde_json::Value = plan.try_get("", "QUERY PLAN").expect("JSON plan");
    let mut scans = Vec::new();
    walk(&plan[0]["Plan"], &mut scans);
    scans
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_pages_read_large_tables_by_index_only_on_sqlite() {
    hot_pages_read_large_tables_by_index_only(common::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_pages_read_large_tables_by_index_only_on_postgres() {
    hot_pages_read_large_tables_by_index_only(common::Backend::Postgres).await;
}

async fn hot_pages_read_large_tables_by_index_only(backend: common::Backend) {
    let recorder = Recorder::default();
    let recording = recorder.clone();
    let Some(app) = common::spawn_with(backend, move |db| {
        db.set_metric_callback(move |info| recording.record(info.statement))
    })
    .await
    else {
        return;
    };
    app.seed_demo().await;
    let today = app.state.today();
    hearth_demo::data::run(
        &app.db,
        &hearth_demo::data::Options {
            clients: 400,
            seed: 7,
            today,
            progress: false,
        },
        &app.state.data_key,
    )
    .await
    .expect("demo clients");
    let sample = Sample::read(&app.state, 30, 8).await.expect("a sample");
    let household = sample.households.last().cloned().expect("a household to exit");
    recorder.start();
    let walk = Walk::prepare(&app.base_url, 1, sample, 3)
        .await
        .expect("the walk's drafts");
    walk.once().await.expect("every page of the walk answers");
    walk.exit_household(0, &household)
        .await
        .expect("a whole household exit");
    let statements = recorder.take();
    assert!(
        statements.len() > 40,
        "the walk sent {} statements",
        statements.len()
    );

    let backend = app.db.get_database_backend();
    let explain = app::db::connect(app.database_url())
        .await
        .expect("a second connection");
    if backend == DatabaseBackend::Sqlite {
        sqlite_statistics(&explain).await;
    }
    // A fresh connection reads the statistics just written.
    let explain = app::db::connect(app.database_url())
        .await
        .expect("a fresh connection");
    let mut failures = Vec::new();
    for statement in &statements {
        let scans = match backend {
            DatabaseBackend::Sqlite => sqlite_scans(&explain, statement).await,
            _ => postgres_scans(&explain, statement).await,
        };
        for scan in scans {
            let allowed = ALLOWED.iter().any(|(fragment, table, _)| {
                statement.sql.contains(fragment) && scan.starts_with(&format!("{table}:"))
            });
            if !allowed {
                let sql: String = statement.sql.chars().take(400).collect();
                failures.push(format!("{scan}\n    in: {sql}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} full scans of large tables in the hot pages' {} statements:\n{}",
        failures.len(),
        statements.len(),
        failures.join("\n")
    );
}
