//! Long jobs (HMIS CSV export and import, auto-exit sweeps, admin exits) run in the
//! background on whichever server claims them: a `job_runs` row is the queue entry, its
//! status and its progress, so a user can leave the page and come back, and every server
//! behind a load balancer sees the same jobs. This is the shared layer every job-running
//! feature uses: the typed kinds and states (stored as their codes), the widgets that
//! show a job, and on the server the queue (`queue`) and "run again" (`service`).

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod queue;
#[cfg(feature = "ssr")]
pub mod service;
mod widgets;

#[cfg(feature = "ssr")]
pub use queue::{HEARTBEAT_SECONDS, Jobs, Live, LiveProgress, NewJob, STALE_SECONDS, recent};
pub use widgets::{JobStatus, RecentJobs, RunAgain, poll_while, run_job_again};

/// What a job does (`job_runs.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobKind {
    HmisExport,
    HmisImport,
    AutoExit,
    AdminExit,
}

impl JobKind {
    pub const ALL: [JobKind; 4] = [
        JobKind::HmisExport,
        JobKind::HmisImport,
        JobKind::AutoExit,
        JobKind::AdminExit,
    ];

    /// As stored in `job_runs.kind`.
    pub fn code(self) -> &'static str {
        match self {
            JobKind::HmisExport => "hmis_export",
            JobKind::HmisImport => "hmis_import",
            JobKind::AutoExit => "auto_exit",
            JobKind::AdminExit => "admin_exit",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        JobKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The state of a job (`job_runs.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// A plan (admin exits) waiting for its confirmation; no worker takes it.
    Planned,
    Queued,
    Running,
    Done,
    Failed,
    /// Its worker stopped while it ran (the server was killed or crashed); it can be
    /// run again.
    Interrupted,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Planned,
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
        JobState::Interrupted,
    ];

    /// As stored in `job_runs.status`.
    pub fn code(self) -> &'static str {
        match self {
            JobState::Planned => "planned",
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    /// The state a stored status names; an unknown one reads as failed.
    pub fn from_status(status: &str) -> Self {
        JobState::ALL
            .into_iter()
            .find(|s| s.code() == status)
            .unwrap_or(JobState::Failed)
    }

    /// Still to finish: the page keeps checking.
    pub fn busy(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_states_read_back_from_their_codes() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(JobKind::from_code("nonsense"), None);
        for state in JobState::ALL {
            assert_eq!(JobState::from_status(state.code()), state);
        }
        assert_eq!(JobState::from_status("nonsense"), JobState::Failed);
    }
}
