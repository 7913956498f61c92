//! `hearth bench search`: how fast client search answers on the database at hand (the
//! 1,000,000-client demo database for docs/PERFORMANCE.md). It runs the same code as
//! the Clients page (`clients::service::search`) for sample clients found by ID, by
//! first-three + first-three letters, by date of birth and by SSN last four, and
//! compares each with a primary-key read of one client in the same run (the machines
//! are noisy: the ratio travels better than the milliseconds).

use std::time::{Duration, Instant};

use super::{Measure, bench_session, client_count, summarize};
use app::db::statement;
use app::domain::access::Workgroup;
use app::domain::dedup::ClientQuery;
use app::features::client_search::service::{search, search_sql};
use app::state::AppState;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

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
