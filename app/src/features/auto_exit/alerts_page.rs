//! "Approaching auto-exit": households past their project's alert age, and the home
//! page's card counting them.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;

use super::api::{
    ApproachingFilter, ApproachingRow, approaching_auto_exit, approaching_auto_exit_counts,
    approaching_csv_path, approaching_path,
};
use crate::features::workflows::WorkflowMenu;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::report::{CsvLink, FilterForm, ReportPage};
use crate::routes;
use crate::ui::form::{FormMessage, action_error};
use crate::ui::format::format_date;
use crate::ui::status::{CountsCard, Loading};
use crate::ui::table::DataTable;

#[component]
pub fn ApproachingAutoExitPage() -> impl IntoView {
    let filter = crate::report::use_filter::<ApproachingFilter>();
    let data = resource(filter, approaching_auto_exit);
    let start = crate::features::workflows::use_start();
    view! {
        <ReportPage
            title="Approaching auto-exit"
            lead="Households with no service or contact for longer than their project's alert age. Unless someone records a service or a contact, the nightly sweep exits them on the day shown."
            data
            body=move |report| {
                let f = filter();
                let today = report.today;
                let total = format!(
                    "{} household{} as of {}",
                    report.rows.len(),
                    if report.rows.len() == 1 { "" } else { "s" },
                    format_date(today),
                );
                let csv = CsvLink { href: approaching_csv_path(&f), file: "approaching-auto-exit.csv", testid: "approaching-csv" };
                view! {
                    <FilterForm
                        filter=f.clone()
                        organizations=report.organizations.clone()
                        projects=report.projects.clone()
                        csv
                    >
                        <label class="choice">
                            <input type="checkbox" name="mine" value="yes" checked=f.mine.as_deref() == Some("yes") />
                            <span>"My case assignments only"</span>
                        </label>
                    </FilterForm>
                    <p data-testid="approaching-total">{total}</p>
                    <DataTable
                        testid="approaching-table"
                        columns=&["Head of household", "Members", "Project", "Last service or contact", "Days without", "Auto-exit", ""]
                    >
                        {report.rows.into_iter().map(|row| view! { <ApproachingLine row today start /> }).collect_view()}
                    </DataTable>
                }
            }
        >
            <FormMessage error=action_error(start) />
        </ReportPage>
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
            <td data-label="Actions">
                <WorkflowMenu
                    name=format!("Actions for {}'s household, {}", row.head_name, row.project_name)
                    action=start
                    enrollment_id=row.head_enrollment_id.clone()
                    starts=vec![(WorkflowKind::Exit, "Exit the household")]
                    dashboard=routes::client(&row.head_personal_id)
                />
            </td>
        </tr>
    }
}

/// Home: households approaching auto-exit in the organization's projects and for the
/// user's case assignments, linking to the report. Nothing when there are none.
#[component]
pub fn ApproachingAutoExitCard() -> impl IntoView {
    let counts = resource(|| (), |_| approaching_auto_exit_counts());
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
