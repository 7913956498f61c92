//! Coordinated Entry pages: the priority list, a CE enrollment's assessment and events
//! pages, the incoming referrals of a receiving organization. The HMIS admin's local
//! questions are in `questions_page`.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{
    CeEnrollment, PriorityFilter, PriorityRow, RecordCeAssessment, RecordCeEvent, RecordReferralResult,
    ce_assessment, ce_assessment_path, ce_events, ce_events_path, csv_path, incoming_referrals, list_path,
    priority_list,
};
use crate::domain::ce::TIE_BREAKERS;
use crate::domain::codes::REFERRAL_RESULT;
use crate::error::AppError;
use crate::features::workflows::WorkflowStart;
use crate::features::workflows::api::{StartWorkflow, WorkflowKind};
use crate::report::{CsvLink, FilterChoice, FilterForm, ReportPage};
use crate::routes;
use crate::ui::fields::{FieldSpec, Fields, ValidationSummary};
use crate::ui::form::{FieldMessage, FilterSelect, FormMessage, Pager, action_error, form_level};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::menu::{RowMenu, UnavailableAction};
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

fn yes_no() -> Vec<FilterChoice> {
    [("yes", "Yes"), ("no", "No")]
        .into_iter()
        .map(|(value, label)| FilterChoice {
            value: value.into(),
            label: label.into(),
        })
        .collect()
}

fn yes(flag: bool) -> &'static str {
    if flag { "Yes" } else { "No" }
}

/// Coordinated Entry → Priority List.
#[component]
pub fn PriorityListPage() -> impl IntoView {
    let filter = crate::report::use_filter::<PriorityFilter>();
    let page = crate::report::use_page();
    let data = resource(move || (filter(), page()), |(f, p)| priority_list(f, Some(p)));
    let start = crate::features::workflows::use_start();
    view! {
        <ReportPage
            title="Coordinated Entry — Priority List"
            lead=format!("Households placed on the prioritization list, {TIE_BREAKERS}.")
            data
            forbidden=|| view! {
                <p class="notice notice--info" role="status" data-testid="priority-forbidden">
                    "The priority list is for priority list managers and CE assessors acting in the Coordinated Entry organization. Choose that context in Settings if you have it; otherwise ask your priority list manager."
                </p>
            }
            body=move |result| {
                let f = filter();
                let total = format!(
                    "{} household{} on the list",
                    result.total,
                    if result.total == 1 { "" } else { "s" },
                );
                let manages = result.manages;
                let exit_refused = result.exit_refused.clone();
                let csv = CsvLink { href: csv_path(&f), file: "priority-list.csv", testid: "priority-csv" };
                let base = list_path(&f);
                view! {
                    <FilterForm filter=f.clone() csv>
                        <FilterSelect id="household_type" label="Household type" any="Any household" choices=result.household_types.clone() value=f.household_type.clone() />
                        <FilterSelect id="chronic" label="Chronically homeless" any="Any" choices=yes_no() value=f.chronic.clone() />
                        <FilterSelect id="veteran" label="Veteran" any="Any" choices=yes_no() value=f.veteran.clone() />
                        <FilterSelect id="age_band" label="Age (head of household)" any="Any age" choices=result.age_bands.clone() value=f.age_band.clone() />
                        <FilterSelect id="sought" label="Project type sought" any="Any project type" choices=result.project_types.clone() value=f.sought.clone() />
                    </FilterForm>
                    <p data-testid="priority-total">{total}</p>
                    <DataTable
                        testid="priority-table"
                        columns=&["Rank", "Head of household", "Household", "Score", "Assessed", "Homeless since", "Chronic", "Veteran", "Age", "Seeks", "Status", ""]
                    >
                        {result.rows.into_iter().map(|row| view! { <ListRow row manages exit_refused=exit_refused.clone() start /> }).collect_view()}
                    </DataTable>
                    <Pager base page=result.page has_more=result.has_more />
                }
            }
        >
            <p>
                <a href=routes::INCOMING_REFERRALS>"Incoming referrals to my organization's projects"</a>
            </p>
            <FormMessage error=action_error(start) />
        </ReportPage>
    }
}

