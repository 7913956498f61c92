//! The imports page: upload an HMIS CSV export, follow it, read why it was refused or
//! how much was imported, with a link to its report (`report.rs`).

use crate::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{ImportJob, JobState, list_imports};
use crate::jobs::{JobStatus, RecentJobs, poll_while};
use crate::routes;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn ImportsPage() -> impl IntoView {
    let query = use_query_map();
    let tick = RwSignal::new(0u32);
    let imports = resource(move || tick.get(), |_| list_imports());
    poll_while(
        Signal::derive(
            move || matches!(imports.get(), Some(Ok(jobs)) if jobs.iter().any(|j| j.state.busy())),
        ),
        tick,
    );
    // The upload route sends the browser back here, with a message when it refused.
    let refused = move || query.with(|q| q.get("error"));
    view! {
        <Title text="HMIS CSV import" />
        <section class="page">
            <p><A href=routes::ADMIN>"← Admin"</A></p>
            <h1>"HMIS CSV import"</h1>
            <p class="lead">
                "Bring in an HMIS CSV export (FY2026 or FY2024, a zip of its files) from another HMIS. An export that cannot be read as one (an older version, a missing file or column) is refused whole, with the reasons. Otherwise every row is imported; a value that breaks the specification is stored empty or as not collected, or its row left out, and each is listed in the import's report by file, line and column."
            </p>
            <p class="hint">
                "Importing the same system again updates its records (unless they were changed in Hearth since) and deletes what it marks deleted. Exports of other systems come in beside it: an ID another system already uses is given a new one in Hearth."
            </p>
            <div class="card">
                <h2>"Upload an export"</h2>
                {move || refused().map(|message| view! { <p class="notice notice--error" role="alert">{message}</p> })}
                <form class="form" method="post" action=routes::ADMIN_IMPORTS enctype="multipart/form-data">
                    <div class="field">
                        <label for="file">"Export file (.zip)"</label>
                        <input id="file" name="file" type="file" accept=".zip,application/zip" required />
                    </div>
                    <button type="submit" class="button">"Upload and import"</button>
                </form>
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let jobs = match imports.await {
                        Ok(jobs) => jobs,
                        Err(e) => return errors_view(e),
                    };
                    let busy = jobs.iter().any(|j| j.state.busy());
                    view! {
                        <RecentJobs
                            title="Recent imports"
                            count=jobs.len()
                            busy=busy
                            busy_text="An import is running."
                            refresh=routes::ADMIN_IMPORTS
                            empty="No imports yet."
                        >
                            {jobs.into_iter().map(|job| view! { <ImportJobView job /> }).collect_view()}
                        </RecentJobs>
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ImportJobView(job: ImportJob) -> impl IntoView {
    let by = job
        .started_by
        .clone()
        .map(|u| format!(" by {u}"))
        .unwrap_or_default();
    // The job's message says what was imported; without one, the counts do.
    let summary = job.message.is_none().then(|| {
        let (imported, read) = super::api::rows_imported(&job.result.files);
        let findings = job.result.findings_total;
        format!(
            "Imported {imported} of {read} rows; {findings} finding{}. ",
            if findings == 1 { "" } else { "s" }
        )
    });
    let problems = job.result.problems.clone();
    let more = job.result.total.saturating_sub(problems.len());
    view! {
        <li class="job" data-testid="import-job">
            <div class="job__title"><strong>{job.file_name.clone()}</strong></div>
            <div class="hint">{format!("Started {}{by}", job.started)}</div>
            <JobStatus job_run_id=job.job_run_id.clone() state=job.state done_label="Imported" progress=job.progress total=job.total message=job.message.clone() />
            {(job.state == JobState::Done).then(|| view! {
                <p data-testid="import-rows">
                    {summary}
                    <a href=routes::import_report(&job.job_run_id) data-testid="import-report-link">"Report"</a>
                </p>
            })}
            {(job.state == JobState::Failed && !problems.is_empty()).then(|| view! {
                <table class="data-table problems" data-testid="import-problems">
                    <thead>
                        <tr>
                            <th scope="col">"File"</th>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Column"</th>
                            <th scope="col">"Problem"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {problems.into_iter().map(|p| view! {
                            <tr>
                                <td data-label="File">{p.file}</td>
                                <td data-label="Line">{p.line.map(|l| l.to_string()).unwrap_or_default()}</td>
                                <td data-label="Column">{p.column.unwrap_or_default()}</td>
                                <td data-label="Problem">{p.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {(more > 0).then(|| view! { <p class="hint">{format!("… and {more} more.")}</p> })}
            })}
        </li>
    }
}
