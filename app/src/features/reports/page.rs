//! The Reports area and the Client Milestone Age Status report.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;

use super::api::{MilestoneFilter, MilestoneRow, milestone_report, milestones_csv_path};
use crate::features::workflows::WorkflowMenu;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::report::{CsvLink, FilterForm, ReportPage};
use crate::routes;
use crate::ui::form::{FormMessage, action_error};
use crate::ui::format::format_date;
use crate::ui::table::DataTable;

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <Title text="Reports" />
        <section class="page">
            <h1>"Reports"</h1>
            <ul role="list" class="link-list">
                <li>
                    <a href=routes::MILESTONES>"Client Milestone Age Status"</a>
                    <p class="hint">
                        "Clients in open enrollments who turned 18 since their start date (or will soon), and the adult data elements to record."
                    </p>
                </li>
                <li>
                    <a href=routes::APPROACHING_AUTO_EXIT>"Approaching auto-exit"</a>
                    <p class="hint">"Households without a service or contact for longer than their project's alert age, and when the sweep exits them."</p>
                </li>
                <li>
                    <a href=routes::CASELOADS>"Caseloads"</a>
                    <p class="hint">"Every case manager's active clients, households, annuals due and overdue, exits due, drafts and data-quality errors (supervisors and admins)."</p>
                </li>
                <li>
                    <a href=routes::DATA_QUALITY>"Data quality"</a>
                    <p class="hint">"Completeness, timeliness and integrity errors per organization and project, each count linked to its records (supervisors and admins)."</p>
                </li>
                <li>
                    <a href=routes::ADMIN_EXITS_DONE>"Administrative exits done"</a>
                    <p class="hint">"Enrollments the HMIS lead exited administratively in your organization (agency and HMIS admins)."</p>
                </li>
                <li>
                    <a href=routes::ANNUAL_ASSESSMENTS>"Annual Assessment Tool"</a>
                    <p class="hint">"Household members whose annual assessment is due."</p>
                </li>
            </ul>
        </section>
    }
}

#[component]
pub fn MilestonesPage() -> impl IntoView {
    let filter = crate::report::use_filter::<MilestoneFilter>();
    let data = resource(filter, milestone_report);
    let start = crate::features::workflows::use_start();
    view! {
        <ReportPage
            title="Client Milestone Age Status"
            lead="Clients in open enrollments who were children at their start date and turned 18 since — or will within the days chosen. Adults answer more: veteran status, prior living situation, income and benefits."
            data
            body=move |report| {
                let f = filter();
                let total = format!(
                    "{} client{} as of {}",
                    report.rows.len(),
                    if report.rows.len() == 1 { "" } else { "s" },
                    format_date(report.today),
                );
                let csv = CsvLink { href: milestones_csv_path(&f), file: "client-milestones.csv", testid: "milestones-csv" };
                view! {
                    <FilterForm
                        filter=f.clone()
                        organizations=report.organizations.clone()
                        projects=report.projects.clone()
                        csv
                    >
                        <div class="field">
                            <label for="within_days">"Or turning 18 within (days)"</label>
                            <input id="within_days" name="within_days" type="number" min="0" max="366" value=f.within_days.clone().unwrap_or_default() />
                        </div>
                    </FilterForm>
                    <p data-testid="milestones-total">{total}</p>
                    <DataTable
                        testid="milestones-table"
                        columns=&["Client", "Date of birth", "Turns 18", "Project", "Start date", "To update", ""]
                    >
                        {report.rows.into_iter().map(|row| view! { <MilestoneLine row start /> }).collect_view()}
                    </DataTable>
                }
            }
        >
            <FormMessage error=action_error(start) />
        </ReportPage>
    }
}

#[component]
fn MilestoneLine(row: MilestoneRow, start: ServerAction<StartWorkflow>) -> impl IntoView {
    let needs = if row.needs.is_empty() {
        "Nothing: recorded as an adult".to_string()
    } else {
        row.needs.join("; ")
    };
    view! {
        <tr data-testid="milestone-row">
            <td data-label="Client">
                <a href=routes::client(&row.personal_id)>{row.client_name.clone()}</a>
            </td>
            <td data-label="Date of birth">{format_date(row.dob)}</td>
            <td data-label="Turns 18">{format_date(row.turns_18)}</td>
            <td data-label="Project">{row.project_name.clone()}</td>
            <td data-label="Start date">{format_date(row.entry_date)}</td>
            <td data-label="To update">{needs}</td>
            <td data-label="Actions">
                <WorkflowMenu
                    name=format!("Actions for {}, {} enrollment", row.client_name, row.project_name)
                    action=start
                    enrollment_id=row.enrollment_id.clone()
                    starts=vec![
                        (WorkflowKind::EditEntry, "Edit Project Entry"),
                        (WorkflowKind::Assessment, "Update Assessment"),
                    ]
                />
            </td>
        </tr>
    }
}
