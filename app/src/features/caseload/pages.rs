//! The supervisor's caseload dashboard (every case manager's load, with charts), its
//! drill-down to one case manager's clients with reassignment, and the home card.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{CaseloadFilter, ManagerLoad, ReassignCase, caseload_of, caseload_path, caseloads_path};
use super::components::CaseloadTable;
use crate::domain::access::Workgroup;
use crate::report::{FilterForm, ReportPage};
use crate::routes;
use crate::session::use_session;
use crate::ui::chart::{Bar, BarChart};
use crate::ui::form::FilterSelect;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

/// Everything about one case manager's load, in words (the charts' details).
fn summary(l: &ManagerLoad) -> String {
    format!(
        "{}: {} active clients in {} households; annuals {} due, {} overdue; {} approaching auto-exit; {} drafts open; {} data-quality errors",
        l.name,
        l.active_clients,
        l.households,
        l.annuals_due,
        l.annuals_overdue,
        l.exits_due,
        l.open_drafts,
        l.dq_errors
    )
}

fn bars(managers: &[ManagerLoad], value: fn(&ManagerLoad) -> usize) -> Vec<Bar> {
    managers
        .iter()
        .map(|m| Bar {
            label: m.name.clone(),
            value: value(m),
            detail: summary(m),
        })
        .collect()
}

#[component]
pub fn CaseloadsPage() -> impl IntoView {
    let filter = crate::report::use_filter::<CaseloadFilter>();
    let data = resource(filter, super::api::get_caseload_dashboard);
    view! {
        <ReportPage
            title="Caseloads"
            lead="Every case manager's clients and what is due: open a name for their clients, to reassign them."
            data
            body=move |dashboard| {
                let f = filter();
                let managers = dashboard.managers.clone();
                let rows = managers
                    .iter()
                    .cloned()
                    .map(|m| view! { <LoadRow href=caseload_path(&m.user_id, &f) m /> })
                    .collect_view();
                view! {
                    {(!dashboard.organizations.is_empty()).then(|| view! {
                        <FilterForm filter=f.clone()>
                            <FilterSelect id="organization_id" label="Organization" any="My organization" choices=dashboard.organizations.clone() value=f.organization_id.clone() />
                        </FilterForm>
                    })}
                    <p data-testid="caseloads-organization">{format!("{} · {} case managers", dashboard.organization_name, managers.len())}</p>
                    {if managers.is_empty() {
                        view! { <p class="hint">"No case managers in this organization."</p> }.into_any()
                    } else {
                        view! {
                            <div class="charts">
                                <BarChart title="Active clients" testid="chart-active" bars=bars(&managers, |m| m.active_clients) />
                                <BarChart title="Annual assessments due or overdue" testid="chart-annuals" bars=bars(&managers, |m| m.annuals_due + m.annuals_overdue) />
                                <BarChart title="Data-quality errors" testid="chart-dq" bars=bars(&managers, |m| m.dq_errors) />
                            </div>
                            <DataTable
                                testid="caseloads-table"
                                columns=&["Case manager", "Active clients", "Households", "Annuals due", "Annuals overdue", "Approaching auto-exit", "Drafts open", "Data-quality errors"]
                            >
                                {rows}
                            </DataTable>
                        }
                            .into_any()
                    }}
                }
            }
        />
    }
}

/// One case manager's row of the dashboard, their name opening their caseload.
#[component]
fn LoadRow(m: ManagerLoad, href: String) -> impl IntoView {
    view! {
        <tr data-testid="load-row">
            <th scope="row"><a href=href>{m.name}</a></th>
            <td data-label="Active clients" data-testid="load-active">{m.active_clients}</td>
            <td data-label="Households" data-testid="load-households">{m.households}</td>
            <td data-label="Annuals due" data-testid="load-due">{m.annuals_due}</td>
            <td data-label="Annuals overdue" data-testid="load-overdue">{m.annuals_overdue}</td>
            <td data-label="Approaching auto-exit" data-testid="load-exits">{m.exits_due}</td>
            <td data-label="Drafts open" data-testid="load-drafts">{m.open_drafts}</td>
            <td data-label="Data-quality errors" data-testid="load-dq">{m.dq_errors}</td>
        </tr>
    }
}

#[component]
pub fn CaseloadDetailPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || params.with(|p| p.get("user_id").unwrap_or_default());
    let filter = crate::report::use_filter::<CaseloadFilter>();
    let reassign = ServerAction::<ReassignCase>::new();
    let data = resource(
        move || (user_id(), filter(), reassign.version().get()),
        |(id, f, _)| caseload_of(id, f),
    );
    let session = use_session();
    view! {
        <Title text="Caseload" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    let detail = match data.await {
                        Ok(d) => d,
                        Err(e) => return errors_view(e),
                    };
                    // Reassignment works in the organization one is acting for.
                    let acting = session.await.ok().flatten().and_then(|s| s.context).map(|c| c.organization_id);
                    let here = acting.as_deref() == Some(detail.organization_id.as_str());
                    let load = detail.load.clone();
                    view! {
                        <p><A href=caseloads_path(&f)>"← Caseloads"</A></p>
                        <h1>{format!("Caseload — {}", load.name)}</h1>
                        <p data-testid="caseload-summary">{summary(&load)}</p>
                        {if detail.rows.is_empty() {
                            view! { <p class="hint">"No clients are assigned."</p> }.into_any()
                        } else if here {
                            view! { <CaseloadTable rows=detail.rows.clone() reassign=(detail.options.clone(), reassign) /> }.into_any()
                        } else {
                            view! { <CaseloadTable rows=detail.rows.clone() /> }.into_any()
                        }}
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}

/// Home: a link to the caseload dashboard for supervisors and agency admins.
#[component]
pub fn CaseloadsCard() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let overseer = session
                    .await
                    .ok()
                    .flatten()
                    .and_then(|s| s.context)
                    .is_some_and(|c| matches!(c.workgroup, Workgroup::Supervisor | Workgroup::AgencyAdmin));
                overseer.then(|| view! {
                    <div class="card" data-testid="caseloads-card">
                        <h2>"Caseloads"</h2>
                        <p>
                            <a href=routes::CASELOADS>"Every case manager's clients, annuals due, exits due and data-quality errors"</a>
                        </p>
                    </div>
                })
            })}
        </Transition>
    }
}
