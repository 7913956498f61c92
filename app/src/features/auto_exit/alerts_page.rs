//! "Approaching auto-exit": households past their project's alert age, and the home
//! page's card counting them.

use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{
    ApproachingFilter, ApproachingRow, approaching_auto_exit, approaching_auto_exit_counts,
    approaching_csv_path, approaching_path,
};
use crate::features::clients::pages::format_date;
use crate::features::workflows::WorkflowStart;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::routes;
use crate::ui::form::{FilterSelect, FormMessage, action_error, follow};
use crate::ui::layout::errors_view;
use crate::ui::status::{CountsCard, Loading};

#[component]
pub fn ApproachingAutoExitPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| ApproachingFilter {
            organization_id: q.get("organization_id"),
            project_id: q.get("project_id"),
            mine: q.get("mine"),
        })
    };
    let data = Resource::new(filter, approaching_auto_exit);
    let start = ServerAction::<StartWorkflow>::new();
    follow(start);
    view! {
        <Title text="Approaching auto-exit" />
        <section class="page">
            <h1>"Approaching auto-exit"</h1>
            <p class="lead">
                "Households with no service or contact for longer than their project's alert age. Unless someone records a service or a contact, the nightly sweep exits them on the day shown."
            </p>
            <FormMessage error=action_error(start) />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Ok(report) => {
                            let today = report.today;
                            let total = format!(
                                "{} household{} as of {}",
                                report.rows.len(),
                                if report.rows.len() == 1 { "" } else { "s" },
                                format_date(today),
                            );
                            view! {
                                <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
                                    {(!report.organizations.is_empty()).then(|| view! {
                                        <FilterSelect id="organization_id" label="Organization" any="All organizations" choices=report.organizations.clone() value=f.organization_id.clone() />
                                    })}
                                    <FilterSelect id="project_id" label="Project" any="All projects" choices=report.projects.clone() value=f.project_id.clone() />
                                    <label class="choice">
                                        <input type="checkbox" name="mine" value="yes" checked=f.mine.as_deref() == Some("yes") />
                                        <span>"My case assignments only"</span>
                                    </label>
                                    <button type="submit" class="button">"Show"</button>
                                    <a class="button button--secondary" href=approaching_csv_path(&f) download="approaching-auto-exit.csv" rel="external" data-testid="approaching-csv">
                                        "Download CSV"
                                    </a>
                                </Form>
                                <p data-testid="approaching-total">{total}</p>
                                <div class="table-scroll">
                                    <table class="data-table" data-testid="approaching-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Head of household"</th>
                                                <th scope="col">"Members"</th>
                                                <th scope="col">"Project"</th>
                                                <th scope="col">"Last service or contact"</th>
                                                <th scope="col">"Days without"</th>
                                                <th scope="col">"Auto-exit"</th>
                                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {report.rows.into_iter().map(|row| view! { <ApproachingLine row today start /> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ApproachingLine(
    row: ApproachingRow,
    today: chrono::NaiveDate,
    start: ServerAction<StartWorkflow>,
) -> impl IntoView {
    let exits = if row.held_by_referral {
        "Held: CE referral pending".to_string()
    } else if row.exits_on <= today {
        "At the next sweep".to_string()
    } else {
        format_date(row.exits_on)
    };
    view! {
        <tr data-testid="approaching-row">
            <td data-label="Head of household">
                <a href=routes::client(&row.head_personal_id)>{row.head_name.clone()}</a>
            </td>
            <td data-label="Members">{row.members}</td>
            <td data-label="Project">{row.project_name.clone()}</td>
            <td data-label="Last service or contact">{format_date(row.last_activity)}</td>
            <td data-label="Days without">{row.days_inactive}</td>
            <td data-label="Auto-exit">{exits}</td>
            <td>
                <details class="action-menu">
                    <summary aria-label="Actions">"⋯"</summary>
                    <ul role="list">
                        <li><a href=routes::client(&row.head_personal_id)>"Open the dashboard"</a></li>
                        <li>
                            <WorkflowStart action=start enrollment_id=row.head_enrollment_id.clone() kind=WorkflowKind::Exit label="Exit the household".to_string() />
                        </li>
                    </ul>
                </details>
            </td>
        </tr>
    }
}

/// Home: households approaching auto-exit in the organization's projects and for the
/// user's case assignments, linking to the report. Nothing when there are none.
#[component]
pub fn ApproachingAutoExitCard() -> impl IntoView {
    let counts = Resource::new(|| (), |_| approaching_auto_exit_counts());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                counts.await.ok().flatten().filter(|c| c.organization > 0).map(|c| {
                    let organization = ApproachingFilter {
                        organization_id: Some(c.organization_id.clone()),
                        ..Default::default()
                    };
                    let mine = ApproachingFilter {
                        mine: Some("yes".into()),
                        ..organization.clone()
                    };
                    view! {
                        <CountsCard
                            testid="approaching"
                            title="Approaching auto-exit"
                            organization=c.organization.to_string()
                            organization_href=approaching_path(&organization)
                            mine=c.mine
                            mine_href=approaching_path(&mine)
                        />
                    }
                })
            })}
        </Transition>
    }
}
