//! Administrative exits: the HMIS admin's candidates and selection, the preview of
//! exactly what will change with its run and progress, and the list of administrative
//! exits done in an organization.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{
    AdminExitPlanView, AdminExitRun, Candidate, CandidateFilter, DoneFilter, PlanSkip, PreviewAdminExit,
    RunAdminExit, admin_exit_candidates, admin_exit_plan_path, admin_exits_done, candidates_path,
    get_admin_exit_plan, pick_field,
};
use crate::error::AppError;
use crate::jobs::{JobState, RecentJobs, poll_while};
use crate::report::{FilterForm, ReportPage};
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage, Pager, action_error, follow};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn AdminExitsPage() -> impl IntoView {
    let filter = crate::report::use_filter::<CandidateFilter>();
    let page = crate::report::use_page();
    let data = resource(
        move || (filter(), page()),
        |(f, p)| admin_exit_candidates(f, Some(p)),
    );
    let preview = ServerAction::<PreviewAdminExit>::new();
    follow(preview);
    let error = Signal::derive(move || preview.value().get().and_then(Result::err));
    view! {
        <ReportPage
            title="Administrative exits"
            back=(routes::ADMIN, "← Admin")
            lead="Open households without a service, bed night or contact for the days chosen. Pick households (or all matching), preview exactly what will change, then run it: destination 30 (No exit interview completed), reason Administrative Exit, dated on each household's last service or contact, or on a date you choose."
            data
            body=move |result| {
                let f = filter();
                let days = result.days.to_string();
                let total = format!(
                    "{} ({}) without activity for {} days as of {}",
                    plural(result.total_households, "household", "households"),
                    plural(result.total_enrollments, "enrollment", "enrollments"),
                    result.days,
                    format_date(result.today),
                );
                let pages = view! { <Pager base=candidates_path(&f) page=result.page has_more=result.has_more /> };
                let all_label = format!("All {} matching (every page)", plural(result.total_households, "household", "households"));
                let any = !result.rows.is_empty();
                let (organization_id, project_id) = (
                    f.organization_id.clone().unwrap_or_default(),
                    f.project_id.clone().unwrap_or_default(),
                );
                let days_shown = days.clone();
                view! {
                    <FilterForm
                        filter=f.clone()
                        organizations=result.organizations.clone()
                        projects=result.projects.clone()
                    >
                        <div class="field">
                            <label for="days">"Days without activity"</label>
                            <input id="days" name="days" type="number" min="1" max="3650" inputmode="numeric" value=days_shown />
                        </div>
                    </FilterForm>
                    <p data-testid="candidates-total">{total}</p>
                    <ActionForm action=preview attr:class="form">
                        <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                        <input type="hidden" name="filter[organization_id]" value=organization_id />
                        <input type="hidden" name="filter[project_id]" value=project_id />
                        <input type="hidden" name="filter[days]" value=days />
                        <DataTable
                            testid="candidates-table"
                            columns=&["Select", "Household", "Project", "Last service or contact", "Days without", "Exit date"]
                        >
                            {result.rows.into_iter().map(|row| view! { <CandidateLine row /> }).collect_view()}
                        </DataTable>
                        {pages}
                        {any.then(|| view! {
                            <FieldMessage error field="pick" />
                            <label class="choice">
                                <input type="checkbox" name="all" value="yes" />
                                <span>{all_label}</span>
                            </label>
                            <div class="field">
                                <label for="exit_date">"Exit date (optional)"</label>
                                <input id="exit_date" name="exit_date" type="date" max=result.today.format("%Y-%m-%d").to_string() />
                                <p class="hint">"Empty: each household exits on its last service or contact. A date must not come before any member's start or last activity."</p>
                                <FieldMessage error field="exit_date" />
                            </div>
                            <button type="submit" class="button" data-testid="preview-admin-exit">"Preview"</button>
                        })}
                    </ActionForm>
                    <RecentJobs
                        title="Recent administrative exits"
                        count=result.runs.len()
                        busy=result.runs.iter().any(|r| r.state.busy())
                        busy_text="An administrative exit is running."
                        refresh=routes::ADMIN_EXITS
                        empty="No administrative exits previewed yet."
                    >
                        {result.runs.into_iter().map(|run| view! { <RunLine run /> }).collect_view()}
                    </RecentJobs>
                }
            }
        />
    }
}

