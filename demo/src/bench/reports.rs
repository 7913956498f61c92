//! `hearth bench reports`: the two report pages that read a whole organization or the
//! whole CoC (issue 21) — the data-quality report (its counts for an HMIS admin over the
//! CoC and for a supervisor over one organization, and the first page of the records
//! behind some counts) and the supervisor's caseload dashboard and drill-down, one per
//! organization with projects — running the same code as the pages, against a
//! primary-key read in the same run. A case slower than `SLOW` on its first run is
//! measured once (so the table of a slow build still comes back).

use std::time::{Duration, Instant};

use app::db::statement;
use app::domain::access::Workgroup;
use app::error::AppError;
use app::features::caseload::api::CaseloadFilter;
use app::features::data_quality::api::DqFilter;
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

use super::{Measure, baseline_reads, bench_session, client_count, measures_table, session_in, summarize};

/// A case whose first run takes longer is not repeated.
const SLOW: Duration = Duration::from_secs(30);

/// The records pages measured (the first page of each, whole CoC).
const RECORD_CODES: &[&str] = &[
    "ssn_missing",
    "income_entry_missing",
    "start_lag_4",
    "exit_before_entry",
    "overlapping",
    "heads_not_one",
    "head_exited_first",
    "missing_annual",
    "past_auto_exit",
    "child_head",
];

pub struct ReportsReport {
    pub clients: i64,
    pub backend: &'static str,
    pub enrollments: i64,
    pub measures: Vec<Measure>,
}

impl std::fmt::Display for ReportsReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Data-quality report and caseload dashboard on {} with {} clients ({} enrollments)",
            self.backend, self.clients, self.enrollments
        )?;
        measures_table(f, &self.measures, "Mean rows")
    }
}

/// Runs `case` up to `runs` times (once when the first run is slower than `SLOW`); the
/// number it returns is the rows it showed.
async fn measure<F, Fut>(kind: &'static str, runs: usize, mut case: F) -> Result<Measure, DbErr>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize, AppError>>,
{
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        rows += case().await.map_err(|e| DbErr::Custom(e.to_string()))?;
        let elapsed = started.elapsed();
        times.push(elapsed);
        eprintln!("{kind}: {:.1} ms", elapsed.as_secs_f64() * 1000.0);
        if elapsed > SLOW {
            break;
        }
    }
    Ok(summarize(kind, times, rows))
}

pub async fn reports_bench(state: &AppState, runs: usize) -> Result<ReportsReport, DbErr> {
    use app::features::caseload::loads::{dashboard, detail};
    use app::features::data_quality::service::{records_page, report};
    let db = &state.db;
    let backend = db.get_database_backend();
    let clients = client_count(state).await?;
    let enrollments = db
        .query_one_raw(statement(
            backend,
            "SELECT COUNT(*) AS n FROM enrollments",
            vec![],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let admin = bench_session(state, Workgroup::HmisAdmin).await?;
    let whole = DqFilter::default();
    let mut measures = vec![baseline_reads(db, runs).await?];

    measures.push(
        measure("Data-quality report: HMIS admin, whole CoC", runs, || async {
            Ok(report(state, &admin, &whole).await?.enrollments)
        })
        .await?,
    );
    // Organizations with projects, most enrollments first.
    let organizations = db
        .query_all_raw(statement(
            backend,
            "SELECT o.organization_id, o.organization_name, o.victim_service_provider, \
             (SELECT COUNT(*) FROM projects p WHERE p.organization_id = o.organization_id) AS projects \
             FROM organizations o ORDER BY o.organization_name",
            vec![],
        ))
        .await?;
    let mut orgs = Vec::new();
    for row in organizations {
        let projects: i64 = row.try_get("", "projects")?;
        if projects > 0 {
            orgs.push((
                row.try_get::<String>("", "organization_id")?,
                row.try_get::<String>("", "organization_name")?,
            ));
        }
    }
    if let Some((id, name)) = orgs.first() {
        let supervisor = session_in(state, id.clone(), name.clone(), Workgroup::Supervisor);
        let kind: &'static str =
            Box::leak(format!("Data-quality report: supervisor, one organization ({name})").into_boxed_str());
        measures.push(
            measure(kind, runs, || async {
                Ok(report(state, &supervisor, &DqFilter::default())
                    .await?
                    .enrollments)
            })
            .await?,
        );
    }
    for code in RECORD_CODES {
        let kind: &'static str =
            Box::leak(format!("Data-quality records, first page: {code} (whole CoC)").into_boxed_str());
        measures.push(
            measure(kind, runs, || async {
                Ok(records_page(state, &admin, &whole, code, 0).await?.rows.len())
            })
            .await?,
        );
    }
    for (id, name) in &orgs {
        let supervisor = session_in(state, id.clone(), name.clone(), Workgroup::Supervisor);
        let filter = CaseloadFilter::default();
        let kind: &'static str =
            Box::leak(format!("Caseload dashboard: supervisor of {name}").into_boxed_str());
        measures.push(
            measure(kind, runs, || async {
                Ok(dashboard(state, &supervisor, &filter).await?.managers.len())
            })
            .await?,
        );
        // The drill-down of the first case manager with a load.
        let managers = dashboard(state, &supervisor, &filter)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .managers;
        if let Some(manager) = managers.iter().max_by_key(|m| m.active_clients) {
            let kind: &'static str =
                Box::leak(format!("Caseload drill-down: busiest case manager of {name}").into_boxed_str());
            let user_id = manager.user_id.clone();
            measures.push(
                measure(kind, runs, || async {
                    Ok(detail(state, &supervisor, &filter, &user_id).await?.rows.len())
                })
                .await?,
            );
        }
    }
    Ok(ReportsReport {
        clients,
        backend: app::db::backend_name(db),
        enrollments,
        measures,
    })
}