#[component]
fn ListRow(
    row: PriorityRow,
    manages: bool,
    exit_refused: Option<String>,
    start: ServerAction<StartWorkflow>,
) -> impl IntoView {
    let status = row.status();
    let housed = row.referral.as_ref().is_some_and(|r| r.housed);
    let household = format!("{} · {}", row.household_size, row.household_type);
    let events = ce_events_path(&row.enrollment_id);
    let exit = match exit_refused {
        None => view! {
            <li>
                <WorkflowStart action=start enrollment_id=row.enrollment_id.clone() kind=WorkflowKind::Exit label="Exit the CE enrollment".to_string() />
            </li>
        }
        .into_any(),
        Some(reason) => view! {
            <UnavailableAction
                label="Exit the CE enrollment".to_string()
                reason
                id=format!("exit-why-{}", row.enrollment_id)
            />
        }
        .into_any(),
    };
    view! {
        <tr data-testid="priority-row">
            <td data-label="Rank">{row.rank.to_string()}</td>
            <td data-label="Head of household">
                <a href=routes::client(&row.personal_id)>{row.client_name.clone()}</a>
            </td>
            <td data-label="Household">{household}</td>
            <td data-label="Score" data-testid="priority-score">{row.score.to_string()}</td>
            <td data-label="Assessed">{format_date(row.assessment_date)}</td>
            <td data-label="Homeless since">{row.homeless_since.map(format_date).unwrap_or_default()}</td>
            <td data-label="Chronic">{yes(row.chronic)}</td>
            <td data-label="Veteran">{yes(row.veteran)}</td>
            <td data-label="Age">{row.age.map(|a| a.to_string()).unwrap_or_default()}</td>
            <td data-label="Seeks">{row.sought.clone().unwrap_or_default()}</td>
            <td data-label="Status">
                <span class=if housed { "tag tag--warning" } else { "tag tag--muted" } data-testid="priority-status">{status}</span>
            </td>
            <td data-label="Actions">
                <RowMenu name=format!("Actions for {}'s household, rank {}", row.client_name, row.rank)>
                    <li>
                        <a href=routes::client(&row.personal_id)>"Open the dashboard"</a>
                    </li>
                    <li>
                        <a href=events.clone()>"Record a CE event"</a>
                    </li>
                    {manages.then(|| view! {
                        <li>
                            <a href=format!("{events}#record-event")>"Refer to a project"</a>
                        </li>
                    })}
                    {exit}
                </RowMenu>
            </td>
        </tr>
    }
}

/// The header of a CE enrollment's pages.
#[component]
fn CeHeader(enrollment: CeEnrollment, title: &'static str) -> impl IntoView {
    let period = match enrollment.exit_date {
        None => format!("since {}", format_date(enrollment.entry_date)),
        Some(exit) => format!("{} – {}", format_date(enrollment.entry_date), format_date(exit)),
    };
    view! {
        <p>
            <a href=routes::client(&enrollment.personal_id)>{format!("← {}", enrollment.client_name)}</a>
        </p>
        <h1>{title}</h1>
        <p class="lead">{format!("{} · {period}", enrollment.project_name)}</p>
    }
}

/// The inside of a CE page's record form: the enrollment, the fields, the messages.
#[component]
fn RecordFields(
    enrollment_id: String,
    fields: Vec<FieldSpec>,
    error: Signal<Option<AppError>>,
    done: Signal<bool>,
    submit: &'static str,
    saved: &'static str,
) -> impl IntoView {
    view! {
        <input type="hidden" name="enrollment_id" value=enrollment_id />
        <FormMessage error=form_level(error) />
        {move || done.get().then(|| view! { <p class="notice notice--success" role="status">{saved}</p> })}
        <Fields fields=fields.clone() error />
        <ValidationSummary fields error />
        <button type="submit" class="button">{submit}</button>
    }
}

/// Why the user cannot record on a CE page.
fn refused_view(reason: String) -> AnyView {
    view! { <p class="notice notice--info" role="status" data-testid="ce-refused">{reason}</p> }.into_any()
}

