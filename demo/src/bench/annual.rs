//! `hearth bench annual`: the Annual Assessment Tool's page.

use std::time::Instant;

use super::{Measure, baseline_reads, bench_session, client_count, measures_table, summarize};
use app::db::statement;
use app::domain::access::Workgroup;
use app::session::CurrentSession;
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

/// `hearth bench annual`: the Annual Assessment Tool's page (the same code as the
/// page: the rows due, the filter choices, the audit row) for a case manager's
/// organization, one project, and an HMIS admin's whole CoC, on due dates spread over
/// a year; the home page's two counts; against a primary-key read in the same run.
pub struct AnnualReport {
    pub clients: i64,
    pub backend: &'static str,
    pub open_enrollments: i64,
    pub measures: Vec<Measure>,
}

impl std::fmt::Display for AnnualReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Annual Assessment Tool on {} with {} clients ({} open enrollments)",
            self.backend, self.clients, self.open_enrollments
        )?;
        measures_table(f, &self.measures, "Mean rows due")
    }
}

pub async fn annual_bench(state: &AppState, runs: usize) -> Result<AnnualReport, DbErr> {
    use app::features::annual::api::AnnualFilter;
    use app::features::annual::service::{counts, page};
    let db = &state.db;
    let backend = db.get_database_backend();
    let clients = client_count(state).await?;
    let open_enrollments = db
        .query_one_raw(statement(
            backend,
            "SELECT COUNT(*) AS n FROM enrollments e WHERE NOT EXISTS \
             (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)",
            vec![],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let case_manager = bench_session(state, Workgroup::CaseManager).await?;
    let admin = bench_session(state, Workgroup::HmisAdmin).await?;
    let organization = case_manager
        .context
        .as_ref()
        .map(|c| c.organization_id.clone())
        .unwrap_or_default();
    let project: Option<String> = db
        .query_one_raw(statement(
            backend,
            "SELECT project_id FROM projects WHERE organization_id = ? ORDER BY project_name LIMIT 1",
            vec![organization.into()],
        ))
        .await?
        .map(|r| r.try_get("", "project_id"))
        .transpose()?;
    let fail = |e: app::error::AppError| DbErr::Custom(e.to_string());

    let mut measures = vec![baseline_reads(db, runs).await?];
    // Due dates every 30 days over a year from today.
    let due = |i: usize| {
        (state.today() + chrono::Duration::days(30 * (i % 12) as i64))
            .format("%Y-%m-%d")
            .to_string()
    };
    let cases: [(&'static str, &CurrentSession, Option<String>); 3] = [
        ("Tool page: case manager, whole organization", &case_manager, None),
        (
            "Tool page: case manager, one project",
            &case_manager,
            project.clone(),
        ),
        ("Tool page: HMIS admin, whole CoC", &admin, None),
    ];
    for (kind, session, project_id) in cases {
        let mut times = Vec::new();
        let mut rows = 0;
        for i in 0..runs {
            let filter = AnnualFilter {
                project_id: project_id.clone(),
                due: Some(due(i)),
                ..Default::default()
            };
            let started = Instant::now();
            let result = page(state, session, &filter, 0).await.map_err(fail)?;
            times.push(started.elapsed());
            rows += result.total;
        }
        measures.push(summarize(kind, times, rows));
    }
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let c = counts(state, &case_manager).await.map_err(fail)?;
        times.push(started.elapsed());
        rows += c.map(|c| c.organization).unwrap_or(0);
    }
    measures.push(summarize(
        "Home page counts (organization + my case assignments)",
        times,
        rows,
    ));
    Ok(AnnualReport {
        clients,
        backend: app::db::backend_name(db),
        open_enrollments,
        measures,
    })
}
