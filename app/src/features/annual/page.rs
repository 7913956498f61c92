//! The Annual Assessment Tool page and the home page's card.

use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{AnnualDueRow, AnnualFilter, annual_due, annual_due_counts, csv_path, tool_path};
use crate::features::clients::pages::format_date;
use crate::features::workflows::WorkflowStart;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::routes;
use crate::ui::form::{FilterSelect, FormMessage, Pager, action_error, follow};
use crate::ui::layout::errors_view;
use crate::ui::status::{CountsCard, Loading};

fn filter_from_query(get: impl Fn(&str) -> Option<String>) -> AnnualFilter {
    AnnualFilter {
        organization_id: get("organization_id"),
        project_id: get("project_id"),
        funder: get("funder"),
        personal_id: get("personal_id"),
        due: get("due"),
        mine: get("mine"),
    }
}

#[component]
pub fn AnnualAssessmentsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.with(|q| filter_from_query(|k| q.get(k)));
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(0));
    let data = Resource::new(move || (filter(), page()), |(f, p)| annual_due(f, Some(p)));
    let start = ServerAction::<StartWorkflow>::new();
    follow(start);
    view! {
        <Title text="Annual Assessment Tool" />
        <section class="page">
            <h1>"Annual Assessment Tool"</h1>
            <p class="lead">
                "Open enrollments whose annual assessment is due on the date chosen: within 30 days of the anniversary of the head of household's start date, with no annual recorded in that window."
            </p>
            <FormMessage error=action_error(start) />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Ok(result) => {
                            let total = format!(
                                "{}{} household member{} due on {}",
                                if result.more { "More than " } else { "" },
                                result.total,
                                if result.total == 1 && !result.more { "" } else { "s" },
                                format_date(result.due),
                            );
                            let pages = view! { <Pager base=tool_path(&f) page=result.page has_more=result.has_more /> };
                            let due_value = result.due.format("%Y-%m-%d").to_string();
                            view! {
                                <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
                                    {(!result.organizations.is_empty())
                                        .then(|| {
                                            view! {
                                                <FilterSelect
                                                    id="organization_id"
                                                    label="Organization"
                                                    any="All organizations"
                                                    choices=result.organizations.clone()
                                                    value=f.organization_id.clone()
                                                />
                                            }
                                        })}
                                    <FilterSelect
                                        id="project_id"
                                        label="Project"
                                        any="All projects"
                                        choices=result.projects.clone()
                                        value=f.project_id.clone()
                                    />
                                    <FilterSelect
                                        id="funder"
                                        label="Funding source"
                                        any="Any funding source"
                                        choices=result.funders.clone()
                                        value=f.funder.clone()
                                    />
                                    <div class="field">
                                        <label for="personal_id">"Client ID"</label>
                                        <input id="personal_id" name="personal_id" value=f.personal_id.clone().unwrap_or_default() />
                                    </div>
                                    <div class="field">
                                        <label for="due">"Due date"</label>
                                        <input id="due" name="due" type="date" value=due_value />
                                    </div>
                                    <div class="field">
                                        <label class="choice">
                                            <input id="mine" name="mine" type="checkbox" value="yes" checked=f.mine.as_deref() == Some("yes") />
                                            <span>"My case assignments only"</span>
                                        </label>
                                    </div>
                                    <button type="submit" class="button">"Show"</button>
                                    <a class="button button--secondary" href=csv_path(&f) download="annual-assessments.csv" rel="external" data-testid="annual-csv">
                                        "Download CSV"
                                    </a>
                                </Form>
                                <p data-testid="annual-total">{total}</p>
                                <div class="table-scroll">
                                    <table class="data-table" data-testid="annual-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Client"</th>
                                                <th scope="col">"Head of household"</th>
                                                <th scope="col">"Project"</th>
                                                <th scope="col">"Start date"</th>
                                                <th scope="col">"Anniversary"</th>
                                                <th scope="col">"Window"</th>
                                                <th scope="col">"Days left"</th>
                                                <th scope="col">
                                                    <span class="visually-hidden">"Actions"</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {result.rows.into_iter().map(|row| view! { <DueRow row start /> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {pages}
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
fn DueRow(row: AnnualDueRow, start: ServerAction<StartWorkflow>) -> impl IntoView {
    let window = format!("{} – {}", format_date(row.opens), format_date(row.closes));
    let urgent = row.days_left <= 7;
    view! {
        <tr data-testid="annual-row">
            <td data-label="Client">
                <a href=routes::client(&row.personal_id)>{row.client_name.clone()}</a>
            </td>
            <td data-label="Head of household">{row.head_name.clone()}</td>
            <td data-label="Project">{row.project_name.clone()}</td>
            <td data-label="Start date">{format_date(row.entry_date)}</td>
            <td data-label="Anniversary">{format_date(row.anniversary)}</td>
            <td data-label="Window">{window}</td>
            <td data-label="Days left">
                <span class=if urgent { "tag tag--warning" } else { "tag tag--muted" }>{row.days_left.to_string()}</span>
            </td>
            <td>
                <details class="action-menu">
                    <summary aria-label="Actions">"⋯"</summary>
                    <ul role="list">
                        <li>
                            <WorkflowStart
                                action=start
                                enrollment_id=row.enrollment_id.clone()
                                kind=WorkflowKind::EditEntry
                                label="Edit the Enrollment".to_string()
                            />
                        </li>
                        <li>
                            <WorkflowStart
                                action=start
                                enrollment_id=row.enrollment_id.clone()
                                kind=WorkflowKind::Assessment
                                label="Complete the Annual Assessment".to_string()
                            />
                        </li>
                        <li>
                            <a href=routes::client(&row.personal_id)>"Select"</a>
                        </li>
                    </ul>
                </details>
            </td>
        </tr>
    }
}

/// Home: annual assessments due today in the organization's projects and for the
/// user's case assignments, linking to the tool.
#[component]
pub fn AnnualDueCard() -> impl IntoView {
    let counts = Resource::new(|| (), |_| annual_due_counts());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                counts
                    .await
                    .ok()
                    .flatten()
                    .map(|c| {
                        let organization = AnnualFilter {
                            organization_id: Some(c.organization_id.clone()),
                            ..Default::default()
                        };
                        let mine_href = tool_path(&AnnualFilter {
                            mine: Some("yes".into()),
                            ..organization.clone()
                        });
                        view! {
                            <CountsCard
                                testid="annual-due"
                                title="Annual assessments due today"
                                organization=if c.organization_more {
                                    format!("More than {}", c.organization)
                                } else {
                                    c.organization.to_string()
                                }
                                organization_href=tool_path(&organization)
                                mine=c.mine
                                mine_href=mine_href
                            />
                        }
                    })
            })}
        </Transition>
    }
}