/// A CE enrollment's Coordinated Entry Assessment page.
#[component]
pub fn CeAssessmentPage() -> impl IntoView {
    let params = use_params_map();
    let enrollment_id = move || params.with(|p| p.get("enrollment_id").unwrap_or_default());
    let record = ServerAction::<RecordCeAssessment>::new();
    let data = resource(
        move || (enrollment_id(), record.version().get()),
        |(id, _)| ce_assessment(id),
    );
    view! {
        <Title text="Coordinated Entry Assessment" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => errors_view(e),
                        Ok(v) => {
                            let id = v.enrollment.enrollment_id.clone();
                            view! {
                                <CeHeader enrollment=v.enrollment title="Coordinated Entry Assessment" />
                                <p>
                                    <a href=ce_events_path(&id)>"CE events and referrals"</a>
                                </p>
                                <section class="card" aria-labelledby="history-title">
                                    <h2 id="history-title">"Assessments recorded"</h2>
                                    {if v.history.is_empty() {
                                        view! { <p class="hint">"No CE assessment yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <DataTable testid="ce-assessments" columns=&["Date", "Score", "Prioritization", "Type", "Level", "Location", "By"]>
                                                {v.history.into_iter().map(|a| view! {
                                                    <tr>
                                                        <td data-label="Date">{format_date(a.assessment_date)}</td>
                                                        <td data-label="Score">{a.score.map(|s| s.to_string()).unwrap_or_default()}</td>
                                                        <td data-label="Prioritization">{a.prioritization_status}</td>
                                                        <td data-label="Type">{a.assessment_type}</td>
                                                        <td data-label="Level">{a.assessment_level}</td>
                                                        <td data-label="Location">{a.location}</td>
                                                        <td data-label="By">{a.recorded_by.unwrap_or_default()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </DataTable>
                                        }.into_any()
                                    }}
                                </section>
                                <section class="card" aria-labelledby="new-title">
                                    <h2 id="new-title">"New assessment"</h2>
                                    {match v.refused {
                                        Some(reason) => refused_view(reason),
                                        None => view! {
                                            <ActionForm action=record attr:class="form" attr:data-testid="ce-assessment-form">
                                                <RecordFields enrollment_id=id fields=v.fields error=action_error(record) done=Signal::derive(move || matches!(record.value().get(), Some(Ok(())))) submit="Save assessment" saved="Assessment saved; the priority list follows it." />
                                            </ActionForm>
                                        }.into_any(),
                                    }}
                                </section>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// A referral result form (4.20.D/E); its fields' IDs carry the event's.
#[component]
fn ResultForm(action: ServerAction<RecordReferralResult>, event_id: String) -> impl IntoView {
    let error = action_error(action);
    let result_id = format!("result-{event_id}");
    let date_id = format!("result-date-{event_id}");
    view! {
        <ActionForm action=action attr:class="form form--inline" attr:data-testid="referral-result">
            <input type="hidden" name="event_id" value=event_id />
            <div class="field">
                <label for=result_id.clone()>"Result"</label>
                <select id=result_id name="result" required=true>
                    <option value="">"Choose…"</option>
                    {REFERRAL_RESULT
                        .values
                        .iter()
                        .map(|c| view! { <option value=c.code>{c.label}</option> })
                        .collect_view()}
                </select>
                <FieldMessage error field="result" />
            </div>
            <div class="field">
                <label for=date_id.clone()>"Result date"</label>
                <input id=date_id name="result_date" type="date" required=true />
                <FieldMessage error field="result_date" />
            </div>
            <button type="submit" class="button">"Save result"</button>
            <FormMessage error=form_level(error) />
        </ActionForm>
    }
}

/// A CE enrollment's events and referrals page.
#[component]
pub fn CeEventsPage() -> impl IntoView {
    let params = use_params_map();
    let enrollment_id = move || params.with(|p| p.get("enrollment_id").unwrap_or_default());
    let record = ServerAction::<RecordCeEvent>::new();
    let result = ServerAction::<RecordReferralResult>::new();
    let data = resource(
        move || (enrollment_id(), record.version().get() + result.version().get()),
        |(id, _)| ce_events(id),
    );
    view! {
        <Title text="CE Events and Referrals" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => errors_view(e),
                        Ok(v) => {
                            let id = v.enrollment.enrollment_id.clone();
                            view! {
                                <CeHeader enrollment=v.enrollment title="CE Events and Referrals" />
                                <p>
                                    <a href=ce_assessment_path(&id)>"Coordinated Entry assessment"</a>
                                    " · "
                                    <a href=routes::COORDINATED_ENTRY>"Priority list"</a>
                                </p>
                                <section class="card" aria-labelledby="events-title">
                                    <h2 id="events-title">"Events recorded"</h2>
                                    {if v.events.is_empty() {
                                        view! { <p class="hint">"No CE event yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <DataTable testid="ce-events" columns=&["Date", "Event", "Project", "Result"]>
                                                {v.events.into_iter().map(|e| {
                                                    let outcome = match (e.result, e.result_date) {
                                                        (Some(r), Some(d)) => format!("{r} on {}", format_date(d)),
                                                        (Some(r), None) => r,
                                                        _ => String::new(),
                                                    };
                                                    let form = e.takes_result.then(|| view! { <ResultForm action=result event_id=e.event_id.clone() /> });
                                                    view! {
                                                        <tr data-testid="ce-event">
                                                            <td data-label="Date">{format_date(e.event_date)}</td>
                                                            <td data-label="Event">{e.event}</td>
                                                            <td data-label="Project">{e.project_name.or(e.location).unwrap_or_default()}</td>
                                                            <td data-label="Result">
                                                                <span data-testid="ce-event-result">{outcome}</span>
                                                                {form}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </DataTable>
                                        }.into_any()
                                    }}
                                </section>
                                <section class="card" aria-labelledby="record-title">
                                    <h2 id="record-title">"Record an event or a referral"</h2>
                                    {match v.refused {
                                        Some(reason) => refused_view(reason),
                                        None => view! {
                                            <ActionForm action=record attr:class="form" attr:id="record-event" attr:data-testid="ce-event-form">
                                                <RecordFields enrollment_id=id fields=v.fields error=action_error(record) done=Signal::derive(move || matches!(record.value().get(), Some(Ok(())))) submit="Save event" saved="Event saved." />
                                            </ActionForm>
                                        }.into_any(),
                                    }}
                                </section>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Coordinated Entry → Incoming referrals: what the acting organization's projects
/// received.
#[component]
pub fn IncomingReferralsPage() -> impl IntoView {
    let result = ServerAction::<RecordReferralResult>::new();
    let data = resource(move || result.version().get(), |_| incoming_referrals());
    view! {
        <Title text="Incoming Referrals" />
        <section class="page">
            <h1>"Incoming referrals"</h1>
            <p class="lead">"Households Coordinated Entry referred to your organization's projects. Record whether each referral succeeded; enrolling the household in the project tells the priority list manager it is housed."</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => errors_view(e),
                        Ok(rows) if rows.is_empty() => view! { <p class="hint" data-testid="incoming-empty">"No referrals yet."</p> }.into_any(),
                        Ok(rows) => view! {
                            <DataTable testid="incoming" columns=&["Client", "Project", "Referral", "Referred on", "Enrolled", "Result"]>
                                    {rows.into_iter().map(|r| {
                                        let outcome = match (r.result.clone(), r.result_date) {
                                            (Some(x), Some(d)) => format!("{x} on {}", format_date(d)),
                                            (Some(x), None) => x,
                                            _ => String::new(),
                                        };
                                        let form = r.result.is_none().then(|| view! { <ResultForm action=result event_id=r.event_id.clone() /> });
                                        view! {
                                            <tr data-testid="incoming-row">
                                                <td data-label="Client"><a href=routes::client(&r.personal_id)>{r.client_name}</a></td>
                                                <td data-label="Project">{r.project_name}</td>
                                                <td data-label="Referral">{r.event}</td>
                                                <td data-label="Referred on">{format_date(r.referred_on)}</td>
                                                <td data-label="Enrolled">{yes(r.enrolled)}</td>
                                                <td data-label="Result"><span>{outcome}</span>{form}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                            </DataTable>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
