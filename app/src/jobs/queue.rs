//! The queue on the server: where job files live, the progress kept in memory, new job
//! rows and the latest runs of a kind. The runner is `server/src/jobs.rs`.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::Notify;

use super::{JobKind, JobState};

/// How often a worker says it is still running its jobs.
pub const HEARTBEAT_SECONDS: i64 = 3;
/// A running job whose worker has not said so for this long is interrupted: its
/// worker died (`kill -9`, a crash, a lost machine).
pub const STALE_SECONDS: i64 = 15;

/// How a server reaches its job runner and where jobs keep their files.
#[derive(Clone, Debug)]
pub struct Jobs {
    /// Wakes this server's runner when a job is queued here (other servers' runners
    /// find it on their next look).
    pub wake: Arc<Notify>,
    /// Where job files live (exports): `DATA_DIR/jobs`. Servers behind a load balancer
    /// share it (a network volume), or downloads only work on the server that ran the job.
    pub dir: PathBuf,
    /// This process's worker ID: the jobs it runs carry it, with a heartbeat, so a job
    /// whose worker died is seen as interrupted.
    pub worker: String,
    /// Whether this worker is running a job now (it runs one at a time): only then
    /// does it write heartbeats.
    pub busy: Arc<std::sync::atomic::AtomicBool>,
    /// The progress of the job this process runs, kept in memory for the pages: an
    /// import holds SQLite's one writer until it commits, so its row cannot say.
    pub live: Live,
}

/// A running job's progress as the pages show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveProgress {
    pub progress: i32,
    pub total: i32,
    pub message: String,
}

/// The progress of the jobs this process runs, by job ID (never stored).
#[derive(Clone, Debug, Default)]
pub struct Live(Arc<std::sync::Mutex<std::collections::HashMap<String, LiveProgress>>>);

impl Live {
    pub fn set(&self, job_run_id: &str, progress: LiveProgress) {
        if let Ok(mut jobs) = self.0.lock() {
            jobs.insert(job_run_id.to_string(), progress);
        }
    }

    pub fn get(&self, job_run_id: &str) -> Option<LiveProgress> {
        self.0.lock().ok()?.get(job_run_id).cloned()
    }

    /// The job ended: its row says the rest.
    pub fn clear(&self, job_run_id: &str) {
        if let Ok(mut jobs) = self.0.lock() {
            jobs.remove(job_run_id);
        }
    }
}

impl Jobs {
    pub fn new(dir: PathBuf) -> Self {
        Jobs {
            wake: Arc::new(Notify::new()),
            dir,
            worker: crate::db::new_id(),
            busy: Arc::default(),
            live: Live::default(),
        }
    }

    /// The file an export job writes.
    pub fn export_path(&self, job_run_id: &str) -> PathBuf {
        self.dir.join(format!("{job_run_id}.zip"))
    }

    /// The uploaded file an import job reads.
    pub fn import_path(&self, job_run_id: &str) -> PathBuf {
        self.dir.join(format!("{job_run_id}.import.zip"))
    }
}

/// A new job row: `status` queued (or, for a plan, waiting for confirmation), nothing
/// done yet.
pub struct NewJob<'a> {
    pub id: String,
    pub kind: JobKind,
    pub status: JobState,
    pub at: chrono::DateTime<chrono::Utc>,
    pub total: Option<i32>,
    pub message: &'a str,
    pub created_by: Option<String>,
    /// What the job is asked to do (JSON).
    pub params: String,
}

impl NewJob<'_> {
    pub fn row(self) -> crate::db::entities::job_run::ActiveModel {
        use sea_orm::Set;
        crate::db::entities::job_run::ActiveModel {
            job_run_id: Set(self.id),
            kind: Set(self.kind.code().into()),
            status: Set(self.status.code().into()),
            started_at: Set(self.at),
            finished_at: Set(None),
            progress: Set(0),
            total: Set(self.total),
            message: Set(Some(self.message.into())),
            created_by: Set(self.created_by),
            params: Set(Some(self.params)),
            result: Set(None),
            worker: Set(None),
            heartbeat_at: Set(None),
        }
    }
}

/// The latest `limit` jobs of `kind`, newest first, each with the username of whoever
/// started it.
pub async fn recent(
    db: &sea_orm::DatabaseConnection,
    kind: JobKind,
    limit: u64,
) -> Result<Vec<(crate::db::entities::job_run::Model, Option<String>)>, sea_orm::DbErr> {
    use crate::db::entities::{job_run, user};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let rows = job_run::Entity::find()
        .filter(job_run::Column::Kind.eq(kind.code()))
        .order_by_desc(job_run::Column::StartedAt)
        // IDs are UUID v7 (time-ordered): jobs started in the same instant (a test's
        // fixed clock) still list newest first.
        .order_by_desc(job_run::Column::JobRunId)
        .limit(limit)
        .all(db)
        .await?;
    let user_ids: Vec<String> = rows.iter().filter_map(|r| r.created_by.clone()).collect();
    let users = user::Entity::find()
        .filter(user::Column::UserId.is_in(user_ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let by = users
                .iter()
                .find(|u| Some(&u.user_id) == row.created_by.as_ref())
                .map(|u| u.username.clone());
            (row, by)
        })
        .collect())
}
