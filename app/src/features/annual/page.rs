//! The Annual Assessment Tool page and the home page's card.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;

use super::api::{AnnualDueRow, AnnualFilter, annual_due, annual_due_counts, csv_path, tool_path};
use crate::features::workflows::WorkflowMenu;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::report::{CsvLink, FilterForm, ReportPage};
use crate::routes;
use crate::ui::form::{FilterSelect, FormMessage, Pager, action_error};
use crate::ui::format::format_date;
use crate::ui::status::{CountsCard, Loading};
use crate::ui::table::DataTable;

#[component]
pub fn AnnualAssessmentsPage() -> impl IntoView {
    let filter = crate::report::use_filter::<AnnualFilter>();
    let page = crate::report::use_page();
    let data = resource(move || (filter(), page()), |(f, p)| annual_due(f, Some(p)));
    let start = crate::features::workflows::use_start();
    view! {
        <ReportPage
            title="Annual Assessment Tool"
            lead="Open enrollments whose annual assessment is due on the date chosen: within 30 days of the anniversary of the head of household's start date, with no annual recorded in that window."
            data
            body=move |result| {
                let f = filter();
                let total = format!(
                    "{}{} household member{} due on {}",
                    if result.more { "More than " } else { "" },
                    result.total,
                    if result.total == 1 && !result.more { "" } else { "s" },
                    format_date(result.due),
                );
                let due_value = result.due.format("%Y-%m-%d").to_string();
                let csv = CsvLink { href: csv_path(&f), file: "annual-assessments.csv", testid: "annual-csv" };
                let pages = view! { <Pager base=tool_path(&f) page=result.page has_more=result.has_more /> };
                view! {
                    <FilterForm
                        filter=f.clone()
                        organizations=result.organizations.clone()
                        projects=result.projects.clone()
                        csv
                    >
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
                    </FilterForm>
                    <p data-testid="annual-total">{total}</p>
                    <DataTable
                        testid="annual-table"
                        columns=&["Client", "Head of household", "Project", "Start date", "Anniversary", "Window", "Days left", ""]
                    >
                        {result.rows.into_iter().map(|row| view! { <DueRow row start /> }).collect_view()}
                    </DataTable>
                    {pages}
                }
            }
        >
            <FormMessage error=action_error(start) />
        </ReportPage>
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
            <td data-label="Actions">
                <WorkflowMenu
                    name=format!("Actions for {}, {} enrollment", row.client_name, row.project_name)
                    action=start
                    enrollment_id=row.enrollment_id.clone()
                    starts=vec![
                        (WorkflowKind::EditEntry, "Edit the Enrollment"),
                        (WorkflowKind::Assessment, "Complete the Annual Assessment"),
                    ]
                >
                    <li>
                        <a href=routes::client(&row.personal_id)>"Select"</a>
                    </li>
                </WorkflowMenu>
            </td>
        </tr>
    }
}

/// Home: annual assessments due today in the organization's projects and for the
/// user's case assignments, linking to the tool.
#[component]
pub fn AnnualDueCard() -> impl IntoView {
    let counts = resource(|| (), |_| annual_due_counts());
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
