//! Background jobs (exports, imports) as people see them: their state and a progress
//! bar. The queue itself is server-only (`crate::jobs`, `server/src/jobs.rs`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Job statuses as stored in `job_runs.status`.
pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// The state of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn from_status(status: &str) -> Self {
        match status {
            QUEUED => JobState::Queued,
            RUNNING => JobState::Running,
            DONE => JobState::Done,
            _ => JobState::Failed,
        }
    }

    /// Still to finish: the page keeps checking.
    pub fn busy(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }
}

/// A job's state as a tag, its progress bar while it runs, and its message.
#[component]
pub fn JobStatus(
    state: JobState,
    /// What the tag says when the job is done ("Ready", "Imported").
    done_label: &'static str,
    progress: i32,
    total: i32,
    message: Option<String>,
) -> impl IntoView {
    let (label, class) = match state {
        JobState::Queued => ("Waiting", "tag"),
        JobState::Running => ("Working", "tag"),
        JobState::Done => (done_label, "tag tag--success"),
        JobState::Failed => ("Failed", "tag tag--error"),
    };
    view! {
        <span class=class data-testid="job-state">{label}</span>
        {state.busy().then(|| view! {
            <progress max=total value=progress aria-label="Progress">
                {format!("{progress} of {total}")}
            </progress>
        })}
        {message.map(|m| view! { <div class="job__message">{m}</div> })}
    }
}

/// While `busy` says a job is still running, bumps `tick` once a second (with
/// JavaScript; without it, the page offers a Refresh link).
pub fn poll_while(busy: Signal<bool>, tick: RwSignal<u32>) {
    Effect::new(move |_| {
        if busy.get() {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_millis(1000),
            );
        }
    });
}

/// A card listing recent jobs of one kind (`children`: their `<li>` items), with a
/// Refresh link while one is busy (for pages without JavaScript) and `empty` when
/// there are none.
#[component]
pub fn RecentJobs(
    title: &'static str,
    /// How many jobs `children` lists.
    count: usize,
    busy: bool,
    /// "An export is being written."
    busy_text: &'static str,
    /// This page's address.
    refresh: &'static str,
    empty: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="card">
            <h2>{title}</h2>
            {busy.then(|| view! { <p class="hint">{busy_text} " " <a href=refresh>"Refresh"</a></p> })}
            {if count == 0 {
                view! { <p class="hint">{empty}</p> }.into_any()
            } else {
                view! { <ul class="job-list">{children()}</ul> }.into_any()
            }}
        </div>
    }
}