#[component]
fn CandidateLine(row: Candidate) -> impl IntoView {
    let head = row.members.first().cloned();
    let others = row
        .members
        .iter()
        .skip(1)
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let label = format!(
        "Select the household of {}",
        head.as_ref().map(|h| h.name.clone()).unwrap_or_default()
    );
    let held = row.held_by_referral;
    view! {
        <tr data-testid="candidate-row">
            <td data-label="Select">
                <input type="checkbox" name=pick_field(&row.household_id) value="yes" aria-label=label disabled=held />
            </td>
            <td data-label="Household">
                {head.map(|h| view! { <a href=routes::client(&h.personal_id)>{h.name}</a> })}
                {(!others.is_empty()).then(|| view! { <div class="hint">{format!("with {others}")}</div> })}
                {held.then(|| view! { <div class="tag">"Held: CE referral pending"</div> })}
            </td>
            <td data-label="Project">{row.project_name}<div class="hint">{row.organization_name}</div></td>
            <td data-label="Last service or contact">{format_date(row.last_activity)}</td>
            <td data-label="Days without">{row.days_inactive}</td>
            <td data-label="Exit date">{format_date(row.exit_date)}</td>
        </tr>
    }
}

#[component]
fn RunLine(run: AdminExitRun) -> impl IntoView {
    let by = run.started_by.map(|u| format!(" by {u}")).unwrap_or_default();
    let status = match run.state {
        JobState::Planned => "Previewed, not run".to_string(),
        JobState::Queued => "Waiting".into(),
        JobState::Running => format!("Working: {} of {}", run.progress, run.total),
        JobState::Done => run.message.clone().unwrap_or_else(|| "Done".into()),
        JobState::Failed => format!("Failed: {}", run.message.clone().unwrap_or_default()),
        JobState::Interrupted => run.message.clone().unwrap_or_else(|| "Interrupted".into()),
    };
    view! {
        <li class="job" data-testid="admin-exit-run">
            <div class="job__title">
                <A href=admin_exit_plan_path(&run.plan_id)>{plural(run.households, "household", "households")}</A>
            </div>
            <div class="hint">{format!("{}{by} · {status}", run.started)}</div>
        </li>
    }
}

