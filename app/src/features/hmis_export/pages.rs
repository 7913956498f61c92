//! The exports page: start an HMIS CSV export, watch it, download it.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;

use super::api::{ExportJob, JobState, StartExport, download_path, list_exports};
use crate::error::AppError;
use crate::jobs::{JobStatus, RecentJobs, poll_while};
use crate::report::ReportPage;
use crate::routes;
use crate::ui::form::{DateField, FieldMessage, FormMessage};

#[component]
pub fn ExportsPage() -> impl IntoView {
    let start = ServerAction::<StartExport>::new();
    let tick = RwSignal::new(0u32);
    let overview = resource(move || (start.version().get(), tick.get()), |_| list_exports());
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    poll_while(
        Signal::derive(move || matches!(overview.get(), Some(Ok(o)) if o.busy())),
        tick,
    );
    view! {
        <ReportPage
            title="HMIS CSV export"
            back=(routes::ADMIN, "← Admin")
            lead="The HUD HMIS CSV FY2026 format: 24 files in one zip, for HUD reporting tools, another HMIS or a data warehouse."
            data=overview
            body=move |overview| {
                let busy = overview.busy();
                view! {
                    <div class="card">
                        <h2>"New export"</h2>
                        <ActionForm action=start attr:class="form">
                            <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                            <div class="field-row">
                                <DateField name="from" label="Period start (optional)" error />
                                <DateField name="to" label="Period end" entry_default=true required=true error />
                            </div>
                            <div class="field">
                                <label for="project_id">"Projects"</label>
                                <select id="project_id" name="project_id">
                                    <option value="">"All projects"</option>
                                    {overview
                                        .projects
                                        .into_iter()
                                        .map(|p| view! { <option value=p.project_id>{p.label}</option> })
                                        .collect_view()}
                                </select>
                                <FieldMessage error field="project_id" />
                            </div>
                            <label class="choice">
                                <input type="checkbox" name="hash_pii" />
                                <span>
                                    <strong>"Hash names and SSNs"</strong>
                                    " — SHA-256, as HUD's hashed exports (HashStatus 4)"
                                </span>
                            </label>
                            <button type="submit" class="button">"Start export"</button>
                        </ActionForm>
                    </div>
                    <RecentJobs
                        title="Recent exports"
                        count=overview.jobs.len()
                        busy=busy
                        busy_text="An export is being written."
                        refresh=routes::ADMIN_EXPORTS
                        empty="No exports yet."
                    >
                        {overview.jobs.into_iter().map(|job| view! { <ExportJobView job /> }).collect_view()}
                    </RecentJobs>
                }
            }
        />
    }
}

#[component]
fn ExportJobView(job: ExportJob) -> impl IntoView {
    let period = match job.params.from {
        Some(from) => format!(
            "{} – {}",
            from.format("%b %-d, %Y"),
            job.params.to.format("%b %-d, %Y")
        ),
        None => format!("Everything to {}", job.params.to.format("%b %-d, %Y")),
    };
    let scope = job.project_name.clone().unwrap_or_else(|| "All projects".into());
    let hashed = if job.params.hash_pii { " · hashed" } else { "" };
    let started = job.started.clone();
    let by = job
        .started_by
        .clone()
        .map(|u| format!(" by {u}"))
        .unwrap_or_default();
    view! {
        <li class="job" data-testid="export-job">
            <div class="job__title">
                <strong>{period}</strong>
                {format!(" · {scope}{hashed}")}
            </div>
            <div class="hint">{format!("Started {started}{by}")}</div>
            <JobStatus job_run_id=job.job_run_id.clone() state=job.state done_label="Ready" progress=job.progress total=job.total message=job.message.clone() />
            {(job.state == JobState::Done).then(|| view! {
                <a class="button" href=download_path(&job.job_run_id) rel="external" download="">
                    "Download zip"
                </a>
            })}
        </li>
    }
}
