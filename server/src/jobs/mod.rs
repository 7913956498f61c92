//! The background job runner: each server claims queued jobs from `job_runs` (one
//! atomic UPDATE, so two servers never run the same job) and runs them, writing
//! progress back to the row for the page to show.

use std::time::Duration;

use app::db::entities::job_run;
use app::jobs::{self};
use app::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

mod kinds;
use kinds::*;

/// How often a runner looks for jobs queued on other servers.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// How often the scheduler looks at the clock.
const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// For the crash tests only: `HEARTH_TEST_PACE_MS` makes long jobs pause that long at
/// each step of progress, so that a test can kill the process in the middle of the
/// work on any machine, however fast. Unset, it costs nothing.
pub fn test_pace() {
    static PACE: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    let pace = PACE.get_or_init(|| {
        std::env::var("HEARTH_TEST_PACE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis)
    });
    if let Some(pace) = pace {
        std::thread::sleep(*pace);
    }
}

/// Starts this server's runner, and the daily auto-exit sweep at `auto_exit_at` (CoC
/// time) when set.
pub fn spawn_runner(state: AppState, auto_exit_at: Option<chrono::NaiveTime>) {
    if let Some(at) = auto_exit_at {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                let local = state.now().with_timezone(&state.time_zone);
                if local.time() >= at {
                    match app::features::auto_exit::service::queue_daily(&state, local.date_naive()).await {
                        Ok(true) => state.jobs.wake.notify_one(),
                        Ok(false) => {}
                        Err(err) => {
                            tracing::warn!(error = %err, "the daily auto-exit sweep could not be queued")
                        }
                    }
                }
                tokio::time::sleep(SCHEDULE_EVERY).await;
            }
        });
    }
    {
        let state = state.clone();
        tokio::spawn(async move {
            let every = std::time::Duration::from_secs(jobs::HEARTBEAT_SECONDS as u64);
            loop {
                if let Err(err) = heartbeat(&state).await {
                    tracing::warn!(error = %err, "job heartbeat could not be written");
                }
                match interrupt_orphans(&state.db, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(jobs = n, "jobs whose worker stopped are marked interrupted"),
                    Err(err) => tracing::warn!(error = %err, "interrupted jobs could not be marked"),
                }
                tokio::time::sleep(every).await;
            }
        });
    }
    tokio::spawn(async move {
        loop {
            loop {
                match claim_next(&state).await {
                    Ok(Some(job)) => run(&state, job).await,
                    Ok(None) => break,
                    Err(err) => {
                        tracing::warn!(error = %err, "job queue could not be read");
                        break;
                    }
                }
            }
            let wake = state.jobs.wake.clone();
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(LOOK_EVERY) => {}
            }
        }
    });
}

/// How often the kept summaries are brought up to date.
const ANNUAL_DUE_EVERY: Duration = Duration::from_secs(2);

/// How long a kept summary's lease lasts without being renewed.
const ANNUAL_DUE_LEASE: i64 = 120;

/// Keeps the summaries kept on write up to date (`features::kept`): the Annual
/// Assessment Tool's owed anniversaries (`features::annual::stored`: built on start
/// when there are none, rolled to today) and the data-quality facts
/// (`features::data_quality::kept`: built when there are none), each recomputing the
/// households writers marked — one server at a time for each.
pub fn spawn_keepers(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(err) = keep_annual_due(&state).await {
                tracing::warn!(error = %err, "the annual assessments due could not be brought up to date");
            }
            if let Err(err) = keep_dq_facts(&state).await {
                tracing::warn!(error = %err, "the data-quality facts could not be brought up to date");
            }
            tokio::time::sleep(ANNUAL_DUE_EVERY).await;
        }
    });
}

/// The lease `name` of a keeper for this worker, None while another server holds it.
async fn keeper_lease(state: &AppState, name: &str) -> Result<Option<app::db::lease::Lease>, sea_orm::DbErr> {
    app::db::lease::Lease::acquire(
        &state.db,
        name,
        &state.jobs.worker,
        chrono::Utc::now(),
        chrono::Duration::seconds(ANNUAL_DUE_LEASE),
    )
    .await
}

