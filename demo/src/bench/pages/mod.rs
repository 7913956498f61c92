//! `hearth bench pages`: the pages people use all day, over HTTP, as signed-in demo
//! users — one at a time and many at once — against a static file served by the same
//! server in the same run. Results go to docs/PERFORMANCE.md.
//!
//! The same walk (`Walk::once`) is what `server/tests/query_plans.rs` records the SQL
//! of, so a page measured here is a page whose query plans CI checks.

mod sample;
mod users;
mod walk;

pub use sample::{Household, Sample};
pub use users::Users;
pub use walk::{ExitDraft, Walk};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use app::state::AppState;
use sea_orm::DbErr;

use super::client_count;

/// What `hearth bench pages` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Concurrent users of the loaded run (the other run has one).
    pub users: usize,
    /// Requests per page and run.
    pub requests: usize,
    /// Whole household exits to walk and finish (they write: use a copy).
    pub exits: usize,
}

/// Who a request is made as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Nobody: the static file.
    Anonymous,
    CaseManager,
    PriorityListManager,
}

impl Role {
    fn username(self) -> Option<&'static str> {
        match self {
            Role::Anonymous => None,
            Role::CaseManager => Some("casemanager"),
            Role::PriorityListManager => Some("plm"),
        }
    }
}

/// One request of a page: a GET of an address, or a server function's POST.
#[derive(Clone, Debug)]
pub enum Request {
    Get(String),
    Post(&'static str, Vec<(String, String)>),
}

/// A page measured: its requests are made in turn, round and round.
#[derive(Clone, Debug)]
pub struct Page {
    pub name: &'static str,
    pub role: Role,
    pub requests: Vec<Request>,
}

/// An error of the walk: the setup could not be made, or a request failed.
#[derive(Debug, thiserror::Error)]
pub enum PagesError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Setup(String),
    #[error("{what}: {status} {body}")]
    Refused { what: String, status: u16, body: String },
    #[error("{0}: {1}")]
    Http(String, reqwest::Error),
}

/// One page at one level of concurrency.
#[derive(Clone, Debug)]
pub struct Measure {
    pub page: &'static str,
    pub users: usize,
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// The first failure seen (status and the start of its body).
    pub first_error: Option<String>,
}

/// Makes `total` requests of `page` with `users` users at once.
pub async fn load(walk: Arc<Walk>, page: Page, users: usize, total: usize) -> Measure {
    let next = Arc::new(AtomicUsize::new(0));
    let page = Arc::new(page);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(users);
    for user in 0..users {
        let (walk, page, next) = (walk.clone(), page.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let request = &page.requests[i % page.requests.len()];
                let t = Instant::now();
                let outcome = walk.users.send(page.role, user, request).await;
                times.push(t.elapsed());
                match outcome {
                    Ok((status, _)) if status < 400 => {}
                    Ok((status, body)) => {
                        errors.push(format!("{status} {}", body.chars().take(200).collect::<String>()))
                    }
                    Err(e) => errors.push(e.to_string()),
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::with_capacity(total);
    let mut errors = Vec::new();
    for task in tasks {
        if let Ok((t, e)) = task.await {
            times.extend(t);
            errors.extend(e);
        }
    }
    let elapsed = started.elapsed();
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Measure {
        page: page.name,
        users,
        requests: times.len(),
        errors: errors.len(),
        rps: times.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        p50: at(0.5),
        p99: at(0.99),
        max: times.last().copied().unwrap_or_default(),
        first_error: errors.into_iter().next(),
    }
}

/// Whole household exits, one after another.
#[derive(Clone, Debug, Default)]
pub struct Exits {
    pub households: usize,
    pub members: usize,
    pub walk_p50: Duration,
    pub walk_max: Duration,
    pub finish_p50: Duration,
    pub finish_max: Duration,
}

/// The report of `hearth bench pages`.
#[derive(Clone, Debug)]
pub struct Report {
    pub backend: &'static str,
    pub clients: i64,
    pub measures: Vec<Measure>,
    pub exits: Option<Exits>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Pages over HTTP on {} with {} clients",
            self.backend, self.clients
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| Page | Users | Requests | Errors | rps | p50 | p99 | max | % of static rps |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        for m in &self.measures {
            let baseline = self
                .measures
                .iter()
                .find(|b| b.users == m.users && b.page == self.measures[0].page)
                .map(|b| b.rps)
                .unwrap_or(m.rps);
            writeln!(
                f,
                "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {:.1} % |",
                m.page,
                m.users,
                m.requests,
                m.errors,
                m.rps,
                ms(m.p50),
                ms(m.p99),
                ms(m.max),
                100.0 * m.rps / baseline.max(1e-9)
            )?;
        }
        for m in &self.measures {
            if let Some(e) = &m.first_error {
                writeln!(f, "\nFirst error of {} at {} users: {e}", m.page, m.users)?;
            }
        }
        if let Some(x) = &self.exits {
            writeln!(f)?;
            writeln!(
                f,
                "Whole household exits ({} households, {} members; start, exit step, per member page + \
                 Default Last + No Changes, review, Finish), one at a time:",
                x.households, x.members
            )?;
            writeln!(
                f,
                "server time per household p50 {} (max {}); Finish p50 {} (max {})",
                ms(x.walk_p50),
                ms(x.walk_max),
                ms(x.finish_p50),
                ms(x.finish_max)
            )?;
        }
        Ok(())
    }
}

/// Runs the benchmark against the server at `base` (this database's).
pub async fn run(state: &AppState, base: &str, options: &Options) -> Result<Report, PagesError> {
    let clients = client_count(state).await?;
    let drafts = options.users.clamp(1, 32);
    // Twice the households needed: some are passed over (see `Walk::prepare`).
    let sample = Sample::read(state, 200, 2 * (drafts + options.exits)).await?;
    let exit_households: Vec<Household> = sample.households.iter().skip(2 * drafts).cloned().collect();
    let walk = Arc::new(Walk::prepare(base, options.users, sample, drafts).await?);
    let pages = walk.pages();
    // Warm up: every request once.
    walk.once().await?;
    let mut measures = Vec::new();
    for users in [1, options.users] {
        for page in &pages {
            measures.push(load(walk.clone(), page.clone(), users, options.requests).await);
        }
    }
    let exits = if options.exits > 0 {
        let mut walks = Vec::new();
        let mut finishes = Vec::new();
        let mut members = 0;
        for household in &exit_households {
            if walks.len() == options.exits {
                break;
            }
            if let Some((whole, finish)) = walk.exit_household(0, household).await? {
                walks.push(whole);
                finishes.push(finish);
                members += household.members.len();
            }
        }
        walks.sort();
        finishes.sort();
        Some(Exits {
            households: walks.len(),
            members,
            walk_p50: walks.get(walks.len() / 2).copied().unwrap_or_default(),
            walk_max: walks.last().copied().unwrap_or_default(),
            finish_p50: finishes.get(finishes.len() / 2).copied().unwrap_or_default(),
            finish_max: finishes.last().copied().unwrap_or_default(),
        })
    } else {
        None
    };
    Ok(Report {
        backend: app::db::backend_name(&state.db),
        clients,
        measures,
        exits,
    })
}