#[component]
pub fn AdminExitPlanPage() -> impl IntoView {
    let params = use_params_map();
    let plan_id = move || params.with(|p| p.get("plan_id").unwrap_or_default());
    let run = ServerAction::<RunAdminExit>::new();
    let tick = RwSignal::new(0u32);
    let data = resource(
        move || (plan_id(), run.version().get(), tick.get()),
        |(id, _, _)| get_admin_exit_plan(id),
    );
    poll_while(
        Signal::derive(move || matches!(data.get(), Some(Ok(v)) if v.busy())),
        tick,
    );
    view! {
        <Title text="Administrative exit" />
        <section class="page">
            <p><A href=routes::ADMIN_EXITS>"← Administrative exits"</A></p>
            <h1>"Administrative exit"</h1>
            <FormMessage error=action_error(run) />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <PlanView view run /> }.into_any(),
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PlanView(view: AdminExitPlanView, run: ServerAction<RunAdminExit>) -> impl IntoView {
    let plan = view.plan.clone();
    let households = plan.households.len();
    let verb = if view.state == JobState::Planned {
        "will exit"
    } else {
        "exit"
    };
    let summary = format!(
        "{} ({}) {verb}: destination 30 No exit interview completed, reason Administrative Exit.",
        plural(households, "household", "households"),
        plural(plan.enrollments(), "enrollment", "enrollments"),
    );
    let date_rule = match plan.chosen_date {
        Some(d) => format!("Exit date chosen: {}.", format_date(d)),
        None => "Each household exits on its last service or contact.".to_string(),
    };
    let rows: Vec<_> = plan
        .households
        .iter()
        .flat_map(|h| {
            h.members
                .iter()
                .map(move |m| (h.project_name.clone(), h.exit_date, m.clone()))
        })
        .collect();
    let status = Some(view.state).filter(|s| *s != JobState::Planned).map(|state| {
        let label = match state {
            JobState::Planned => "Planned",
            JobState::Queued => "Waiting",
            JobState::Running => "Working",
            JobState::Done => "Done",
            JobState::Failed => "Failed",
            JobState::Interrupted => "Interrupted",
        };
        let class = match state {
            JobState::Done => "tag tag--success",
            JobState::Failed | JobState::Interrupted => "tag tag--error",
            _ => "tag",
        };
        let total = view.total.max(1);
        view! {
            <div class="card" data-testid="admin-exit-status">
                <h2>"Progress"</h2>
                <span class=class data-testid="job-state">{label}</span>
                <progress max=total value=view.progress aria-label="Progress">{format!("{} of {total}", view.progress)}</progress>
                <p data-testid="admin-exit-progress">{format!("{} of {} households", view.progress, view.total)}</p>
                {view.message.clone().map(|m| view! { <p class="job__message" data-testid="admin-exit-message">{m}</p> })}
                {state.busy().then(|| view! { <p class="hint">"You can leave this page; the exit goes on. " <a href=admin_exit_plan_path(&view.plan_id)>"Refresh"</a></p> })}
                {(state == JobState::Interrupted).then(|| view! { <crate::jobs::RunAgain job_run_id=view.plan_id.clone() /> })}
            </div>
        }
    });
    let not_exited = view.result.clone().map(|r| r.not_exited).unwrap_or_default();
    view! {
        <p data-testid="plan-summary">{summary}</p>
        <p class="hint">
            {date_rule}
            {view.previewed_by.clone().map(|u| format!(" Previewed by {u}."))}
        </p>
        {status}
        {(view.state == JobState::Planned).then(|| view! {
            <ActionForm action=run attr:class="form">
                <input type="hidden" name="plan_id" value=view.plan_id.clone() />
                <p>"Nothing has changed yet. Check the rows below, then run the exit."</p>
                <button type="submit" class="button" data-testid="run-admin-exit">
                    {format!("Exit {}", plural(households, "household", "households"))}
                </button>
                " "
                <A href=routes::ADMIN_EXITS attr:class="button button--secondary">"Cancel"</A>
            </ActionForm>
        })}
        <Skips title="Left out at the preview" skips=plan.skipped.clone() testid="plan-skipped" />
        <Skips title="Not exited when the exit ran" skips=not_exited testid="plan-not-exited" />
        <DataTable testid="plan-table" columns=&["Client", "In the household", "Project", "Start date", "Exit date"]>
                {rows.into_iter().map(|(project, exit_date, m)| view! {
                    <tr data-testid="plan-row">
                        <td data-label="Client"><a href=routes::client(&m.personal_id)>{m.name}</a></td>
                        <td data-label="In the household">{if m.head { "Head of household" } else { "Member" }}</td>
                        <td data-label="Project">{project}</td>
                        <td data-label="Start date">{format_date(m.entry_date)}</td>
                        <td data-label="Exit date">{format_date(exit_date)}</td>
                    </tr>
                }).collect_view()}
        </DataTable>
    }
}

#[component]
fn Skips(title: &'static str, skips: Vec<PlanSkip>, testid: &'static str) -> impl IntoView {
    (!skips.is_empty()).then(|| {
        view! {
            <details class="card" data-testid=testid open>
                <summary>{format!("{title}: {}", plural(skips.len(), "household", "households"))}</summary>
                <ul>
                    {skips.into_iter().map(|s| {
                        let who = if s.head_name.is_empty() { format!("Household {}", s.household_id) } else { s.head_name.clone() };
                        view! {
                            <li>
                                {if s.head_personal_id.is_empty() {
                                    view! { <span>{who}</span> }.into_any()
                                } else {
                                    view! { <a href=routes::client(&s.head_personal_id)>{who}</a> }.into_any()
                                }}
                                {format!(" · {} · {}", s.project_name, s.reason)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}

/// Administrative exits done in an organization (agency admins: their own).
#[component]
pub fn AdminExitsDonePage() -> impl IntoView {
    let filter = crate::report::use_filter::<DoneFilter>();
    let page = crate::report::use_page();
    let data = resource(move || (filter(), page()), |(f, p)| admin_exits_done(f, Some(p)));
    view! {
        <ReportPage
            title="Administrative exits done"
            lead="Enrollments the HMIS lead exited administratively (destination 30, reason Administrative Exit), newest first."
            data
            body=move |result| {
                let f = filter();
                let base = format!("{}?{}", routes::ADMIN_EXITS_DONE, f.query());
                view! {
                    {(!result.organizations.is_empty()).then(|| view! {
                        <FilterForm filter=f.clone() organizations=result.organizations.clone() />
                    })}
                    <p data-testid="admin-exits-done-total">
                        {format!("{}: {}", result.organization_name, plural(result.total, "administrative exit", "administrative exits"))}
                    </p>
                    <DataTable testid="admin-exits-done" columns=&["Client", "Project", "Start date", "Exit date", "Recorded"]>
                        {result.rows.into_iter().map(|r| view! {
                            <tr data-testid="admin-exit-done">
                                <td data-label="Client"><a href=routes::client(&r.personal_id)>{r.name}</a></td>
                                <td data-label="Project">{r.project_name}</td>
                                <td data-label="Start date">{format_date(r.entry_date)}</td>
                                <td data-label="Exit date">{format_date(r.exit_date)}</td>
                                <td data-label="Recorded">{r.recorded}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                    <Pager base page=result.page has_more=result.has_more />
                }
            }
        />
    }
}
