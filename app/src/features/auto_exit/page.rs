//! The auto-exit page: which projects auto-exit, a sweep on demand (or a dry run), and
//! what the recent sweeps did.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;

use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AutoExitRun, DryRunPage, JobState, StartAutoExit, get_auto_exit_dry_run, get_auto_exit_overview,
};
use crate::error::AppError;
use crate::jobs::{JobStatus, RecentJobs, poll_while};
use crate::report::ReportPage;
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage, Pager};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

#[component]
pub fn AutoExitPage() -> impl IntoView {
    let start = ServerAction::<StartAutoExit>::new();
    let tick = RwSignal::new(0u32);
    let overview = resource(
        move || (start.version().get(), tick.get()),
        |_| get_auto_exit_overview(),
    );
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    poll_while(
        Signal::derive(move || matches!(overview.get(), Some(Ok(o)) if o.busy())),
        tick,
    );
    view! {
        <ReportPage
            title="Auto-exit"
            back=(routes::ADMIN, "← Admin")
            lead="Every night, households of these projects whose last service or contact is older than the project's setting exit together: destination 30 (No exit interview completed), reason Auto Exit, dated on that last service or contact. Households with an open Coordinated Entry referral stay and are listed."
            data=overview
            body=move |overview| {
                let busy = overview.busy();
                let projects = overview.projects.clone();
                let project_rows = projects.iter().cloned().map(|p| view! {
                        <tr>
                            <td data-label="Project"><A href=routes::admin_project(&p.project_id)>{p.project_name}</A></td>
                            <td data-label="Organization">{p.organization_name}</td>
                            <td data-label="Alert after">{p.alert_days.map_or_else(|| "—".to_string(), |d| format!("{d} days"))}</td>
                            <td data-label="Exit after">{format!("{} days", p.exit_days)}</td>
                        </tr>
                }).collect_view();
                view! {
                    <div class="card">
                        <h2>"Projects that auto-exit"</h2>
                        {if projects.is_empty() {
                            view! { <p class="hint">"No project has an auto-exit setting. Set one on a project's page."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable testid="auto-exit-projects" columns=&["Project", "Organization", "Alert after", "Exit after"]>
                                        {project_rows}
                                </DataTable>
                            }.into_any()
                        }}
                    </div>
                    <div class="card">
                        <h2>"Sweep now"</h2>
                        <ActionForm action=start attr:class="form">
                            <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                            <div class="field">
                                <label for="project_id">"Projects"</label>
                                <select id="project_id" name="project_id">
                                    <option value="">"Every project above"</option>
                                    {projects.into_iter().map(|p| view! { <option value=p.project_id>{p.project_name}</option> }).collect_view()}
                                </select>
                                <FieldMessage error field="project_id" />
                            </div>
                            <label class="choice">
                                <input type="checkbox" name="dry_run" />
                                <span><strong>"Dry run"</strong>" — list the households that would be exited, change nothing"</span>
                            </label>
                            <button type="submit" class="button">"Start sweep"</button>
                        </ActionForm>
                    </div>
                    <RecentJobs
                        title="Recent sweeps"
                        count=overview.runs.len()
                        busy=busy
                        busy_text="A sweep is running."
                        refresh=routes::ADMIN_AUTO_EXIT
                        empty="No sweeps yet."
                    >
                        {overview.runs.into_iter().map(|run| view! { <RunView run /> }).collect_view()}
                    </RecentJobs>
                }
            }
        />
    }
}

#[component]
fn RunView(run: AutoExitRun) -> impl IntoView {
    let kind = if run.dry_run { "Dry run" } else { "Sweep" };
    let by = run
        .started_by
        .as_ref()
        .map_or_else(|| " (daily)".to_string(), |u| format!(" by {u}"));
    let skipped = run.skipped.clone();
    view! {
        <li class="job" data-testid="auto-exit-run">
            <div class="job__title"><strong>{kind}</strong>{format!(" · {}", run.scope)}</div>
            <div class="hint">{format!("Started {}{by}", run.started)}</div>
            <JobStatus job_run_id=run.job_run_id.clone() state=run.state done_label="Done" progress=run.progress total=run.total.max(1) message=run.message.clone() />
            {(run.dry_run && run.state == JobState::Done).then(|| view! {
                <p>
                    <A href=routes::auto_exit_dry_run(&run.job_run_id) attr:data-testid="dry-run-list">
                        "List the households it would exit"
                    </A>
                </p>
            })}
            {(!skipped.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("{} household(s) skipped", skipped.len())}</summary>
                    <ul>
                        {skipped.into_iter().map(|s| view! {
                            <li>
                                <A href=routes::client(&s.head_personal_id)>{format!("Head {}", s.head_personal_id)}</A>
                                {format!(" · {} · {}", s.project_name, s.reason)}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </li>
    }
}

/// The households a dry run would exit (or skip, and why), for the agency liaisons to
/// review before the sweep.
#[component]
pub fn AutoExitDryRunPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = resource(
        move || {
            (
                params.with(|p| p.get("job_run_id").unwrap_or_default()),
                query.with(|q| q.get("page").and_then(|p| p.parse().ok())),
            )
        },
        |(id, page)| get_auto_exit_dry_run(id, page),
    );
    view! {
        <Title text="Auto-exit dry run" />
        <section class="page">
            <p><A href=routes::ADMIN_AUTO_EXIT>"← Auto-exit"</A></p>
            <h1>"Auto-exit dry run"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <DryRunView d /> }.into_any(),
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DryRunView(d: DryRunPage) -> impl IntoView {
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(crate::ui::format::format_date)
            .unwrap_or_else(|| "—".into())
    };
    let summary = format!(
        "{} · run {} · would exit {} household(s) ({} enrollment(s)); {} skipped.",
        d.scope, d.started, d.would_exit, d.enrollments, d.skipped
    );
    let kept = (d.listed as u64) < d.would_exit + d.skipped;
    let base = routes::auto_exit_dry_run(&d.job_run_id);
    view! {
        <p class="lead" data-testid="dry-run-summary">{summary}</p>
        {kept.then(|| view! {
            <p class="notice notice--info">
                {format!("The first {} households are listed here; `hearth auto-exit --dry-run --csv FILE` lists every one.", d.listed)}
            </p>
        })}
        {if d.rows.is_empty() {
            view! { <p class="hint">"No household would be exited."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table" data-testid="dry-run-households">
                    <thead><tr>
                        <th scope="col">"Head of household"</th>
                        <th scope="col">"Members"</th>
                        <th scope="col">"Project"</th>
                        <th scope="col">"Last service"</th>
                        <th scope="col">"Last contact"</th>
                        <th scope="col">"Last bed night"</th>
                        <th scope="col">"Exit date"</th>
                    </tr></thead>
                    <tbody>
                        {d.rows.into_iter().map(|r| view! {
                            <tr>
                                <td data-label="Head of household"><A href=routes::client(&r.head_personal_id)>{r.head_name}</A></td>
                                <td data-label="Members">{r.members.join(", ")}</td>
                                <td data-label="Project">{r.project_name}</td>
                                <td data-label="Last service">{date(r.last_service)}</td>
                                <td data-label="Last contact">{date(r.last_contact)}</td>
                                <td data-label="Last bed night">{date(r.last_bed_night)}</td>
                                <td data-label="Exit date">
                                    {match r.skipped {
                                        Some(reason) => format!("Skipped: {reason}"),
                                        None => date(r.exit_date),
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <Pager base page=d.page has_more=d.has_more />
    }
}
