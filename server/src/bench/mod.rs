//! `hearth bench search`: how fast client search answers on the database at hand (the
//! 1,000,000-client demo database for docs/PERFORMANCE.md). It runs the same code as
//! the Clients page (`clients::service::search`) for sample clients found by ID, by
//! first-three + first-three letters, by date of birth and by SSN last four, and
//! compares each with a primary-key read of one client in the same run (the machines
//! are noisy: the ratio travels better than the milliseconds).

pub mod pages;
pub mod reports;

use std::time::{Duration, Instant};

use app::db::statement;
use app::domain::access::Workgroup;
use app::domain::dedup::ClientQuery;
use app::features::client_search::service::{search, search_sql};
use app::session::{ActingContext, CurrentSession};
use app::state::AppState;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

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

#[derive(Clone, Debug)]
pub struct Report {
    pub clients: i64,
    pub backend: &'static str,
    pub baseline: Measure,
    pub searches: Vec<Measure>,
    /// The database's plan for a name search.
    pub name_plan: String,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Client search on {} with {} clients",
            self.backend, self.clients
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| Search | Runs | p50 | p95 | max | p50 ÷ primary-key read | Mean hits (page of 25) |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        for m in std::iter::once(&self.baseline).chain(&self.searches) {
            let ratio = m.p50.as_secs_f64() / self.baseline.p50.as_secs_f64().max(1e-9);
            writeln!(
                f,
                "| {} | {} | {} | {} | {} | {:.1} | {:.1} |",
                m.kind,
                m.runs,
                ms(m.p50),
                ms(m.p95),
                ms(m.max),
                ratio,
                m.mean_hits
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Plan of a name search:")?;
        write!(f, "{}", self.name_plan)
    }
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

/// A sample client: what a person would type to find them.
struct Sample {
    personal_id: String,
    first: Option<String>,
    last: Option<String>,
    dob: Option<NaiveDate>,
    ssn_last4: Option<String>,
}

fn three(key: &Option<String>) -> Option<String> {
    key.as_ref().map(|k| k.chars().take(3).collect())
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

pub async fn search_bench(state: &AppState, samples: usize) -> Result<Report, DbErr> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let count = client_count(state).await?;
    let session = bench_session(state, Workgroup::CaseManager).await?;

    // Sample clients spread over the table.
    let mut sample = Vec::with_capacity(samples);
    for i in 0..samples as i64 {
        let offset = (count * i) / samples as i64;
        if let Some(row) = db
            .query_one_raw(statement(
                backend,
                "SELECT personal_id, first_name_key, last_name_key, dob, ssn_last4 FROM clients \
                 ORDER BY personal_id LIMIT 1 OFFSET ?",
                vec![offset.into()],
            ))
            .await?
        {
            sample.push(Sample {
                personal_id: row.try_get("", "personal_id")?,
                first: row.try_get("", "first_name_key")?,
                last: row.try_get("", "last_name_key")?,
                dob: row.try_get("", "dob")?,
                ssn_last4: row.try_get("", "ssn_last4")?,
            });
        }
    }

    let mut baseline = Vec::new();
    for s in &sample {
        let started = Instant::now();
        db.query_one_raw(statement(
            backend,
            "SELECT * FROM clients WHERE personal_id = ?",
            vec![s.personal_id.clone().into()],
        ))
        .await?;
        baseline.push(started.elapsed());
    }

    type Make = fn(&Sample) -> Option<ClientQuery>;
    let kinds: [(&'static str, Make); 5] = [
        ("Client ID", |s| {
            Some(ClientQuery {
                personal_id: Some(s.personal_id.clone()),
                ..Default::default()
            })
        }),
        ("First three + first three (\"joh smi\")", |s| {
            Some(ClientQuery {
                first: Some(three(&s.first)?),
                last: Some(three(&s.last)?),
                ..Default::default()
            })
        }),
        ("Last name prefix only (3 letters)", |s| {
            Some(ClientQuery {
                last: Some(three(&s.last)?),
                ..Default::default()
            })
        }),
        ("Date of birth", |s| {
            Some(ClientQuery {
                dob: Some(s.dob?),
                ..Default::default()
            })
        }),
        ("SSN last four", |s| {
            Some(ClientQuery {
                ssn_last4: Some(
                    s.ssn_last4
                        .clone()
                        .filter(|l| l.chars().all(|c| c.is_ascii_digit()))?,
                ),
                ..Default::default()
            })
        }),
    ];
    let mut searches = Vec::new();
    for (kind, make) in kinds {
        let mut times = Vec::new();
        let mut hits = 0;
        for s in &sample {
            let Some(query) = make(s) else { continue };
            let started = Instant::now();
            let found = search(state, &session, &query, 0)
                .await
                .map_err(|e| DbErr::Custom(e.to_string()))?;
            times.push(started.elapsed());
            hits += found.hits.len();
        }
        searches.push(summarize(kind, times, hits));
    }

    // The plan of a name search, as the database will run it.
    let name_plan = match sample.iter().find_map(|s| (kinds[1].1)(s)) {
        Some(query) => {
            let context_org = session
                .context
                .as_ref()
                .map(|c| c.organization_id.clone())
                .unwrap_or_default();
            let (sql, values) = search_sql(&query, &context_org, 0);
            let explain = match backend {
                DatabaseBackend::Postgres => format!("EXPLAIN {sql}"),
                _ => format!("EXPLAIN QUERY PLAN {sql}"),
            };
            let rows = db.query_all_raw(statement(backend, &explain, values)).await?;
            let mut plan = String::new();
            for row in rows {
                let line: String = match backend {
                    DatabaseBackend::Postgres => row.try_get("", "QUERY PLAN")?,
                    _ => row.try_get("", "detail")?,
                };
                plan.push_str("    ");
                plan.push_str(&line);
                plan.push('\n');
            }
            plan
        }
        None => "    (no named client in the sample)\n".into(),
    };

    Ok(Report {
        clients: count,
        backend: app::db::backend_name(db),
        baseline: summarize("Primary-key read of one client (baseline)", baseline, samples),
        searches,
        name_plan,
    })
}

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

/// `hearth bench auto-exit`: the sweep over every open household of the database. Every
/// project but Coordinated Entry is given an auto-exit setting of `exit_days` for the run
/// (the settings are put back afterwards), then a dry run reads every open head of
/// household started before the cutoff, and with `write` a real sweep exits the due
/// ones. Memory is read from the kernel (resident set) before and during each sweep.
pub struct AutoExitReport {
    pub backend: &'static str,
    pub clients: i64,
    pub exit_days: i32,
    pub runs: Vec<SweepRun>,
}

pub struct SweepRun {
    pub kind: &'static str,
    pub elapsed: Duration,
    pub examined: u64,
    pub households: u64,
    pub enrollments: u64,
    pub skipped: u64,
    /// Resident set before the sweep and the most seen while it ran, in MiB.
    pub rss_before: f64,
    pub rss_peak: f64,
}

impl std::fmt::Display for AutoExitReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Auto-exit sweep on {} with {} clients, every project set to exit after {} days",
            self.backend, self.clients, self.exit_days
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| Sweep | Time | Heads of household read | Households (would) exit | Enrollments | Skipped (CE referral) | Households/s read | RSS before | RSS peak |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        for r in &self.runs {
            writeln!(
                f,
                "| {} | {:.1} s | {} | {} | {} | {} | {:.0} | {:.0} MiB | {:.0} MiB |",
                r.kind,
                r.elapsed.as_secs_f64(),
                r.examined,
                r.households,
                r.enrollments,
                r.skipped,
                r.examined as f64 / r.elapsed.as_secs_f64().max(1e-9),
                r.rss_before,
                r.rss_peak
            )?;
        }
        Ok(())
    }
}

/// This process's resident set in MiB (Linux; 0 elsewhere).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub async fn auto_exit_bench(state: &AppState, exit_days: i32, write: bool) -> Result<AutoExitReport, DbErr> {
    use app::features::auto_exit::sweep::{SweepOptions, sweep};
    let db = &state.db;
    let backend = db.get_database_backend();
    let clients = client_count(state).await?;
    // Remember the settings, then set every project's for the run.
    let saved = db
        .query_all_raw(statement(
            backend,
            "SELECT project_id, auto_exit_days, auto_alert_days FROM projects",
            vec![],
        ))
        .await?;
    db.execute_raw(statement(
        backend,
        "UPDATE projects SET auto_exit_days = ?, auto_alert_days = NULL WHERE project_type IS NULL OR project_type <> 14",
        vec![exit_days.into()],
    ))
    .await?;
    let actor = crate::jobs::system_actor("hearth bench auto-exit");
    let clock = || state.now();
    let mut runs = Vec::new();
    let kinds: &[(&'static str, bool)] = if write {
        &[("Dry run (read only)", true), ("Sweep (exits written)", false)]
    } else {
        &[("Dry run (read only)", true)]
    };
    let mut outcome = Ok(());
    for (kind, dry_run) in kinds {
        let rss_before = rss_mib();
        let mut rss_peak = rss_before;
        let mut progress =
            |_: app::features::auto_exit::sweep::SweepProgress| rss_peak = rss_peak.max(rss_mib());
        let started = Instant::now();
        let options = SweepOptions {
            dry_run: *dry_run,
            ..Default::default()
        };
        match sweep(db, state.today(), &clock, &actor, &options, &mut progress).await {
            Ok(report) => runs.push(SweepRun {
                kind,
                elapsed: started.elapsed(),
                examined: report.examined,
                households: report.households_exited,
                enrollments: report.enrollments_exited,
                skipped: report.skipped_count,
                rss_before,
                rss_peak: rss_peak.max(rss_mib()),
            }),
            Err(e) => {
                outcome = Err(DbErr::Custom(e.to_string()));
                break;
            }
        }
    }
    for row in saved {
        let id: String = row.try_get("", "project_id")?;
        let exit: Option<i32> = row.try_get("", "auto_exit_days")?;
        let alert: Option<i32> = row.try_get("", "auto_alert_days")?;
        db.execute_raw(statement(
            backend,
            "UPDATE projects SET auto_exit_days = ?, auto_alert_days = ? WHERE project_id = ?",
            vec![exit.into(), alert.into(), id.into()],
        ))
        .await?;
    }
    outcome?;
    Ok(AutoExitReport {
        backend: app::db::backend_name(db),
        clients,
        exit_days,
        runs,
    })
}
