//! The auto-exit page: which projects auto-exit, a sweep on demand (or a dry run), and
//! what the recent sweeps did.

use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;

use super::api::{AutoExitRun, StartAutoExit, get_auto_exit_overview};
use crate::error::AppError;
use crate::features::jobs::{JobStatus, RecentJobs, poll_while};
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn AutoExitPage() -> impl IntoView {
    let start = ServerAction::<StartAutoExit>::new();
    let tick = RwSignal::new(0u32);
    let overview = Resource::new(
        move || (start.version().get(), tick.get()),
        |_| get_auto_exit_overview(),
    );
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    poll_while(
        Signal::derive(move || matches!(overview.get(), Some(Ok(o)) if o.busy())),
        tick,
    );
    view! {
        <Title text="Auto-exit" />
        <section class="page">
            <p><A href=routes::ADMIN>"← Admin"</A></p>
            <h1>"Auto-exit"</h1>
            <p class="lead">
                "Every night, households of these projects whose last service or contact is older than the project's setting exit together: "
                "destination 30 (No exit interview completed), reason Auto Exit, dated on that last service or contact. "
                "Households with an open Coordinated Entry referral stay and are listed."
            </p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let overview = match overview.await {
                        Ok(o) => o,
                        Err(e) => return errors_view(e),
                    };
                    let busy = overview.busy();
                    let projects = overview.projects.clone();
                    view! {
                        <div class="card">
                            <h2>"Projects that auto-exit"</h2>
                            {if projects.is_empty() {
                                view! { <p class="hint">"No project has an auto-exit setting. Set one on a project's page."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll"><table class="data-table" data-testid="auto-exit-projects">
                                        <thead><tr><th scope="col">"Project"</th><th scope="col">"Organization"</th><th scope="col">"Alert after"</th><th scope="col">"Exit after"</th></tr></thead>
                                        <tbody>
                                            {projects.iter().cloned().map(|p| view! {
                                                <tr>
                                                    <td data-label="Project"><A href=routes::admin_project(&p.project_id)>{p.project_name}</A></td>
                                                    <td data-label="Organization">{p.organization_name}</td>
                                                    <td data-label="Alert after">{p.alert_days.map_or_else(|| "—".to_string(), |d| format!("{d} days"))}</td>
                                                    <td data-label="Exit after">{format!("{} days", p.exit_days)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table></div>
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
                                    <span><strong>"Dry run"</strong>" — count what would be exited, change nothing"</span>
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
                        .into_any()
                })}
            </Transition>
        </section>
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
            <JobStatus state=run.state done_label="Done" progress=run.progress total=run.total.max(1) message=run.message.clone() />
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
