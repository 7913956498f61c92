//! `hearth bench priority`: the Coordinated Entry priority list.

use std::time::Instant;

use super::{Measure, baseline_reads, client_count, measures_table, session_in, summarize};
use app::db::statement;
use app::domain::access::Workgroup;
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

/// `hearth bench priority`: the Coordinated Entry priority list (first page, filtered
/// pages, a deep page, the CSV of every row) for a priority list manager, with at least
/// `households` open, placed CE enrollments — the ones missing are added first to
/// existing clients (a CE enrollment, an assessment with a score, the list entry kept
/// by the same code as the assessment page) — against a primary-key read.
pub struct PriorityReport {
    pub backend: &'static str,
    pub listed: usize,
    pub added: usize,
    pub measures: Vec<Measure>,
}

impl std::fmt::Display for PriorityReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Priority list on {} with {} households listed ({} added for the benchmark)",
            self.backend, self.listed, self.added
        )?;
        measures_table(f, &self.measures, "Mean rows matched")
    }
}

/// Gives `n` clients without one a placed CE enrollment with a scored assessment.
async fn add_ce_households(state: &AppState, project_id: &str, n: usize) -> Result<usize, DbErr> {
    use app::features::coordinated_entry::service::{SCORE_RESULT, SOUGHT_RESULT, refresh_entry};
    let db = &state.db;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            &format!(
                "SELECT c.personal_id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM enrollments e \
                 WHERE e.personal_id = c.personal_id AND e.project_id = ?) ORDER BY c.personal_id LIMIT {n}"
            ),
            vec![project_id.into()],
        ))
        .await?;
    let today = state.today();
    let now = state.now();
    let sought = [
        "PH - Rapid Re-Housing",
        "PH - Permanent Supportive Housing",
        "Transitional Housing",
    ];
    let fail = |e: app::error::AppError| DbErr::Custom(e.to_string());
    let mut added = 0;
    for chunk in rows.chunks(1000) {
        let txn = app::db::begin_write(db).await?;
        for row in chunk {
            let personal_id: String = row.try_get("", "personal_id")?;
            let i = added as i64;
            let entry = today - chrono::Duration::days(30 + i % 700);
            let since = (i % 5 != 0).then(|| entry - chrono::Duration::days(i % 1500));
            let enrollment_id = app::db::new_id();
            txn.execute_raw(statement(
                backend,
                "INSERT INTO enrollments (enrollment_id, personal_id, project_id, entry_date, household_id, \
                 relationship_to_hoh, living_situation, date_to_street_essh, disabling_condition, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, 1, 116, ?, ?, ?, ?)",
                vec![
                    enrollment_id.clone().into(),
                    personal_id.clone().into(),
                    project_id.into(),
                    entry.into(),
                    app::db::new_id().into(),
                    since.into(),
                    (if i % 3 == 0 { 1 } else { 0 }).into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?;
            let assessment_id = app::db::new_id();
            txn.execute_raw(statement(
                backend,
                "INSERT INTO assessments (assessment_id, enrollment_id, personal_id, assessment_date, \
                 assessment_location, assessment_type, assessment_level, prioritization_status, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, 'Benchmark access point', 3, 2, 1, ?, ?)",
                vec![
                    assessment_id.clone().into(),
                    enrollment_id.clone().into(),
                    personal_id.clone().into(),
                    (entry + chrono::Duration::days(i % 20)).into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?;
            for (kind, result) in [
                (SCORE_RESULT, ((i * 7919) % 40).to_string()),
                (SOUGHT_RESULT, sought[(i % 3) as usize].to_string()),
            ] {
                txn.execute_raw(statement(
                    backend,
                    "INSERT INTO assessment_results (assessment_result_id, assessment_id, enrollment_id, personal_id, \
                     assessment_result_type, assessment_result, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    vec![
                        app::db::new_id().into(),
                        assessment_id.clone().into(),
                        enrollment_id.clone().into(),
                        personal_id.clone().into(),
                        kind.into(),
                        result.into(),
                        now.into(),
                        now.into(),
                    ],
                ))
                .await?;
            }
            refresh_entry(&txn, &enrollment_id, now).await.map_err(fail)?;
            added += 1;
        }
        txn.commit().await?;
    }
    app::db::refresh_statistics(db).await?;
    Ok(added)
}

pub async fn priority_bench(
    state: &AppState,
    households: usize,
    runs: usize,
) -> Result<PriorityReport, DbErr> {
    use app::features::coordinated_entry::api::PriorityFilter;
    use app::features::coordinated_entry::list::{export, list_page};
    let db = &state.db;
    let backend = db.get_database_backend();
    client_count(state).await?;
    let ce = db
        .query_one_raw(statement(
            backend,
            "SELECT p.project_id, o.organization_id, o.organization_name FROM projects p \
             JOIN organizations o ON o.organization_id = p.organization_id \
             WHERE p.project_type = 14 AND o.coordinated_entry = ? ORDER BY p.project_name LIMIT 1",
            vec![true.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no Coordinated Entry project in a CE organization".into()))?;
    let project_id: String = ce.try_get("", "project_id")?;
    let session = session_in(
        state,
        ce.try_get("", "organization_id")?,
        ce.try_get("", "organization_name")?,
        Workgroup::PriorityListManager,
    );
    let fail = |e: app::error::AppError| DbErr::Custom(e.to_string());
    let listed = list_page(state, &session, &PriorityFilter::default(), 0)
        .await
        .map_err(fail)?
        .total;
    let added = if listed < households {
        add_ce_households(state, &project_id, households - listed).await?
    } else {
        0
    };
    let mut measures = vec![baseline_reads(db, runs).await?];
    let yes = Some("yes".to_string());
    let cases: [(&'static str, PriorityFilter, usize); 4] = [
        ("List, first page (no filter)", PriorityFilter::default(), 0),
        (
            "List, chronic + age 25-54",
            PriorityFilter {
                chronic: yes.clone(),
                age_band: Some("25-54".into()),
                ..Default::default()
            },
            0,
        ),
        (
            "List, seeking rapid re-housing, page 100",
            PriorityFilter {
                sought: Some("13".into()),
                ..Default::default()
            },
            99,
        ),
        (
            "List, veterans, adults-only households",
            PriorityFilter {
                veteran: yes,
                household_type: Some("1".into()),
                ..Default::default()
            },
            0,
        ),
    ];
    let mut total = 0;
    for (kind, filter, page) in cases {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let result = list_page(state, &session, &filter, page).await.map_err(fail)?;
            times.push(started.elapsed());
            rows += result.total;
            if filter == PriorityFilter::default() {
                total = result.total;
            }
        }
        measures.push(summarize(kind, times, rows));
    }
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs.min(5) {
        let started = Instant::now();
        rows += export(state, &session, &PriorityFilter::default())
            .await
            .map_err(fail)?
            .len();
        times.push(started.elapsed());
    }
    measures.push(summarize("CSV of the whole list", times, rows));
    Ok(PriorityReport {
        backend: app::db::backend_name(db),
        listed: total,
        added,
        measures,
    })
}