async fn keep_dq_facts(state: &AppState) -> Result<(), app::error::AppError> {
    use app::features::data_quality::kept;
    // Most of the time there is nothing to do: found by reading, without the lease.
    if kept::built(&state.db).await? && kept::marked(&state.db, 1).await?.is_empty() {
        return Ok(());
    }
    let Some(lease) = keeper_lease(state, kept::LEASE).await? else {
        return Ok(());
    };
    let done = kept::refresh(&state.db, state.time_zone, state.today(), Some(&lease)).await;
    lease.release(&state.db).await?;
    let done = done?;
    tracing::debug!(rebuilt = ?done.rebuilt, marked = done.marked, "data-quality facts refreshed");
    Ok(())
}

async fn keep_annual_due(state: &AppState) -> Result<(), app::error::AppError> {
    use app::features::annual::stored;
    let today = state.today();
    // Most of the time there is nothing to do: found by reading, without the lease.
    let current = stored::as_of(&state.db)
        .await?
        .is_some_and(|as_of| as_of >= today);
    if current && stored::marked(&state.db, 1).await?.is_empty() {
        return Ok(());
    }
    let Some(lease) = keeper_lease(state, stored::LEASE).await? else {
        return Ok(());
    };
    let done = stored::refresh(&state.db, today, Some(&lease)).await;
    lease.release(&state.db).await?;
    let done = done?;
    tracing::debug!(rebuilt = ?done.rebuilt, rolled = done.rolled, marked = done.marked, "annual assessments due refreshed");
    Ok(())
}

/// Says this worker still runs its job, while it runs one. Wall-clock time, not the
/// CoC clock: this is about the process being alive.
async fn heartbeat(state: &AppState) -> Result<(), sea_orm::DbErr> {
    if !state.jobs.busy.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    job_run::Entity::update_many()
        .col_expr(job_run::Column::HeartbeatAt, Expr::value(chrono::Utc::now()))
        .filter(job_run::Column::Status.eq(jobs::JobState::Running.code()))
        .filter(job_run::Column::Worker.eq(&state.jobs.worker))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Marks interrupted every running job whose worker has not said it is alive for
/// `jobs::STALE_SECONDS` (its server was killed, crashed or lost), with what it had
/// done, and gives back an auto-exit lease it held, so it can be run again at once.
/// Every server does this on start and then with each heartbeat. Answers how many.
pub async fn interrupt_orphans(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::Condition;
    let stale = now - chrono::Duration::seconds(jobs::STALE_SECONDS);
    let orphaned = Condition::any()
        .add(job_run::Column::HeartbeatAt.is_null())
        .add(job_run::Column::HeartbeatAt.lt(stale));
    let found = job_run::Entity::find()
        .filter(job_run::Column::Status.eq(jobs::JobState::Running.code()))
        .filter(orphaned.clone())
        .all(db)
        .await?;
    let mut marked = 0;
    for job in found {
        let done = match job.total {
            Some(total) => format!("{} of {total} done", job.progress),
            None => "before any progress".to_string(),
        };
        let message = format!(
            "Interrupted ({done}): the server running it stopped. Run it again to finish; what was done stays done."
        );
        // Only if it is still orphaned: a live worker's heartbeat wins.
        let updated = job_run::Entity::update_many()
            .col_expr(
                job_run::Column::Status,
                Expr::value(jobs::JobState::Interrupted.code()),
            )
            .col_expr(job_run::Column::Message, Expr::value(message))
            .col_expr(job_run::Column::FinishedAt, Expr::value(now))
            .filter(job_run::Column::JobRunId.eq(&job.job_run_id))
            .filter(job_run::Column::Status.eq(jobs::JobState::Running.code()))
            .filter(orphaned.clone())
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            marked += 1;
            app::db::lease::release_held_by(db, &job.job_run_id).await?;
        }
    }
    Ok(marked)
}

/// Claims the oldest queued job, if any.
async fn claim_next(state: &AppState) -> Result<Option<job_run::Model>, sea_orm::DbErr> {
    let queued = job_run::Entity::find()
        .filter(job_run::Column::Status.eq(jobs::JobState::Queued.code()))
        .order_by_asc(job_run::Column::StartedAt)
        .all(&state.db)
        .await?;
    for job in queued {
        let claimed = job_run::Entity::update_many()
            .col_expr(
                job_run::Column::Status,
                Expr::value(jobs::JobState::Running.code()),
            )
            .col_expr(job_run::Column::Message, Expr::value("Starting"))
            .col_expr(job_run::Column::Worker, Expr::value(&state.jobs.worker))
            .col_expr(job_run::Column::HeartbeatAt, Expr::value(chrono::Utc::now()))
            .filter(job_run::Column::JobRunId.eq(&job.job_run_id))
            .filter(job_run::Column::Status.eq(jobs::JobState::Queued.code()))
            .exec(&state.db)
            .await?;
        if claimed.rows_affected == 1 {
            return Ok(Some(job));
        }
    }
    Ok(None)
}

