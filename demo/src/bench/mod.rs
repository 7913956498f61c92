//! `hearth bench …`: how fast Hearth answers on the database at hand (the
//! 1,000,000-client demo database for docs/PERFORMANCE.md). Each benchmark runs the same
//! code as the page it measures and compares it with a primary-key read of one client
//! in the same run (the machines are noisy: the ratio travels better than the
//! milliseconds). Results print as Markdown tables.

mod annual;
mod auto_exit;
pub mod pages;
mod priority;
pub mod reports;
mod search;

pub use annual::{AnnualReport, annual_bench};
pub use auto_exit::{AutoExitReport, SweepRun, auto_exit_bench};
pub use priority::{PriorityReport, priority_bench};
pub use search::{Report, search_bench};

use std::time::{Duration, Instant};

use app::db::statement;
use app::domain::access::Workgroup;
use app::session::{ActingContext, CurrentSession};
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

/// What the benchmark measures per kind of search.
#[derive(Clone, Debug)]
pub struct Measure {
    pub kind: &'static str,
    pub runs: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub max: Duration,
    /// Mean results on the first page.
    pub mean_hits: f64,
}

fn summarize(kind: &'static str, mut times: Vec<Duration>, hits: usize) -> Measure {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    Measure {
        kind,
        runs: times.len(),
        p50: at(0.5),
        p95: at(0.95),
        max: *times.last().unwrap_or(&Duration::ZERO),
        mean_hits: hits as f64 / times.len().max(1) as f64,
    }
}

/// A session acting in the first (non-VSP) organization by name, in `workgroup`.
pub async fn bench_session(state: &AppState, workgroup: Workgroup) -> Result<CurrentSession, DbErr> {
    let db = &state.db;
    let organization = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT organization_id, organization_name FROM organizations WHERE victim_service_provider = ? \
             ORDER BY organization_name LIMIT 1",
            vec![false.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no organization to act in".into()))?;
    Ok(session_in(
        state,
        organization.try_get("", "organization_id")?,
        organization.try_get("", "organization_name")?,
        workgroup,
    ))
}

/// A session acting in one organization, in `workgroup`.
fn session_in(
    state: &AppState,
    organization_id: String,
    organization_name: String,
    workgroup: Workgroup,
) -> CurrentSession {
    CurrentSession {
        session_id: "bench".into(),
        user_id: app::db::SYSTEM_USER_ID.into(),
        username: "bench".into(),
        full_name: "Benchmark".into(),
        context: Some(ActingContext {
            organization_id,
            organization_name,
            workgroup,
            victim_service_provider: false,
            location: None,
        }),
        back_date: None,
        today: state.today(),
        expires_at: state.now(),
        loaded_at: state.now(),
        idle_seconds: 0,
        must_change_password: false,
        ip: None,
        second_factor: false,
    }
}

async fn client_count(state: &AppState) -> Result<i64, DbErr> {
    let db = &state.db;
    let count = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM clients",
            vec![],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if count == 0 {
        return Err(DbErr::Custom(
            "the database has no clients: run `hearth demo-data` first".into(),
        ));
    }
    Ok(count)
}

/// The measures as a Markdown table, each p50 also as a multiple of the first (the
/// baseline's).
fn measures_table(f: &mut std::fmt::Formatter<'_>, measures: &[Measure], hits: &str) -> std::fmt::Result {
    writeln!(f)?;
    writeln!(
        f,
        "| Request | Runs | p50 | p95 | max | p50 ÷ primary-key read | {hits} |"
    )?;
    writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let base = measures
        .first()
        .map(|m| m.p50.as_secs_f64())
        .unwrap_or(1e-9)
        .max(1e-9);
    for m in measures {
        writeln!(
            f,
            "| {} | {} | {} | {} | {} | {:.0} | {:.0} |",
            m.kind,
            m.runs,
            ms(m.p50),
            ms(m.p95),
            ms(m.max),
            m.p50.as_secs_f64() / base,
            m.mean_hits
        )?;
    }
    Ok(())
}

/// The baseline of the page benchmarks: `runs` primary-key reads of one client.
async fn baseline_reads(db: &sea_orm::DatabaseConnection, runs: usize) -> Result<Measure, DbErr> {
    let mut baseline = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        db.query_one_raw(statement(
            db.get_database_backend(),
            "SELECT * FROM clients ORDER BY personal_id LIMIT 1",
            vec![],
        ))
        .await?;
        baseline.push(started.elapsed());
    }
    Ok(summarize(
        "Primary-key read of one client (baseline)",
        baseline,
        runs,
    ))
}
