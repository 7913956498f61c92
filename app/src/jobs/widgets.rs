//! Background jobs as people see them: their state, a progress bar, the latest runs
//! and "Run again" for an interrupted one.

use leptos::prelude::*;

use super::JobState;
use crate::error::AppError;

/// Runs an interrupted job again: queued for the next worker, which carries on (every
/// job is idempotent: what was done stays done and is not done twice). HMIS admins, as
/// every job kind is theirs.
#[server(prefix = "/api", endpoint = "run_job_again")]
pub async fn run_job_again(job_run_id: String) -> Result<(), AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require(&[
        crate::domain::access::Workgroup::HmisAdmin,
    ]))?;
    crate::state::respond(super::service::run_again(&state, &session, &job_run_id).await)
}

/// The "Run again" button of an interrupted job: a plain form, so it works with and
/// without JavaScript (the server sends the browser back to the page).
#[component]
pub fn RunAgain(job_run_id: String) -> impl IntoView {
    view! {
        <form method="post" action="/api/run_job_again" class="form form--inline">
            <input type="hidden" name="job_run_id" value=job_run_id />
            <button type="submit" class="button button--secondary" data-testid="run-again">"Run again"</button>
        </form>
    }
}

/// A job's state as a tag, its progress bar while it runs, and its message.
#[component]
pub fn JobStatus(
    /// The job, for its "Run again" button when it was interrupted.
    #[prop(optional)]
    job_run_id: Option<String>,
    state: JobState,
    /// What the tag says when the job is done ("Ready", "Imported").
    done_label: &'static str,
    progress: i32,
    total: i32,
    message: Option<String>,
) -> impl IntoView {
    let (label, class) = match state {
        JobState::Planned => ("Planned", "tag"),
        JobState::Queued => ("Waiting", "tag"),
        JobState::Running => ("Working", "tag"),
        JobState::Done => (done_label, "tag tag--success"),
        JobState::Failed => ("Failed", "tag tag--error"),
        JobState::Interrupted => ("Interrupted", "tag tag--error"),
    };
    view! {
        <span class=class data-testid="job-state">{label}</span>
        {state.busy().then(|| view! {
            <progress max=total value=progress aria-label="Progress">
                {format!("{progress} of {total}")}
            </progress>
        })}
        {message.map(|m| view! { <div class="job__message">{m}</div> })}
        {job_run_id
            .filter(|_| state == JobState::Interrupted)
            .map(|id| view! { <RunAgain job_run_id=id /> })}
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