async fn run(state: &AppState, job: job_run::Model) {
    use std::sync::atomic::Ordering;
    state.jobs.busy.store(true, Ordering::Relaxed);
    run_job(state, job).await;
    state.jobs.busy.store(false, Ordering::Relaxed);
}

async fn run_job(state: &AppState, job: job_run::Model) {
    let outcome = match jobs::JobKind::from_code(&job.kind) {
        Some(jobs::JobKind::HmisExport) => run_export(state, &job).await,
        Some(jobs::JobKind::HmisImport) => run_import(state, &job).await,
        Some(jobs::JobKind::AutoExit) => run_auto_exit(state, &job).await,
        Some(jobs::JobKind::AdminExit) => run_admin_exit(state, &job).await,
        None => Err(JobError::Failed(format!("unknown job kind {}", job.kind))),
    };
    let (status, message) = match outcome {
        Ok(message) => (jobs::JobState::Done, message),
        Err(JobError::Refused(message)) => (jobs::JobState::Failed, message),
        Err(JobError::Failed(detail)) => {
            tracing::error!(job = %job.job_run_id, kind = %job.kind, %detail, "job failed");
            (
                jobs::JobState::Failed,
                "The job failed. The server log has the details; try again or tell your HMIS administrator."
                    .to_string(),
            )
        }
    };
    let finished = job_run::Entity::update_many()
        .col_expr(job_run::Column::Status, Expr::value(status.code()))
        .col_expr(job_run::Column::Message, Expr::value(message))
        .col_expr(job_run::Column::FinishedAt, Expr::value(state.now()))
        .filter(job_run::Column::JobRunId.eq(&job.job_run_id))
        .exec(&state.db)
        .await;
    if let Err(err) = finished {
        tracing::error!(job = %job.job_run_id, error = %err, "job result could not be saved");
    }
}

/// Why a job did not finish: the input was refused (a message for the user), or
/// something failed (details for the log).
enum JobError {
    Refused(String),
    Failed(String),
}

impl From<String> for JobError {
    fn from(detail: String) -> Self {
        JobError::Failed(detail)
    }
}

impl From<&str> for JobError {
    fn from(detail: &str) -> Self {
        JobError::Failed(detail.to_string())
    }
}

/// A running job's progress, written to its row from a task of its own so the job
/// never waits on it: the latest value wins.
struct Reporter<T> {
    tx: tokio::sync::watch::Sender<T>,
    task: tokio::task::JoinHandle<()>,
}

impl<T: Clone + Default + Send + Sync + 'static> Reporter<T> {
    /// `row` gives the progress, the total (None: leave it) and the message.
    fn start(state: &AppState, job_run_id: &str, row: fn(&T) -> (i32, Option<i32>, String)) -> Self {
        let (tx, mut rx) = tokio::sync::watch::channel(T::default());
        let db = state.db.clone();
        let id = job_run_id.to_string();
        let task = tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let (progress, total, message) = row(&rx.borrow_and_update());
                let mut update = job_run::Entity::update_many()
                    .col_expr(job_run::Column::Progress, Expr::value(progress))
                    .col_expr(job_run::Column::Message, Expr::value(message));
                if let Some(total) = total {
                    update = update.col_expr(job_run::Column::Total, Expr::value(total));
                }
                let _ = update.filter(job_run::Column::JobRunId.eq(&id)).exec(&db).await;
            }
        });
        Reporter { tx, task }
    }

    fn send(&self, progress: T) {
        let _ = self.tx.send(progress);
    }

    /// Waits until the last progress sent is written.
    async fn finish(self) {
        drop(self.tx);
        let _ = self.task.await;
    }
}

async fn set_progress(state: &AppState, job_run_id: &str, progress: i32, message: &str) {
    let _ = job_run::Entity::update_many()
        .col_expr(job_run::Column::Progress, Expr::value(progress))
        .col_expr(job_run::Column::Message, Expr::value(message))
        .filter(job_run::Column::JobRunId.eq(job_run_id))
        .exec(&state.db)
        .await;
}
